//! Regressions from the user test of search on the real corpus: totals and collapsing,
//! the date sort, unspaced natural-language queries and small query-syntax slips.

use std::collections::BTreeSet;

use zhengce_index::{Level, PolicyIndex, Sort};
use zhengce_model::PolicyDoc;

use crate::common::{doc, index_of, search};

fn dated(id: &str, title: &str, body: &str, date: &str) -> PolicyDoc {
    let mut d = doc(id, title, body);
    d.issuer = Some("辽宁省科学技术厅".into());
    d.publish_date = Some(date.into());
    d
}

/// Eleven documents about 科技成果转化, one of them listed twice (two sources, the same
/// title, date and issuer: one work).
fn listed_twice() -> Vec<PolicyDoc> {
    let mut docs: Vec<PolicyDoc> = (0..10)
        .map(|i| {
            dated(
                &format!("d{i}"),
                &format!("关于第{i}批科技成果转化项目的通知"),
                "推动科技成果转化。",
                &format!("2020-0{}-1{i}", 1 + i % 9),
            )
        })
        .collect();
    for source in ["a", "b"] {
        docs.push(dated(
            &format!("twice-{source}"),
            "关于促进科技成果转化的若干措施",
            "促进科技成果转化，支持企业研发。",
            "2021-03-01",
        ));
    }
    docs
}

/// Every hit of every page of `query`, in order, asked `size` at a time.
fn every_page(index: &PolicyIndex, query: &str, sort: Sort, size: usize) -> (Vec<String>, usize) {
    let first = search(index, |r| {
        r.query = query.into();
        r.sort = sort;
        r.size = size;
    });
    let total = first.total;
    let mut ids: Vec<String> = first.hits.into_iter().map(|h| h.id).collect();
    for page in 2..=total.div_ceil(size) {
        let response = search(index, |r| {
            r.query = query.into();
            r.sort = sort;
            r.size = size;
            r.page = page;
        });
        assert_eq!(response.total, total, "page {page}: total changed");
        assert!(
            !response.hits.is_empty(),
            "page {page} of {total} hits is empty"
        );
        ids.extend(response.hits.into_iter().map(|h| h.id));
    }
    (ids, total)
}

/// User test, defect 1: `total` counted the documents collapsed into another hit, so
/// the last page promised was empty.
#[test]
fn regression_user_test_1_total_counts_the_hits_that_can_be_paged() {
    let index = index_of(&listed_twice());
    for sort in [Sort::Relevance, Sort::Date] {
        let (ids, total) = every_page(&index, "科技成果转化", sort, 5);
        assert_eq!(total, 11, "{sort:?}: ten documents and one listed twice");
        assert_eq!(ids.len(), total, "{sort:?}: {ids:?}");
        let distinct: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(
            distinct.len(),
            ids.len(),
            "{sort:?}: a hit repeated: {ids:?}"
        );
    }
    // Exact queries list every record: nothing collapsed, both counted.
    let quoted = search(&index, |r| {
        r.query = "\"科技成果转化\"".into();
        r.size = 20;
    });
    assert_eq!((quoted.total, quoted.hits.len()), (12, 12));
}

/// User test, defect 2: sorting by date turned collapsing off, and a document known
/// only by its year sorted after everything.
#[test]
fn regression_user_test_2_the_date_sort_collapses_and_places_years() {
    let index = index_of(&listed_twice());
    let by_date = search(&index, |r| {
        r.query = "若干措施".into();
        r.sort = Sort::Date;
    });
    assert_eq!(by_date.total, 1);
    assert_eq!(by_date.hits.len(), 1, "{:?}", by_date.hits);
    assert_eq!(by_date.hits[0].collapsed.len(), 1);

    let mut docs = vec![
        dated("old", "关于支持创新的通知", "支持创新。", "2019-05-01"),
        dated("new", "关于鼓励创新的通知", "支持创新。", "2022-02-01"),
        dated("early", "关于推动创新的通知", "支持创新。", "2021-01-02"),
        dated("late", "关于引导创新的通知", "支持创新。", "2021-12-31"),
    ];
    let mut year_only = doc("year-only", "2021年度创新工作要点", "支持创新。");
    year_only.year = Some(2021);
    docs.push(year_only);
    let index = index_of(&docs);
    let response = search(&index, |r| {
        r.query = "支持创新".into();
        r.sort = Sort::Date;
    });
    let ids: Vec<&str> = response.hits.iter().map(|h| h.id.as_str()).collect();
    // A year alone sorts as its first day: below what is dated later that year.
    assert_eq!(ids, ["new", "late", "early", "year-only", "old"]);
}

fn found(index: &PolicyIndex, query: &str, level: Level) -> Vec<String> {
    search(index, |r| {
        r.query = query.into();
        r.level = level;
        r.size = 50;
    })
    .hits
    .into_iter()
    .map(|h| h.id)
    .collect()
}

fn natural_language_docs() -> Vec<PolicyDoc> {
    vec![
        doc(
            "verbatim",
            "政策问答",
            "问：高新技术企业可以享受哪些税收优惠？答：减按15%的税率征收企业所得税。",
        ),
        doc(
            "words",
            "关于落实高新技术企业税收优惠政策的通知",
            "经认定的高新技术企业，依法享受相关税收优惠。",
        ),
        doc(
            "some-words",
            "关于高新技术企业认定管理的通知",
            "高新技术企业认定管理工作。",
        ),
        doc(
            "loans",
            "关于支持小微企业发展的若干措施",
            "对小微企业的贷款给予贴息支持。",
        ),
        doc(
            "abbreviation",
            "关于做好高企认定工作的通知",
            "做好高企认定工作。",
        ),
        doc(
            "inside-words",
            "关于提高企业认定效率的通知",
            "提高企业认定工作效率。",
        ),
    ]
}

/// User test, defect 3: a CJK run typed without spaces was one verbatim string, so
/// a question or words typed together found nothing.
#[test]
fn regression_user_test_3_unspaced_words_find_documents_with_all_of_them() {
    let index = index_of(&natural_language_docs());
    // The verbatim match first, then documents with every content word (可以, 哪些
    // are not required), not those with some of them.
    assert_eq!(
        found(&index, "高新技术企业可以享受哪些税收优惠", Level::Doc),
        ["verbatim", "words"]
    );
    assert_eq!(found(&index, "小微企业贷款贴息", Level::Doc), ["loans"]);
    // 高企 is still a word: 高企认定 finds it and its full form, never 提高企业.
    let ids = found(&index, "高企认定", Level::Doc);
    assert_eq!(ids[0], "abbreviation");
    let ids: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(
        ids,
        BTreeSet::from(["abbreviation", "some-words", "words"]),
        "高企认定"
    );
    assert!(!found(&index, "高企", Level::Doc).contains(&"inside-words".to_string()));
    // 提高企业 is its own words, not 高企.
    assert_eq!(found(&index, "提高企业", Level::Doc), ["inside-words"]);
    // Quoted strings stay strict.
    assert_eq!(
        found(&index, "\"高新技术企业可以享受哪些税收优惠\"", Level::Doc),
        ["verbatim"]
    );
    assert!(found(&index, "\"小微企业贷款贴息\"", Level::Doc).is_empty());
    // A provision is searched in its own text, words too.
    let mut with_items = doc(
        "items",
        "关于支持企业的通知",
        "一、小微企业申请贷款的，给予支持。\n二、对符合条件的项目给予贴息。",
    );
    with_items.provisions = zhengce_parse::extract_provisions(&with_items.body);
    let index = index_of(&[with_items]);
    assert!(found(&index, "小微企业贷款贴息", Level::Provision).is_empty());
    assert_eq!(found(&index, "小微企业贷款贴息", Level::Doc), ["items"]);
    assert_eq!(
        found(&index, "小微企业贷款", Level::Provision),
        ["items#一"]
    );
}

/// User test, defect 4: `+科技` found nothing, `--转化` was silently ignored and a 文号
/// with a leading zero (`〔2019〕06号`) missed its document.
#[test]
fn regression_user_test_4_query_syntax_slips() {
    let mut numbered = dated(
        "numbered",
        "国务院办公厅关于某项工作的通知",
        "做好工作。",
        "2019-03-01",
    );
    numbered.doc_number = Some("国办发〔2019〕6号".into());
    let docs = vec![
        dated(
            "plain",
            "关于科技创新的通知",
            "支持科技创新。",
            "2020-01-01",
        ),
        dated(
            "both",
            "关于科技成果转化的通知",
            "推动科技成果转化。",
            "2020-01-02",
        ),
        numbered,
    ];
    let index = index_of(&docs);
    let sorted = |q: &str| -> Vec<String> {
        let mut ids = found(&index, q, Level::Doc);
        ids.sort();
        ids
    };
    assert_eq!(sorted("科技"), ["both", "plain"]);
    assert_eq!(sorted("+科技"), ["both", "plain"]);
    assert_eq!(sorted("科技 +转化"), ["both"]);
    assert_eq!(sorted("科技 -转化"), ["plain"]);
    assert_eq!(sorted("科技 --转化"), ["plain"]);
    assert_eq!(sorted("科技 －转化"), ["plain"]);
    assert_eq!(
        found(&index, "国办发〔2019〕6号", Level::Doc)[0],
        "numbered"
    );
    assert_eq!(
        found(&index, "国办发〔2019〕06号", Level::Doc)[0],
        "numbered"
    );
    assert_eq!(
        found(&index, "文号:国办发[2019]006号", Level::Doc),
        ["numbered"]
    );
}

/// User test (twelfth session): the count beside a facet value was not what clicking it
/// found. Facets counted each record of a work the search shows once, and a query found
/// often enough as typed was searched again by its words once a filter left it few hits.
#[test]
fn regression_user_test_a_facet_count_is_what_clicking_it_finds() {
    let mut docs = listed_twice();
    // Has the words of `科技成果转化项目` but not the string: found by words alone.
    docs.push(dated(
        "words",
        "关于推动重点项目建设的通知",
        "以项目为抓手，推动科技成果转化。",
        "2021-06-01",
    ));
    let index = index_of(&docs);
    for query in ["科技成果转化", "科技成果转化项目"] {
        let all = search(&index, |r| r.query = query.into());
        let shown = |facet: &str| match facet {
            "year" => &all.facets.year,
            "issuer" => &all.facets.issuer,
            _ => &all.facets.status,
        };
        let mut clicks: Vec<(&str, String)> = ["year", "issuer", "status"]
            .into_iter()
            .flat_map(|f| shown(f).iter().map(move |v| (f, v.value.clone())))
            .collect();
        // A year the second query finds only by its words: shown with nothing.
        clicks.push(("year", "2021".into()));
        for (facet, value) in clicks {
            let count = shown(facet)
                .iter()
                .find(|v| v.value == value)
                .map_or(0, |v| v.count);
            let clicked = search(&index, |r| {
                r.query = query.into();
                match facet {
                    "year" => r.years = vec![value.parse().unwrap()],
                    "issuer" => r.issuers = vec![value.clone()],
                    _ => r.statuses = vec![value.clone()],
                }
            });
            assert_eq!(
                clicked.total as u64, count,
                "{query}: {facet} {value} counted {count}, clicking it found {}",
                clicked.total
            );
        }
    }
}

/// User test (twelfth session): a question that names more than any one document holds
/// (a place, who asks, what for) found nothing, and a term with an emoji, a bracket or an
/// exclamation mark stuck to it found nothing either.
#[test]
fn regression_user_test_a_question_finds_what_holds_most_of_its_words() {
    let mut docs = natural_language_docs();
    docs.push(doc(
        "rd",
        "关于支持科技型中小企业研发的若干措施",
        "对科技型中小企业的研发费用给予补助，企业可按规定申请。",
    ));
    docs.push(doc(
        "one-word",
        "关于做好研发统计工作的通知",
        "做好研发费用统计。",
    ));
    let index = index_of(&docs);
    let question = "我们是一家在辽宁沈阳的科技型中小企业想申请研发费用补助";
    // No document holds all its words (辽宁, 沈阳 are in none): the one holding most
    // of them first; one that holds a single word is not found.
    let ids = found(&index, question, Level::Doc);
    assert_eq!(ids.first().map(String::as_str), Some("rd"), "{ids:?}");
    assert!(!ids.contains(&"one-word".to_string()), "{ids:?}");
    // Where a document holds every word, those holding some are not listed (above).
    assert_eq!(
        found(&index, "高新技术企业可以享受哪些税收优惠", Level::Doc),
        ["verbatim", "words"]
    );
    // Symbols at a term's ends are not searched.
    for q in ["😀贴息", "贴息！", "（贴息", "【贴息】"] {
        assert_eq!(found(&index, q, Level::Doc), ["loans"], "{q}");
    }
}
