//! The search core: one pass gives the same totals and facet counts as a search per
//! filter would, facets only when asked, cancellation, and bounded bad input.

use zhengce_index::{Cancel, FacetField, FacetValue, IndexError, Level, SearchRequest, Sort};
use zhengce_model::PolicyDoc;

use crate::common::{index_of, search};

/// Documents over three issuers, four years and two regions, some with provisions.
fn corpus() -> Vec<PolicyDoc> {
    let issuers = ["辽宁省科学技术厅", "辽宁省财政厅", "广东省人民政府"];
    (0..60)
        .map(|i| {
            let body = if i % 3 == 0 {
                "一、对科技型中小企业给予奖励。\n二、支持高新技术企业研发。".to_string()
            } else {
                format!("第{i}号文件：加强科技企业培育工作。")
            };
            let mut d = PolicyDoc {
                id: format!("d{i}"),
                title: Some(format!("关于科技企业发展的通知（{i}）")),
                issuer: Some(issuers[i % 3].into()),
                publish_date: Some(format!("{}-0{}-1{}", 2019 + i % 4, 1 + i % 9, i % 10)),
                body,
                ..Default::default()
            };
            d.provisions = zhengce_parse::extract_provisions(&d.body);
            d
        })
        .collect()
}

fn count(values: &[FacetValue], value: &str) -> u64 {
    values
        .iter()
        .find(|v| v.value == value)
        .map_or(0, |v| v.count)
}

/// The disjunctive count of a filtered facet equals the total of the same search with
/// that facet's filter set to the value instead: checked value by value.
#[test]
fn one_pass_disjunctive_counts_equal_a_search_per_value() {
    let index = index_of(&corpus());
    let filtered = search(&index, |r| {
        r.query = "科技".into();
        r.issuers = vec!["辽宁省财政厅".into()];
        r.years = vec![2020, 2021];
    });
    assert!(filtered.total > 0);
    for issuer in ["辽宁省科学技术厅", "辽宁省财政厅", "广东省人民政府"] {
        let alone = search(&index, |r| {
            r.query = "科技".into();
            r.issuers = vec![issuer.into()];
            r.years = vec![2020, 2021];
        });
        assert_eq!(
            count(&filtered.facets.issuer, issuer),
            alone.total as u64,
            "{issuer}"
        );
    }
    for year in 2019..=2022u64 {
        let alone = search(&index, |r| {
            r.query = "科技".into();
            r.issuers = vec!["辽宁省财政厅".into()];
            r.years = vec![year];
        });
        assert_eq!(
            count(&filtered.facets.year, &year.to_string()),
            alone.total as u64,
            "{year}"
        );
    }
    // An unfiltered facet counts exactly the filtered hits.
    let regions: u64 = filtered.facets.region.iter().map(|v| v.count).sum();
    assert_eq!(regions, filtered.total as u64);
    // Status counts are disjunctive too, and add up to the hits without a status filter.
    let statuses: u64 = filtered.facets.status.iter().map(|v| v.count).sum();
    assert_eq!(statuses, filtered.total as u64);
}

#[test]
fn facets_are_counted_only_when_asked() {
    let index = index_of(&corpus());
    let some = search(&index, |r| {
        r.query = "科技".into();
        r.facets = Some(vec![FacetField::Issuer, FacetField::Year]);
    });
    assert!(!some.facets.issuer.is_empty() && !some.facets.year.is_empty());
    assert!(some.facets.region.is_empty() && some.facets.status.is_empty());
    let none = search(&index, |r| {
        r.query = "科技".into();
        r.facets = Some(vec![]);
        r.issuers = vec!["广东省人民政府".into()];
    });
    assert_eq!(none.total, 20);
    assert!(none.facets.issuer.is_empty());
    let all = search(&index, |r| r.query = "科技".into());
    assert_eq!(all.total, some.total);
    assert_eq!(all.facets.issuer, some.facets.issuer);
    // Years: every year, newest first.
    let years: Vec<&str> = all.facets.year.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(years, ["2022", "2021", "2020", "2019"]);
}

#[test]
fn entries_without_an_issuer_or_a_year_count_under_no_value() {
    let mut docs = corpus();
    let bare = crate::common::doc("bare", "关于科技企业的通知", "支持科技企业。");
    assert!(bare.issuer.is_none() && bare.dated_year().is_none());
    docs.push(bare);
    let index = index_of(&docs);
    let response = search(&index, |r| r.query = "科技企业".into());
    assert!(response.hits.iter().any(|h| h.id == "bare"));
    let counted = |values: &[FacetValue]| values.iter().map(|v| v.count).sum::<u64>();
    // Every other hit has one issuer and one year; the bare one adds to neither, and
    // no value stands for its missing ones.
    assert_eq!(counted(&response.facets.issuer), response.total as u64 - 1);
    assert_eq!(counted(&response.facets.year), response.total as u64 - 1);
    let values = index.facet_values("issuer", "", 100).unwrap();
    assert!(
        values
            .iter()
            .all(|v| !v.value.is_empty() && !v.value.contains('\u{1}'))
    );
    assert_eq!(counted(&values), index.num_docs().unwrap() - 1);
    // Asking for the stand-in finds nothing.
    let asked = search(&index, |r| r.issuers = vec!["\u{1}".into()]);
    assert_eq!(asked.total, 0);
}

#[test]
fn pages_sorted_by_date_are_newest_first_and_deep_pages_continue() {
    let index = index_of(&corpus());
    let mut seen = Vec::new();
    for page in 1..=6 {
        let response = search(&index, |r| {
            r.query = "科技".into();
            r.sort = Sort::Date;
            r.page = page;
            r.size = 10;
        });
        seen.extend(response.hits.into_iter().map(|h| h.publish_date.unwrap()));
    }
    assert_eq!(seen.len(), 60);
    assert!(seen.windows(2).all(|w| w[0] >= w[1]), "{seen:?}");
}

#[test]
fn matched_provisions_come_for_every_document_of_the_page() {
    let index = index_of(&corpus());
    let response = search(&index, |r| {
        r.query = "高新技术企业".into();
        r.size = 20;
    });
    assert_eq!(response.total, 20);
    for hit in &response.hits {
        assert_eq!(hit.matched_provisions.len(), 1, "{}", hit.doc_id);
        assert_eq!(hit.matched_provisions[0].number, "二");
    }
}

#[test]
fn a_cancelled_search_stops_with_an_error() {
    let index = index_of(&corpus());
    let cancel = Cancel::new();
    cancel.cancel();
    let result = index.search_cancellable(&SearchRequest::new("科技"), &cancel);
    assert!(matches!(result, Err(IndexError::Cancelled)), "{result:?}");
}

#[test]
fn expensive_requests_are_bounded_or_refused() {
    let index = index_of(&corpus());
    // A word in every document: answered, with the page it asked for.
    let common = search(&index, |r| r.query = "的".into());
    assert_eq!(common.total, 60);
    assert_eq!(common.hits.len(), 10);
    // 100 alternatives: refused as a user error.
    let many = (0..100)
        .map(|i| format!("词{i}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let err = index.search(&SearchRequest::new(&many)).unwrap_err();
    assert!(matches!(err, IndexError::BadQuery(_)), "{err}");
    // Page 10,000: beyond the result window.
    let mut deep = SearchRequest::new("科技");
    deep.page = 10_000;
    assert!(matches!(
        index.search(&deep),
        Err(IndexError::BadRequest(_))
    ));
    // Impossible dates are refused, not read as something else.
    let mut date = SearchRequest::new("科技");
    date.from = Some("2021-02-29".into());
    assert!(matches!(
        index.search(&date),
        Err(IndexError::BadRequest(_))
    ));
    // Provision level works with the same machinery.
    let provisions = search(&index, |r| {
        r.query = "科技型中小企业".into();
        r.level = Level::Provision;
    });
    assert_eq!(provisions.total, 20);
}

/// Issue 15: segments without `meta.json` are refused, never replaced by an empty index
/// (whose garbage collection would delete them); a missing index is an error for readers.
#[test]
fn regression_issue_15_a_missing_meta_json_is_refused_and_nothing_is_touched() {
    let dir = std::env::temp_dir().join(format!("zhengce-no-meta-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    {
        let index = zhengce_index::PolicyIndex::open_or_create(&dir).unwrap();
        let mut writer = index.writer().unwrap();
        for doc in corpus().iter().take(5) {
            writer.upsert(doc, &zhengce_benefits::derive(doc)).unwrap();
        }
        writer.finish().unwrap();
    }
    std::fs::remove_file(dir.join("meta.json")).unwrap();
    let listing = || {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().to_string(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = listing();
    assert!(before.len() > 3, "segment files expected");
    for result in [
        zhengce_index::PolicyIndex::open(&dir).map(|_| ()),
        zhengce_index::PolicyIndex::open_or_create(&dir).map(|_| ()),
    ] {
        let err = result.unwrap_err();
        assert!(matches!(err, IndexError::NoMeta(_)), "{err}");
        assert!(err.to_string().contains("left untouched"));
    }
    assert_eq!(listing(), before, "files changed");

    let missing = dir.join("no-such-index");
    assert!(matches!(
        zhengce_index::PolicyIndex::open(&missing),
        Err(IndexError::NoIndex(_))
    ));
    assert!(
        !missing.exists(),
        "opening for reading created the directory"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The ids a query finds at `level`, as a sorted list.
fn found(index: &zhengce_index::PolicyIndex, query: &str, level: Level) -> Vec<String> {
    let response = search(index, |r| {
        r.query = query.into();
        r.level = level;
        r.size = 50;
    });
    let mut ids: Vec<String> = response.hits.into_iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

/// Containment is the bigram phrase's answer whether jieba keeps the string as a word
/// (found without positions), hides it inside a longer word, or never sees it; bigrams
/// that are all present but apart do not match; a title alone finds its document; and
/// a document search is not answered by provisions' text nor the reverse.
#[test]
fn regression_issue_10_containment_is_the_phrase_however_jieba_cuts() {
    let mut with_items = crate::common::doc(
        "items",
        "关于做好准备工作的通知",
        "一、各级人民政府应当加强领导。\n二、人民群众和民政部门支持政府工作。",
    );
    with_items.provisions = zhengce_parse::extract_provisions(&with_items.body);
    assert_eq!(with_items.provisions.len(), 2, "the body has two items");
    let docs = [
        crate::common::doc("word", "关于加强管理的通知", "县人民政府负责组织实施。"),
        crate::common::doc(
            "inside",
            "关于加强管理的意见",
            "由省人民政府办公厅统一部署。",
        ),
        crate::common::doc(
            "apart",
            "关于加强服务的通知",
            "人民群众和民政部门支持政府工作。",
        ),
        crate::common::doc("title", "某市人民政府关于加强管理的通知", "加强管理。"),
        with_items,
    ];
    let index = index_of(&docs);
    assert_eq!(
        found(&index, "人民政府", Level::Doc),
        ["inside", "items", "title", "word"]
    );
    // Not a jieba word: found by the phrase alone.
    assert_eq!(
        found(&index, "民政府", Level::Doc),
        ["inside", "items", "title", "word"]
    );
    assert_eq!(found(&index, "\"人民政府\"", Level::Doc).len(), 4);
    // Provisions are searched in their own text only.
    assert_eq!(found(&index, "人民政府", Level::Provision), ["items#一"]);
    assert_eq!(found(&index, "民政部门", Level::Provision), ["items#二"]);
    assert_eq!(found(&index, "民政部门", Level::Doc), ["apart", "items"]);
    // A title is searched at document level, and by `title:` at both levels.
    assert_eq!(found(&index, "准备工作", Level::Doc), ["items"]);
    assert!(found(&index, "准备工作", Level::Provision).is_empty());
    assert_eq!(found(&index, "title:准备工作", Level::Provision).len(), 2);
    // At provision level `title:` goes through the document's entry and meets the
    // provision's own text.
    assert_eq!(
        found(&index, "title:准备工作 民政部门", Level::Provision),
        ["items#二"]
    );
    assert!(found(&index, "title:加强管理", Level::Provision).is_empty());
    assert!(found(&index, "title:准备服务", Level::Provision).is_empty());
}
