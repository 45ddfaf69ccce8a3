//! HTML to lines of text, with the page's main content region marked.
//!
//! The content region is found by text density rather than per-site selectors: walking
//! down from `<body>`, we enter the one child that holds most of the page's sentence
//! text (Chinese punctuation outside links), and stop where that text is spread over
//! several children. Navigation, footers and widgets hold links and short labels, so
//! they rarely attract the walk; whatever chrome remains inside the region is dropped
//! line by line later.

use std::collections::HashMap;

use ego_tree::{NodeId, NodeRef, iter::Edge};
use scraper::{ElementRef, Html, Node, Selector};

use crate::lines::Line;

/// A link on the page: its text and its `href` as written.
#[derive(Debug, Clone)]
pub(crate) struct Link {
    pub text: String,
    pub href: String,
}

/// What the parser needs from an HTML page.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub lines: Vec<Line>,
    /// `<meta>` name (or property), lowercased, and content, in page order.
    pub meta: Vec<(String, String)>,
    pub title_tag: Option<String>,
    pub links: Vec<Link>,
    /// `<base href>`, when the page declares one.
    pub base_href: Option<String>,
}

/// Elements whose text is never shown to a reader.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "select", "option", "textarea", "button", "head", "title", "input", "map", "audio", "video",
];

/// Elements that end a line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "tr",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "blockquote",
    "pre",
    "form",
    "hr",
    "center",
    "address",
    "figure",
    "figcaption",
    "caption",
    "body",
    "html",
];

/// Tags that are page chrome wherever they appear.
const CHROME_TAGS: &[&str] = &["nav", "footer", "aside"];

/// Words in a class or id that mark page chrome.
const CHROME_CLASS_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "menu",
    "footer",
    "foot",
    "breadcrumb",
    "crumb",
    "crumbs",
    "share",
    "bdshare",
    "copyright",
    "sidebar",
    "toolbar",
    "login",
    "search",
    "fontsize",
    "print",
    "qrcode",
    "ewm",
    "weixin",
    "friendlink",
    "links",
    "dqwz",
    "location",
];

/// Parses an HTML page into lines, metadata and links.
pub(crate) fn parse_html(text: &str) -> Page {
    let html = Html::parse_document(text);
    let root = html.tree.root();
    let body = find_body(&html).unwrap_or(root);
    let weights = subtree_weights(root);
    let content = content_region(body, &weights);

    let mut page = Page {
        lines: collect_lines(root, content),
        ..Page::default()
    };
    read_head(&html, &mut page);
    page
}

fn find_body(html: &Html) -> Option<NodeRef<'_, Node>> {
    let sel = Selector::parse("body").expect("valid selector");
    html.select(&sel).next().map(|e| *e)
}

/// Per-element weight of readable sentence text: punctuation outside links and chrome,
/// plus a little for plain characters. Computed bottom-up without recursion, since real
/// and hostile pages nest deeply.
fn subtree_weights(root: NodeRef<'_, Node>) -> HashMap<NodeId, f64> {
    let mut weights = HashMap::new();
    let mut stack: Vec<(f64, bool)> = vec![(0.0, false)];
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if let Node::Element(el) = node.value() {
                    let muted = stack.last().is_some_and(|f| f.1)
                        || SKIPPED.contains(&el.name())
                        || el.name() == "a"
                        || is_hidden(el)
                        || is_chrome(el);
                    stack.push((0.0, muted));
                } else if let Node::Text(t) = node.value() {
                    let frame = stack.last_mut().expect("root frame");
                    if !frame.1 {
                        frame.0 += text_weight(t);
                    }
                }
            }
            Edge::Close(node) => {
                if node.value().is_element() {
                    let (w, _) = stack.pop().expect("balanced traversal");
                    weights.insert(node.id(), w);
                    if let Some(parent) = stack.last_mut() {
                        parent.0 += w;
                    }
                }
            }
        }
    }
    weights
}

fn text_weight(text: &str) -> f64 {
    let mut punct = 0usize;
    let mut chars = 0usize;
    for c in text.chars() {
        if matches!(
            c,
            '，' | '。' | '；' | '、' | '！' | '？' | '：' | ',' | ';'
        ) {
            punct += 1;
        }
        if !c.is_whitespace() {
            chars += 1;
        }
    }
    punct as f64 + chars as f64 / 40.0
}

/// The smallest element below `body` that holds nearly all of its sentence text.
fn content_region(body: NodeRef<'_, Node>, weights: &HashMap<NodeId, f64>) -> NodeId {
    const DOMINANT: f64 = 0.9;
    let weight = |n: &NodeRef<'_, Node>| weights.get(&n.id()).copied().unwrap_or(0.0);
    let mut node = body;
    loop {
        let total = weight(&node);
        if total <= 0.0 {
            return node.id();
        }
        match node
            .children()
            .filter(|c| c.value().is_element())
            .find(|c| weight(c) >= DOMINANT * total)
        {
            Some(child) => node = child,
            None => return node.id(),
        }
    }
}

fn is_hidden(el: &scraper::node::Element) -> bool {
    if el.attr("hidden").is_some() {
        return true;
    }
    el.attr("style").is_some_and(|s| {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let s = s.to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

fn is_chrome(el: &scraper::node::Element) -> bool {
    if CHROME_TAGS.contains(&el.name()) {
        return true;
    }
    let words = el
        .attr("class")
        .into_iter()
        .chain(el.attr("id"))
        .flat_map(|v| v.split(|c: char| c.is_whitespace() || c == '-' || c == '_'))
        .map(str::to_ascii_lowercase);
    for word in words {
        if CHROME_CLASS_WORDS.contains(&word.as_str()) {
            return true;
        }
    }
    false
}

/// Walks the page once, producing its visible lines.
fn collect_lines(root: NodeRef<'_, Node>, content: NodeId) -> Vec<Line> {
    struct Frame {
        skipped: bool,
        chrome: bool,
        link: bool,
        heading: bool,
        heading_node: Option<NodeId>,
        content: bool,
    }
    let mut lines = Vec::new();
    let mut current = Line::default();
    let mut frames = vec![Frame {
        skipped: false,
        chrome: false,
        link: false,
        heading: false,
        heading_node: None,
        content: root.id() == content,
    }];

    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let parent = frames.last().expect("root frame");
                    let name = el.name();
                    let frame = Frame {
                        skipped: parent.skipped || SKIPPED.contains(&name) || is_hidden(el),
                        chrome: parent.chrome || is_chrome(el),
                        link: parent.link || name == "a",
                        heading: parent.heading || matches!(name, "h1" | "h2" | "h3"),
                        heading_node: parent
                            .heading_node
                            .or(matches!(name, "h1" | "h2" | "h3").then(|| node.id())),
                        content: parent.content || node.id() == content,
                    };
                    if BLOCKS.contains(&name) {
                        flush(&mut lines, &mut current);
                    } else if matches!(name, "td" | "th") && !current.text.trim().is_empty() {
                        current.text.push_str("  ");
                    }
                    frames.push(frame);
                }
                Node::Text(t) => {
                    let frame = frames.last().expect("root frame");
                    if frame.skipped {
                        continue;
                    }
                    let before = current.text.chars().count();
                    push_collapsed(&mut current.text, t);
                    let added = current.text.chars().count() - before;
                    if frame.link {
                        current.link_chars += added;
                    }
                    current.in_content |= frame.content;
                    current.heading |= frame.heading;
                    current.heading_node = current.heading_node.or(frame.heading_node);
                    current.chrome |= frame.chrome;
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    frames.pop();
                    if BLOCKS.contains(&el.name()) {
                        flush(&mut lines, &mut current);
                    }
                }
            }
        }
    }
    flush(&mut lines, &mut current);
    lines
}

/// Appends HTML text with runs of ASCII white space collapsed to one space. Other
/// spaces (U+3000, U+00A0) are kept: Chinese pages indent and align with them.
fn push_collapsed(out: &mut String, text: &str) {
    let mut last_space = out.ends_with(' ');
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !last_space {
                out.push(' ');
                last_space = true;
            }
        } else {
            out.push(c);
            last_space = false;
        }
    }
}

fn flush(lines: &mut Vec<Line>, current: &mut Line) {
    let line = std::mem::take(current);
    let trimmed = line.text.trim();
    if trimmed.is_empty() {
        return;
    }
    lines.push(Line {
        text: trimmed.to_string(),
        ..line
    });
}

fn read_head(html: &Html, page: &mut Page) {
    let meta = Selector::parse("meta[content]").expect("valid selector");
    for el in html.select(&meta) {
        let v = el.value();
        let Some(name) = v.attr("name").or(v.attr("property")).or(v.attr("itemprop")) else {
            continue;
        };
        let content = v.attr("content").unwrap_or_default().trim();
        if !content.is_empty() {
            page.meta
                .push((name.trim().to_ascii_lowercase(), content.to_string()));
        }
    }
    let title = Selector::parse("title").expect("valid selector");
    page.title_tag = html
        .select(&title)
        .next()
        .map(element_text)
        .filter(|t| !t.is_empty());
    let base = Selector::parse("base[href]").expect("valid selector");
    page.base_href = html
        .select(&base)
        .next()
        .and_then(|e| e.value().attr("href"))
        .map(str::to_string);
    let anchors = Selector::parse("a[href]").expect("valid selector");
    page.links = html
        .select(&anchors)
        .filter_map(|a| {
            let href = a.value().attr("href")?.trim();
            let text = element_text(a);
            let text = if text.is_empty() {
                a.value()
                    .attr("title")
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            } else {
                text
            };
            Some(Link {
                text,
                href: href.to_string(),
            })
        })
        .collect();
}

fn element_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    for t in el.text() {
        push_collapsed(&mut out, t);
    }
    out.trim().to_string()
}
