//! Templates the corpus does not have, written after common portal layouts: a municipal
//! article page (GB2312, labels in one info line, widgets after values, a related-files
//! box) and a page whose metadata labels are bracketed (`[发文字号]`) with co-signers.
//! Both are served as GBK without any declaration, as undeclared pages often are.

use encoding_rs::GBK;
use zhengce_parse::{PageInput, parse_page};

fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let html = std::fs::read_to_string(path).unwrap();
    let undeclared = html.replace("; charset=gb2312", "");
    GBK.encode(&undeclared).0.into_owned()
}

#[test]
fn municipal_article_page() {
    let input = PageInput {
        url: Some("http://www.shenyang.gov.cn/zwgk/zcwj/t20210305_1.html"),
        ..PageInput::default()
    };
    let doc = parse_page(&fixture("municipal_article.html"), &input).unwrap();
    assert_eq!(
        doc.title.as_deref(),
        Some("关于印发《沈阳市促进中小企业发展若干措施》的通知")
    );
    assert_eq!(doc.doc_number.as_deref(), Some("沈政办发〔2021〕5号"));
    assert_eq!(doc.issuer.as_deref(), Some("沈阳市人民政府办公室"));
    assert_eq!(doc.publish_date.as_deref(), Some("2021-03-05"));
    assert_eq!(doc.written_date.as_deref(), Some("2021-03-01"));
    assert_eq!(
        doc.addressees,
        ["各区、县（市）人民政府", "市政府各部门、各直属单位"]
    );
    assert_eq!(
        doc.attachments[0].url.as_deref(),
        Some("http://www.shenyang.gov.cn/files/2021/fj1.xls")
    );
    assert!(doc.body.starts_with("各区、县（市）人民政府"));
    assert!(doc.body.ends_with("附件：申报表.xls"), "{}", doc.body);
    for chrome in [
        "您现在的位置",
        "浏览次数",
        "字体",
        "分享",
        "打印",
        "相关文件",
        "稳就业",
        "ICP",
        "主办",
        "网站标识码",
        "政策解读",
    ] {
        assert!(!doc.body.contains(chrome), "{chrome} in body");
    }
    let numbers: Vec<&str> = doc.provisions.iter().map(|p| p.number.as_str()).collect();
    assert_eq!(numbers, ["（一）", "（二）", "（三）"]);
    assert_eq!(doc.provisions[1].lead_depts, ["市工信局"]);
    assert_eq!(doc.provisions[1].resp_depts, ["市财政局"]);
    assert_eq!(doc.provisions[2].heading_path, ["二、强化金融服务"]);
}

#[test]
fn bracketed_metadata_and_co_signers() {
    let doc = parse_page(&fixture("bracketed_metadata.html"), &PageInput::default()).unwrap();
    assert_eq!(
        doc.title.as_deref(),
        Some("关于印发《北京市科技型中小企业认定管理办法》的通知")
    );
    assert_eq!(doc.doc_number.as_deref(), Some("京科发〔2022〕12号"));
    assert_eq!(doc.issuer.as_deref(), Some("北京市科学技术委员会"));
    assert_eq!(doc.publish_date.as_deref(), Some("2022-07-15"));
    assert_eq!(doc.written_date.as_deref(), Some("2022-07-10"));
    assert!(
        !doc.body.contains("索引号") && !doc.body.contains("English") && !doc.body.contains("ICP")
    );
    let numbers: Vec<&str> = doc.provisions.iter().map(|p| p.number.as_str()).collect();
    assert_eq!(numbers, ["第一条", "第二条", "第三条", "第四条"]);
    assert_eq!(doc.provisions[2].heading_path, ["第二章\u{3000}支持措施"]);
}
