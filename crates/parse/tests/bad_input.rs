//! Hostile and broken input: a clear error or a best-effort parse, never a panic.

use proptest::prelude::*;
use zhengce_parse::{MAX_PAGE_BYTES, PageInput, ParseError, parse_page};

fn parse(bytes: &[u8]) -> Result<zhengce_model::PolicyDoc, ParseError> {
    parse_page(bytes, &PageInput::default())
}

#[test]
fn empty_and_blank_files_are_errors() {
    assert!(matches!(parse(b""), Err(ParseError::Empty)));
    assert!(matches!(parse(b" \r\n\t "), Err(ParseError::Empty)));
    assert!(matches!(
        parse(b"<html><body></body></html>"),
        Err(ParseError::NoText)
    ));
}

#[test]
fn binary_files_are_errors() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    assert!(matches!(parse(png), Err(ParseError::Binary)));
    let noise: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 32) as u8).collect();
    assert!(matches!(parse(&noise), Err(ParseError::Binary)));
}

#[test]
fn oversized_page_is_refused_with_its_size() {
    let page = vec![b'a'; 50 * 1024 * 1024];
    match parse(&page) {
        Err(ParseError::TooLarge { size, limit }) => {
            assert_eq!(size, 50 * 1024 * 1024);
            assert_eq!(limit, MAX_PAGE_BYTES);
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn truncated_page_is_parsed_as_far_as_it_goes() {
    let seed = std::fs::read_to_string(zhengce_testkit::seed_path()).unwrap();
    let html = format!(
        "<html><head><meta name=\"ArticleTitle\" content=\"关于印发2020年度全省科技工作要点的通知\"></head><body><div><p>{}",
        seed.lines().collect::<Vec<_>>().join("</p><p>")
    );
    let cut = html.char_indices().nth(html.chars().count() / 2).unwrap().0;
    let doc = parse(&html.as_bytes()[..cut]).unwrap();
    assert_eq!(
        doc.title.as_deref(),
        Some("关于印发2020年度全省科技工作要点的通知")
    );
    assert!(doc.provisions.len() > 20, "{}", doc.provisions.len());
}

#[test]
fn deeply_nested_html_does_not_overflow() {
    let depth = 100_000;
    let mut html = String::from("<html><body>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str("<p>关于开展科技型中小企业评价工作的通知。各市科技局，请认真组织实施。</p>");
    html.push_str(&"</div>".repeat(depth));
    let doc = parse(html.as_bytes()).unwrap();
    assert!(doc.body.contains("请认真组织实施"), "{:?}", doc.body);
}

#[test]
fn invalid_utf8_sequences_are_replaced_not_fatal() {
    let mut bytes = "<html><body><p>关于开展评价工作的通知。各市科技局，请认真组织实施。</p>"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0xc3]);
    bytes.extend_from_slice("<p>第二段内容，继续说明。</p></body></html>".as_bytes());
    let doc = parse(&bytes).unwrap();
    assert!(doc.body.contains("请认真组织实施"));
}

#[test]
fn a_large_but_allowed_page_parses() {
    let para = "<p>为深入贯彻落实创新驱动发展战略，进一步加大对科技型中小企业的支持力度，现就有关事项通知如下。</p>";
    let html = format!(
        "<html><body><div>{}</div></body></html>",
        para.repeat(40_000)
    );
    assert!(html.len() > 5 * 1024 * 1024);
    let doc = parse(html.as_bytes()).unwrap();
    assert_eq!(doc.body.lines().count(), 40_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn arbitrary_html_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<div>".to_string()), Just("</div>".to_string()), Just("<p>".to_string()),
                Just("<br>".to_string()), Just("<a href=\"x.pdf\">".to_string()), Just("</a>".to_string()),
                Just("<table><tr><td>".to_string()), Just("<script>".to_string()),
                Just("发布日期：".to_string()), Just("（牵头处室：规划处；责任处室：".to_string()),
                Just("一、".to_string()), Just("（二）".to_string()), Just("3.".to_string()),
                Just("第十二条".to_string()), Just("辽科发〔2020〕6号".to_string()),
                Just("2020年2月25日".to_string()), Just("\n".to_string()),
                "[\\p{Han}，。、：a-z0-9 ]{0,40}",
            ],
            0..80,
        )
    ) {
        let html = parts.concat();
        if let Ok(doc) = parse(html.as_bytes()) {
            for p in &doc.provisions {
                prop_assert!(!p.number.is_empty());
            }
        }
    }
}

/// User test: every capture cut off before its body (the title block survives, the body
/// is empty) had the id of the empty string, `sha256:e3b0c44298fc1c14`, so ingesting a
/// second one replaced the first. Such a page is named by its title, 文号, issuer and
/// dates; a page with a body keeps the id it always had, the hash of its body.
#[test]
fn truncated_pages_without_a_body_are_not_one_document() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let page = |name: &str| std::fs::read(corpus.join("html/jiangxi_gov").join(name)).unwrap();
    let cut = |name: &str| parse(&page(name)[..3000]).unwrap();
    let a = cut("art_14075_1574386.html");
    let b = cut("art_14236_1508410.html");
    for doc in [&a, &b] {
        assert!(doc.body.is_empty() && doc.title.is_some(), "{doc:?}");
        assert_ne!(doc.id, zhengce_parse::content_id(""), "{doc:?}");
    }
    assert_ne!(a.id, b.id);
    // Parsed again, the same capture is the same document.
    assert_eq!(cut("art_14075_1574386.html").id, a.id);

    let full = parse(&page("art_14075_1574386.html")).unwrap();
    assert!(!full.body.is_empty());
    assert_eq!(full.id, zhengce_parse::content_id(&full.body));
}

/// A page that shows text but neither a title nor a body (menus and a footer only) is
/// not a document, and the error says what is missing.
#[test]
fn a_page_of_chrome_only_is_an_error_naming_what_is_missing() {
    let page = "<html><body><div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/zcwj/\">政策文件</a></div>\
        <div class=\"footer\"><p>主办：江西省人民政府办公厅</p><p>版权所有：江西省人民政府 赣ICP备05004316号</p></div></body></html>";
    let err = parse(page.as_bytes()).unwrap_err();
    assert!(matches!(err, ParseError::NoDocument), "{err:?}");
    assert_eq!(
        err.to_string(),
        "page shows no document: neither a title nor a body"
    );
}
