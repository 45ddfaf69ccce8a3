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

/// A UTF-8 fixture page as served.
fn utf8_fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(path).unwrap()
}

/// Issue 9: a long title broken over two lines of an `<h1>` (`<br>`), on a page whose
/// `<title>` is only the site's name and which names its issuer only in the title.
#[test]
fn issue_9_title_wrapped_in_a_heading_and_issuer_from_title() {
    let doc = parse_page(&utf8_fixture("npc_decision.html"), &PageInput::default()).unwrap();
    assert_eq!(
        doc.title.as_deref(),
        Some("全国人民代表大会常务委员会关于修改《中华人民共和国科学技术进步法》等五部法律的决定")
    );
    assert_eq!(doc.issuer.as_deref(), Some("全国人民代表大会常务委员会"));
    assert_eq!(doc.publish_date.as_deref(), Some("2021-12-24"));
    assert!(
        doc.body
            .starts_with("（2021年12月24日第十三届全国人民代表大会常务委员会第三十二次会议通过）"),
        "{}",
        doc.body
    );
    assert!(!doc.body.contains("科学技术进步法》等五部法律的决定"));
    let numbers: Vec<&str> = doc.provisions.iter().map(|p| p.number.as_str()).collect();
    assert_eq!(numbers, ["一", "二", "三"]);
}

/// Issue 9: a title block of plain `<div>`s, the title over two of them under a column
/// label that is not part of it; the issuer is named only by the title.
#[test]
fn issue_9_title_wrapped_over_two_blocks() {
    let doc = parse_page(
        &utf8_fixture("state_council_notice.html"),
        &PageInput::default(),
    )
    .unwrap();
    assert_eq!(
        doc.title.as_deref(),
        Some("国务院关于印发新时期促进集成电路产业和软件产业高质量发展若干政策的通知")
    );
    assert_eq!(doc.doc_number.as_deref(), Some("国发〔2020〕8号"));
    assert_eq!(doc.issuer.as_deref(), Some("国务院"));
    assert_eq!(doc.publish_date.as_deref(), Some("2020-08-04"));
    assert!(
        doc.body.starts_with("各省、自治区、直辖市人民政府"),
        "{}",
        doc.body
    );
    assert!(!doc.body.contains("政策文件") && !doc.body.contains("高质量发展若干政策的通知"));
    assert_eq!(doc.provisions.len(), 3);
    assert_eq!(doc.provisions[2].heading_path, ["二、投融资政策"]);
}

/// Issue 9: the issuer on a line of its own above `关于…的通知`, as provincial offices
/// print it, and no 发布机构 anywhere else on the page.
#[test]
fn issue_9_issuer_line_above_the_title() {
    let doc = parse_page(
        &utf8_fixture("provincial_office_notice.html"),
        &PageInput::default(),
    )
    .unwrap();
    assert_eq!(
        doc.title.as_deref(),
        Some("广东省人民政府办公厅关于印发广东省进一步促进科技成果转移转化若干措施的通知")
    );
    assert_eq!(doc.issuer.as_deref(), Some("广东省人民政府办公厅"));
    assert_eq!(doc.doc_number.as_deref(), Some("粤办函〔2021〕12号"));
    assert_eq!(doc.publish_date.as_deref(), Some("2021-03-16"));
    assert!(doc.body.starts_with("各地级以上市人民政府"), "{}", doc.body);
    assert_eq!(doc.provisions.len(), 2);
    assert_eq!(doc.provisions[1].lead_depts, ["省教育厅"]);
}

/// Issue 9: the line a title wraps onto is too short to look like a title (`的通知`)
/// and the line above already does.
#[test]
fn issue_9_title_wrapped_before_its_last_words() {
    let page = "<html><head><title>省科技厅门户</title></head><body>\
        <div class=\"t\"><p>省科技厅关于印发2030年前碳达峰科技行动方案</p><p>的通知</p></div>\
        <div class=\"c\"><p>各市科技局：</p>\
        <p>现将《2030年前碳达峰科技行动方案》印发给你们，请结合实际，认真抓好贯彻落实，确保各项任务按期完成。</p>\
        <p>一、加强基础研究，突破关键核心技术，提升科技支撑能力。</p></div></body></html>";
    let doc = parse_page(page.as_bytes(), &PageInput::default()).unwrap();
    assert_eq!(
        doc.title.as_deref(),
        Some("省科技厅关于印发2030年前碳达峰科技行动方案的通知")
    );
    assert_eq!(doc.issuer.as_deref(), Some("省科技厅"));
    assert!(doc.body.starts_with("各市科技局："), "{}", doc.body);
}

/// Issue 9: one `<h1>` broken by `<br>` where nothing in the wording joins the lines;
/// the column heading above it is not part of the title.
#[test]
fn issue_9_title_broken_inside_one_heading() {
    let page = "<html><head><title>科学技术厅</title></head><body>\
        <div class=\"col\"><h2>政策文件</h2></div>\
        <div class=\"t\"><h1>2021年全省深入实施创新驱动发展战略<br>加快建设科技强省工作要点</h1></div>\
        <div class=\"c\"><p>为深入实施创新驱动发展战略，加快建设科技强省，现提出2021年全省科技工作要点如下。</p>\
        <p>一、强化战略科技力量，推进重大创新平台建设，提升原始创新能力。</p></div></body></html>";
    let doc = parse_page(page.as_bytes(), &PageInput::default()).unwrap();
    assert_eq!(
        doc.title.as_deref(),
        Some("2021年全省深入实施创新驱动发展战略加快建设科技强省工作要点")
    );
    assert!(
        doc.body.starts_with("为深入实施创新驱动发展战略"),
        "{}",
        doc.body
    );
    assert!(!doc.body.contains("政策文件"));
}
