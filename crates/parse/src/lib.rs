//! Turns government portal pages into policy documents and their provisions.
//!
//! The parser works from the fixed structure of Chinese official documents (标题, 文号,
//! 主送机关, 正文, 落款, 成文日期) and from the places portals put metadata (`<meta>`
//! tags, metadata tables, labelled lines such as `发布日期：`), not from per-site
//! selectors, so pages from templates it has never seen parse too. The pipeline:
//!
//! 1. [`decode`](crate::decode::decode) the bytes (HTTP charset, BOM, `<meta>`, or detection;
//!    UTF-8, GBK, GB2312, GB18030);
//! 2. turn HTML into lines and mark the main content region by text density (plain-text
//!    pages are lines already);
//! 3. read labelled fields, the title line, the document number and the signature block;
//! 4. keep the document's own lines as `body`, without portal chrome;
//! 5. find the numbered provisions and the departments named in their notes (in laws and
//!    regulations: one provision per article, under its 编/章/节).
//!
//! Corpus records arrive as text, often markdown: [`extract_provisions`] reads their
//! provisions, [`clean_markdown`] gives their body without markup, and
//! [`issuer_from_title`] the issuer a title names (`国务院关于…的通知`).
//!
//! ```
//! use zhengce_parse::{parse_page, PageInput};
//!
//! let page = "<html><head><meta name=\"ArticleTitle\" content=\"关于开展科技型中小企业评价工作的通知\"></head>\
//!     <body><div class=\"nav\">首页 > 政策</div><div class=\"article\">\
//!     <p>发布日期：2020-04-10  发布单位：辽宁省科学技术厅</p>\
//!     <p>各市科技局：</p><p>现将有关事项通知如下。</p>\
//!     <p>1.组织开展评价工作。（牵头处室：企业处）</p><p>2.做好服务保障。（牵头处室：企业处；责任处室：政策处）</p>\
//!     </div><div class=\"footer\">辽ICP备16017206号-1</div></body></html>";
//! let doc = parse_page(page.as_bytes(), &PageInput::default()).unwrap();
//! assert_eq!(doc.title.as_deref(), Some("关于开展科技型中小企业评价工作的通知"));
//! assert_eq!(doc.issuer.as_deref(), Some("辽宁省科学技术厅"));
//! assert_eq!(doc.publish_date.as_deref(), Some("2020-04-10"));
//! assert_eq!(doc.addressees, ["各市科技局"]);
//! assert_eq!(doc.provisions.len(), 2);
//! assert_eq!(doc.provisions[1].resp_depts, ["政策处"]);
//! assert!(!doc.body.contains("ICP"));
//! ```

mod decode;
mod document;
mod fields;
mod html;
mod lines;
mod markdown;
mod provisions;

pub use decode::{Decoded, MAX_PAGE_BYTES, decode};
pub use document::{canonical_url, content_id, doc_id};
pub use markdown::clean_markdown;
pub use zhengce_model::normalize_doc_number;
pub use zhengce_model::{find_date, small_number, standalone_date};

use zhengce_model::{PolicyDoc, Provision};

/// Everything that can go wrong reading a page.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The input has no bytes, or only white space.
    #[error("empty page")]
    Empty,
    /// The input is not text (NUL or control bytes).
    #[error("not a text page: binary content")]
    Binary,
    /// The input is larger than [`MAX_PAGE_BYTES`].
    #[error("page too large: {size} bytes, limit {limit}")]
    TooLarge { size: usize, limit: usize },
    /// Most characters could not be decoded in the chosen encoding.
    #[error("page cannot be decoded as {encoding}")]
    Undecodable { encoding: &'static str },
    /// The page decodes but shows no text at all.
    #[error("page has no visible text")]
    NoText,
    /// The page shows text, but neither a title nor a body: only portal chrome (menus,
    /// footers, link lists), nothing that identifies a document.
    #[error("page shows no document: neither a title nor a body")]
    NoDocument,
}

pub type Result<T, E = ParseError> = std::result::Result<T, E>;

/// What the caller knows about a page besides its bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageInput<'a> {
    /// The page's URL: resolves attachment links and becomes the document id.
    pub url: Option<&'a str>,
    /// The `charset` of the HTTP `Content-Type`, which wins over the page's own.
    pub http_charset: Option<&'a str>,
    /// A name for where the page came from (a corpus or site name).
    pub source: Option<&'a str>,
}

/// Parses a page (HTML or plain text, any supported encoding) into a document.
pub fn parse_page(bytes: &[u8], input: &PageInput<'_>) -> Result<PolicyDoc> {
    let decoded = decode(bytes, input.http_charset)?;
    parse_str(&decoded.text, input)
}

/// Parses an already decoded page (HTML or plain text).
pub fn parse_str(text: &str, input: &PageInput<'_>) -> Result<PolicyDoc> {
    let page = if looks_like_html(text) {
        html::parse_html(text)
    } else {
        html::Page {
            lines: lines::text_lines(text),
            ..html::Page::default()
        }
    };
    let visible = !page.lines.is_empty();
    let doc = document::build(page, input);
    if doc.body.is_empty() && doc.title.is_none() {
        return Err(if visible {
            ParseError::NoDocument
        } else {
            ParseError::NoText
        });
    }
    Ok(doc)
}

/// Finds the numbered provisions in a record body: plain text or markdown, paragraphs
/// separated by newlines, as for the body of a corpus record.
///
/// Markdown markup never reaches the provisions (see [`clean_markdown`]); markdown
/// headings (`## 第一章 总则`, `## 附则`) become the heading paths of the provisions
/// under them. In laws and regulations every article (`第三十三条`, `第三十七条之一`) is
/// one provision with its items and paragraphs (款, kept apart by `\n`); its heading
/// path holds the 编/章/节 above it, never the article itself.
///
/// ```
/// let body = "## 第三章 刑罚\n\n### 第一节 刑罚的种类\n\n第三十三条 主刑的种类如下：\n\n（一）管制；\n\n（二）拘役。\n\n第三十四条 附加刑的种类如下：\n\n（一）罚金。\n\n附加刑也可以独立适用。";
/// let provisions = zhengce_parse::extract_provisions(body);
/// assert_eq!(provisions.len(), 2);
/// assert_eq!(provisions[0].number, "第三十三条");
/// assert_eq!(provisions[0].heading_path, ["第三章 刑罚", "第一节 刑罚的种类"]);
/// assert_eq!(provisions[0].text, "第三十三条 主刑的种类如下：\n（一）管制；\n（二）拘役。");
/// assert!(provisions[1].text.ends_with("\n附加刑也可以独立适用。"));
/// ```
pub fn extract_provisions(body: &str) -> Vec<Provision> {
    let lines = markdown::md_lines(body);
    let lines: Vec<provisions::BodyLine<'_>> = lines
        .iter()
        .map(|l| provisions::BodyLine {
            text: lines::trim_line(&l.text),
            heading: l.heading,
        })
        .collect();
    provisions::extract_lines(&lines)
}

/// The issuer a document's title names before `关于`, when that part is the name of one
/// or more offices: for records that have a title but no issuer.
///
/// ```
/// use zhengce_parse::issuer_from_title;
///
/// assert_eq!(issuer_from_title("国务院关于印发“十四五”数字经济发展规划的通知").as_deref(), Some("国务院"));
/// assert_eq!(
///     issuer_from_title("全国人民代表大会常务委员会关于加强经济工作监督的决定").as_deref(),
///     Some("全国人民代表大会常务委员会")
/// );
/// assert_eq!(issuer_from_title("关于印发2020年度全省科技工作要点的通知"), None);
/// ```
pub fn issuer_from_title(title: &str) -> Option<String> {
    fields::issuer_from_title(title)
}

/// Lead and responsible departments named in a provision's text.
pub fn departments(text: &str) -> (Vec<String>, Vec<String>) {
    provisions::departments(text)
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .chars()
        .take(8192)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<html",
        "<body",
        "<!doctype",
        "<div",
        "<p>",
        "<p ",
        "<br",
        "<table",
        "<meta",
        "<span",
        "<td",
        "<head",
    ]
    .iter()
    .any(|tag| head.contains(tag))
}

#[doc(hidden)]
pub fn debug_lines(text: &str) -> Vec<String> {
    html::parse_html(text)
        .lines
        .iter()
        .map(|l| {
            format!(
                "{}{}{}{} {}",
                u8::from(l.in_content),
                u8::from(l.chrome),
                u8::from(l.heading),
                l.link_chars,
                l.text
            )
        })
        .collect()
}
