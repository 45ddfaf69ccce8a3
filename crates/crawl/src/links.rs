//! Links on list pages: pagination and document links.

use scraper::{Html, Selector};
use url::Url;

use crate::config::Selectors;

/// Links found on a page, resolved and without fragments.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageLinks {
    /// Further list pages (下一页, numbered pages, `?page=N`, `index_1.html`).
    pub pagination: Vec<Url>,
    /// Everything else: candidate documents.
    pub other: Vec<Url>,
}

const NEXT_WORDS: &[&str] = &[
    "下一页",
    "下页",
    "后页",
    "上一页",
    "上页",
    "前页",
    "尾页",
    "末页",
    "next",
    "Next",
    "prev",
    "Prev",
    ">",
    "»",
    "›",
    "<",
    "«",
    "‹",
    ">>",
    "<<",
];

/// Query keys that number or position list pages.
const PAGE_KEYS: &[&str] = &[
    "page",
    "pageno",
    "page_no",
    "pageindex",
    "pagenum",
    "pagenumber",
    "currentpage",
    "curpage",
    "p",
    "pn",
    "cursor",
    "start",
    "offset",
];

/// Whether a link of the list page `base` leads to another list page: by its text
/// (下一页, 上一页, 尾页, a page number) or by the shape of its URL (`index_1.html`,
/// `?page=2`, or the list page's own path with another query: `more.html?cursor=1`).
fn is_pagination(url: &Url, text: &str, base: &Url) -> bool {
    let text = text.trim();
    if NEXT_WORDS.contains(&text) || text.contains("下一页") || text.contains("上一页") {
        return true;
    }
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) && text.len() <= 4 {
        return true;
    }
    let path = url.path().rsplit('/').next().unwrap_or_default();
    let paged_file = path
        .strip_prefix("index_")
        .or_else(|| path.strip_prefix("list_"))
        .and_then(|rest| rest.split('.').next())
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let paged_query = url.query_pairs().any(|(k, v)| {
        PAGE_KEYS.contains(&k.to_ascii_lowercase().as_str())
            && !v.is_empty()
            && v.chars().all(|c| c.is_ascii_digit())
    });
    let same_list = url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
        && url.path() == base.path()
        && url.query() != base.query();
    paged_file || paged_query || same_list
}

/// A site's home or a section's index (`/`, `/zcwj/`): navigation, not a document.
fn is_section(url: &Url) -> bool {
    url.path().ends_with('/') && url.query().is_none()
}

/// The links of `html` at `base`, split into pagination and the rest.
pub fn extract(html: &str, base: &Url, selectors: &Selectors) -> PageLinks {
    let doc = Html::parse_document(html);
    let base = Selector::parse("base[href]")
        .ok()
        .and_then(|s| {
            doc.select(&s)
                .next()?
                .value()
                .attr("href")
                .and_then(|h| base.join(h).ok())
        })
        .unwrap_or_else(|| base.clone());
    let resolve = |href: &str| -> Option<Url> {
        let href = href.trim();
        if href.is_empty()
            || href.starts_with('#')
            || href.starts_with("javascript:")
            || href.starts_with("mailto:")
        {
            return None;
        }
        let mut url = base.join(href).ok()?;
        url.set_fragment(None);
        matches!(url.scheme(), "http" | "https").then_some(url)
    };
    let pick = |sel: &Option<String>| -> Option<Vec<Url>> {
        let s = Selector::parse(sel.as_deref()?).ok()?;
        Some(
            doc.select(&s)
                .filter_map(|a| resolve(a.value().attr("href")?))
                .collect(),
        )
    };
    let mut links = PageLinks::default();
    if let Some(next) = pick(&selectors.next_page) {
        links.pagination = next;
    }
    if let Some(list) = pick(&selectors.list_links) {
        links.other = list;
    }
    if selectors.next_page.is_none() || selectors.list_links.is_none() {
        let anchors = Selector::parse("a[href]").expect("valid selector");
        for a in doc.select(&anchors) {
            let Some(url) = a.value().attr("href").and_then(resolve) else {
                continue;
            };
            let text: String = a.text().collect();
            let paginates = is_pagination(&url, &text, &base);
            if paginates && selectors.next_page.is_none() {
                links.pagination.push(url);
            } else if !paginates && selectors.list_links.is_none() && !is_section(&url) {
                links.other.push(url);
            }
        }
    }
    links.pagination.dedup();
    links.other.dedup();
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_and_documents() {
        let base = Url::parse("http://gov.example/list/index.html").unwrap();
        let html = r##"<a href="art/1.html">关于印发方案的通知</a><a href="index_1.html">2</a>
            <a href="?page=3">下一页</a><a href="javascript:void(0)">x</a><a href="#top">顶部</a>
            <a href="http://other.example/x.html">外站</a>"##;
        let links = extract(html, &base, &Selectors::default());
        let p: Vec<&str> = links.pagination.iter().map(Url::as_str).collect();
        assert_eq!(
            p,
            [
                "http://gov.example/list/index_1.html",
                "http://gov.example/list/index.html?page=3"
            ]
        );
        let o: Vec<&str> = links.other.iter().map(Url::as_str).collect();
        assert_eq!(
            o,
            [
                "http://gov.example/list/art/1.html",
                "http://other.example/x.html"
            ]
        );
    }

    #[test]
    fn a_next_link_without_a_page_number_is_pagination_by_text_or_by_shape() {
        let base = Url::parse("http://gov.example/zcwj/more.html?cursor=1").unwrap();
        let html = r#"<a href="art/7.html">关于印发方案的通知</a>
            <a href="more.html">首页</a><a href="more.html?cursor=2">下一页</a>
            <a href="/zcwj/view.html?id=3">另一份文件</a><a href="/">网站首页</a>
            <a href="/zcwj/">政策文件</a>"#;
        let links = extract(html, &base, &Selectors::default());
        let p: Vec<&str> = links.pagination.iter().map(Url::as_str).collect();
        assert_eq!(
            p,
            [
                "http://gov.example/zcwj/more.html",
                "http://gov.example/zcwj/more.html?cursor=2"
            ]
        );
        let o: Vec<&str> = links.other.iter().map(Url::as_str).collect();
        assert_eq!(
            o,
            [
                "http://gov.example/zcwj/art/7.html",
                "http://gov.example/zcwj/view.html?id=3"
            ]
        );
        // By shape alone: the text is unreadable (a page decoded with the wrong charset).
        let garbled = "<a href=\"more.html?cursor=2\">\u{fffd}\u{fffd}\u{fffd}</a>";
        let links = extract(garbled, &base, &Selectors::default());
        assert_eq!(links.pagination.len(), 1);
        assert!(links.other.is_empty());
    }
}
