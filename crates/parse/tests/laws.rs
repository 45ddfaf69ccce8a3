//! Issue 9: laws and regulations come out as 编/章/节 headings over articles (条), each
//! article one provision with its paragraphs (款) and items (项); markdown markup never
//! reaches provisions, heading paths or cleaned bodies. Checked on an excerpt of the
//! 刑法 kept here and on every LawRefBook record of the shared corpus.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;
use zhengce_model::Provision;
use zhengce_parse::{clean_markdown, extract_provisions};

/// An article number at the start of a text: `第三十三条`, `第三十七条之一`.
static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^第[一二三四五六七八九十百千零〇两]+条(?:之[一二三四五六七八九十]+)?").unwrap()
});

/// An article as a law prints it: the number set apart by white space.
static ARTICLE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^第[一二三四五六七八九十百千零〇两]+条(?:之[一二三四五六七八九十]+)?[\s\u{3000}\u{2002}]",
    )
    .unwrap()
});

fn find<'a>(provisions: &'a [Provision], number: &str) -> &'a Provision {
    provisions
        .iter()
        .find(|p| p.number == number)
        .unwrap_or_else(|| panic!("no provision {number}"))
}

/// Markup that must not survive: a heading marker at a line start, emphasis, comments,
/// table rules.
fn markup_in(text: &str) -> Option<&str> {
    text.lines().find(|l| {
        let l = l.trim_start();
        l.starts_with('#') || l.contains("**") || l.contains("<!--") || l.starts_with("|--")
    })
}

fn excerpt() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xingfa_excerpt.md");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn excerpt_articles_with_items_paragraphs_and_zhi_yi() {
    let provisions = extract_provisions(&excerpt());
    let numbers: Vec<&str> = provisions.iter().map(|p| p.number.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "第三十二条",
            "第三十三条",
            "第三十四条",
            "第三十五条",
            "第三十六条",
            "第三十七条",
            "第三十七条之一",
            "第三十八条"
        ]
    );
    let art33 = find(&provisions, "第三十三条");
    assert_eq!(
        art33.text,
        "第三十三条 主刑的种类如下：\n（一）管制；\n（二）拘役；\n（三）有期徒刑；\n（四）无期徒刑；\n（五）死刑。"
    );
    assert_eq!(
        art33.heading_path,
        ["第一编 总则", "第三章 刑罚", "第一节 刑罚的种类"]
    );
    assert_eq!(
        find(&provisions, "第三十二条").text,
        "第三十二条 刑罚分为主刑和附加刑。"
    );
    let zhi_yi = find(&provisions, "第三十七条之一");
    assert!(
        zhi_yi
            .text
            .starts_with("第三十七条之一 因利用职业便利实施犯罪")
    );
    assert_eq!(zhi_yi.text.lines().count(), 3, "{}", zhi_yi.text);
    assert!(!find(&provisions, "第三十七条").text.contains("之一"));
    let art38 = find(&provisions, "第三十八条");
    assert_eq!(art38.text.lines().count(), 4, "{}", art38.text);
    assert_eq!(
        art38.heading_path,
        ["第一编 总则", "第三章 刑罚", "第二节 管制"]
    );
    for p in &provisions {
        assert!(markup_in(&p.text).is_none(), "{}", p.text);
        assert!(
            p.heading_path.iter().all(|h| !ARTICLE.is_match(h)),
            "{:?}",
            p.heading_path
        );
    }
}

#[test]
fn excerpt_body_is_cleaned_for_readers() {
    let clean = clean_markdown(&excerpt());
    assert!(markup_in(&clean).is_none(), "{clean}");
    assert!(
        clean.starts_with("中华人民共和国刑法\n\n第一编 总则\n\n第三章 刑罚"),
        "{clean}"
    );
    assert!(clean.contains("第三十二条 刑罚分为主刑和附加刑。"));
    // Paragraphs stay apart.
    assert!(clean.contains("主刑的种类如下：\n\n（一）管制；"));
}

fn lawrefbook(corpus: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(corpus.join("docs/lawrefbook.jsonl")).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn body(record: &Value) -> &str {
    record["body"].as_str().unwrap_or_default()
}

/// The 刑法 itself: 第三十三条 is one provision with its five items, 第三十七条之一 its
/// own article, 第十七条 keeps its five paragraphs, no item became a provision.
#[test]
fn criminal_law_from_the_corpus() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let records = lawrefbook(&corpus);
    let record = records
        .iter()
        .find(|r| r["path"] == "刑法/刑法.md")
        .expect("the 刑法 record");
    let provisions = extract_provisions(body(record));
    let art33 = find(&provisions, "第三十三条");
    assert!(art33.text.starts_with("第三十三条 主刑的种类如下："));
    assert!(art33.text.ends_with("（五）死刑。"), "{}", art33.text);
    assert_eq!(art33.text.lines().count(), 6);
    assert_eq!(
        art33.heading_path,
        ["第一编 总则", "第三章 刑罚", "第一节 刑罚的种类"]
    );
    let zhi_yi = find(&provisions, "第三十七条之一");
    assert_eq!(zhi_yi.text.lines().count(), 3);
    let art17 = find(&provisions, "第十七条");
    assert_eq!(art17.text.lines().count(), 5, "{}", art17.text);
    assert!(
        art17
            .text
            .contains("应当负刑事责任。\n已满十四周岁不满十六周岁的人")
    );
    assert_eq!(
        art17.heading_path,
        ["第一编 总则", "第二章 犯罪", "第一节 犯罪和刑事责任"]
    );
    // Every article of the law, and 之一 articles among them, is one provision.
    let printed = body(record)
        .lines()
        .filter(|l| ARTICLE_LINE.is_match(l))
        .count();
    let articles: Vec<&Provision> = provisions
        .iter()
        .filter(|p| ARTICLE.is_match(&p.number))
        .collect();
    assert_eq!(articles.len(), printed);
    assert!(printed > 450, "{printed}");
    assert!(articles.iter().filter(|p| p.number.contains('之')).count() > 30);
    // What is not an article lives in the two annexes.
    for p in provisions.iter().filter(|p| !ARTICLE.is_match(&p.number)) {
        assert!(p.heading_path[0].starts_with("附件"), "{p:?}");
    }
}

/// The whole LawRefBook file: no markup in any provision, heading or cleaned body, no
/// heading path that names an article, and every printed article is one provision.
#[test]
fn lawrefbook_provisions_are_articles_without_markup() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let records = lawrefbook(&corpus);
    assert!(records.len() > 3000, "{}", records.len());
    let mut total = 0;
    let mut law_docs = 0;
    let mut miscounted = Vec::new();
    for record in &records {
        let title = record["title"].as_str().unwrap_or_default();
        let body = body(record);
        let clean = clean_markdown(body);
        assert!(
            markup_in(&clean).is_none(),
            "{title}: {:?}",
            markup_in(&clean)
        );
        let provisions = extract_provisions(body);
        total += provisions.len();
        for p in &provisions {
            assert!(
                markup_in(&p.text).is_none(),
                "{title} {}: {}",
                p.number,
                p.text
            );
            for heading in &p.heading_path {
                assert!(markup_in(heading).is_none(), "{title}: {heading}");
                assert!(!ARTICLE.is_match(heading), "{title}: heading {heading:?}");
            }
        }
        let printed = body.lines().filter(|l| ARTICLE_LINE.is_match(l)).count();
        if printed > 0 {
            law_docs += 1;
            let found = provisions
                .iter()
                .filter(|p| ARTICLE_LINE.is_match(&p.text))
                .count();
            if found != printed {
                miscounted.push(format!("{title}: {printed} printed, {found} found"));
            }
        }
    }
    eprintln!(
        "{} records, {total} provisions, {law_docs} with articles",
        records.len()
    );
    assert!(law_docs > 2500, "{law_docs}");
    // Only tables that list articles (罪名 tables) make provisions of their rows.
    assert!(miscounted.len() * 200 < law_docs, "{miscounted:#?}");
}
