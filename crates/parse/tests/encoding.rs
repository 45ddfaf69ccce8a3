//! Real pages re-encoded to GBK and GB18030 parse exactly as their UTF-8 originals,
//! whether the charset is declared in the page, only in the HTTP header, or nowhere.

use encoding_rs::{GB18030, GBK};
use zhengce_model::PolicyDoc;
use zhengce_parse::{PageInput, parse_page};

fn parse(bytes: &[u8], charset: Option<&str>) -> PolicyDoc {
    let input = PageInput {
        url: Some("http://example.gov.cn/art/1.html"),
        http_charset: charset,
        source: None,
    };
    parse_page(bytes, &input).expect("page parses")
}

/// Removes every charset declaration from a page.
fn undeclared(html: &str) -> String {
    let re = regex::Regex::new(r#"(?i)<meta[^>]*charset[^>]*>"#).unwrap();
    re.replace_all(html, "").into_owned()
}

fn declared(html: &str, charset: &str) -> String {
    undeclared(html).replacen(
        "<head>",
        &format!(
            "<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">"
        ),
        1,
    )
}

fn pages() -> Vec<(String, String)> {
    let mut pages = vec![(
        "seed".to_string(),
        std::fs::read_to_string(zhengce_testkit::seed_path()).unwrap(),
    )];
    if let Some(corpus) = zhengce_testkit::corpus_dir() {
        for file in [
            "html/jiangxi_gov/art_4969_1499515.html",
            "html/jiangxi_gov/art_14075_1574386.html",
            "html/govcn_zhengce2018_frag/content_5338761.html",
            "html/shanxi_gov_portal/1.html",
        ] {
            let text = std::fs::read_to_string(corpus.join(file)).unwrap();
            // Fragments have no <head>: give them one so a declaration has a place.
            let text = if text.contains("<head>") {
                text
            } else {
                format!("<html><head></head><body>{text}</body></html>")
            };
            pages.push((file.to_string(), text));
        }
    }
    pages
}

#[test]
fn gbk_pages_parse_like_utf8() {
    for (name, text) in pages() {
        let reference = parse(text.as_bytes(), None);
        assert!(reference.title.is_some(), "{name}: no title");
        let cases: Vec<(&str, Vec<u8>, Option<&str>)> = if name == "seed" {
            // The capture has a few no-break spaces, which GBK lacks and GB18030 has.
            let plain = text.replace('\u{a0}', " ");
            let (gbk, _, unmappable) = GBK.encode(&plain);
            assert!(!unmappable, "the seed is all GBK but its no-break spaces");
            vec![
                (
                    "gb18030, no declaration",
                    GB18030.encode(&text).0.to_vec(),
                    None,
                ),
                ("gbk, no declaration", gbk.to_vec(), None),
                ("gbk, http header", gbk.to_vec(), Some("GBK")),
                ("gb2312, http header", gbk.to_vec(), Some("gb2312")),
            ]
        } else {
            vec![
                (
                    "gbk in meta",
                    GBK.encode(&declared(&text, "gbk")).0.to_vec(),
                    None,
                ),
                (
                    "gb2312 in meta",
                    GBK.encode(&declared(&text, "gb2312")).0.to_vec(),
                    None,
                ),
                (
                    "gbk, undeclared",
                    GBK.encode(&undeclared(&text)).0.to_vec(),
                    None,
                ),
                (
                    "gbk, http header only",
                    GBK.encode(&undeclared(&text)).0.to_vec(),
                    Some("gbk"),
                ),
                (
                    "gb18030, http header wins over a wrong meta",
                    GB18030.encode(&declared(&text, "utf-8")).0.to_vec(),
                    Some("gb18030"),
                ),
            ]
        };
        for (case, bytes, charset) in cases {
            let got = parse(&bytes, charset);
            assert_eq!(got, reference, "{name}: {case}");
        }
    }
}
