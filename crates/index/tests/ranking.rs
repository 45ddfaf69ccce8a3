//! Ranking and the traps of Chinese search (tantivy's snippet generator and query parser).

use tantivy::snippet::SnippetGenerator;
use zhengce_index::{Level, Sort};
use zhengce_model::PolicyDoc;

use crate::common::{doc, index_of, search, seed_doc};

fn ids(index: &zhengce_index::PolicyIndex, query: &str) -> Vec<String> {
    search(index, |r| r.query = query.into())
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn title_matches_rank_above_body_matches() {
    let index = index_of(&[
        doc(
            "body",
            "关于开展年度评价工作的通知",
            "请各单位做好科技型中小企业评价的组织工作，按时报送材料。",
        ),
        doc(
            "title",
            "科技型中小企业评价办法",
            "为规范评价工作，制定本办法。",
        ),
    ]);
    assert_eq!(ids(&index, "科技型中小企业"), ["title", "body"]);
}

#[test]
fn exact_phrase_ranks_above_scattered_words() {
    let index = index_of(&[
        doc(
            "scattered",
            "工作通知",
            "加强成果管理。推动科技创新，完善转化机制。",
        ),
        doc("phrase", "工作通知", "加快科技成果转化，完善机制。"),
    ]);
    assert_eq!(ids(&index, "科技 成果"), ["phrase", "scattered"]);
    // A quoted phrase matches only where the words stand together.
    assert_eq!(ids(&index, "\"科技 成果\""), ["phrase"]);
}

#[test]
fn a_document_number_alone_returns_its_document_first() {
    let mut numbered = doc(
        "numbered",
        "国务院办公厅关于印发方案的通知",
        "现印发给你们。",
    );
    numbered.doc_number = Some("国办发〔2019〕3号".into());
    let index = index_of(&[
        doc(
            "cites",
            "转发文件的通知",
            "根据国办发〔2019〕3号文件精神，国办发〔2019〕3号要求各地落实。国办发〔2019〕3号。",
        ),
        numbered,
        seed_doc(),
    ]);
    for query in [
        "国办发〔2019〕3号",
        "国办发[2019]3号",
        "国办发(2019)3号",
        "国办发【2019】3号",
        "doc_number:国办发[2019]3号",
    ] {
        assert_eq!(
            ids(&index, query).first().map(String::as_str),
            Some("numbered"),
            "{query}"
        );
    }
    let seed_id = seed_doc().id;
    assert_eq!(ids(&index, "辽科发[2020]6号")[0], seed_id);
    assert_eq!(ids(&index, "辽科发〔2020〕6 号")[0], seed_id);
}

#[test]
fn synonyms_find_the_full_term() {
    let index = index_of(&[
        doc("full", "高新技术企业认定管理办法", "高新技术企业认定。"),
        doc("other", "创新创业大赛通知", "举办创新创业大赛。"),
    ]);
    assert_eq!(ids(&index, "高企"), ["full"]);
    assert_eq!(ids(&index, "双创"), ["other"]);
    // A quoted term is taken literally.
    assert!(ids(&index, "\"高企\"").is_empty());
}

#[test]
fn filters_and_date_sort() {
    let mut docs = Vec::new();
    for (i, (issuer, date)) in [
        ("辽宁省科学技术厅", "2020-04-10"),
        ("江西省人民政府办公厅", "2021-06-01"),
        ("国务院办公厅", "2019-01-15"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut d: PolicyDoc = doc(
            &format!("d{i}"),
            "关于支持企业发展的通知",
            "支持企业创新发展。",
        );
        d.issuer = Some(issuer.into());
        d.publish_date = Some(date.into());
        docs.push(d);
    }
    let index = index_of(&docs);
    let by_date = search(&index, |r| {
        r.query = "企业".into();
        r.sort = Sort::Date;
    });
    let dates: Vec<_> = by_date
        .hits
        .iter()
        .map(|h| h.publish_date.clone().unwrap())
        .collect();
    assert_eq!(dates, ["2021-06-01", "2020-04-10", "2019-01-15"]);
    let regions: Vec<_> = by_date
        .facets
        .region
        .iter()
        .map(|f| f.value.as_str())
        .collect();
    assert_eq!(regions.len(), 3, "{regions:?}");

    let ranged = search(&index, |r| {
        r.from = Some("2020-01-01".into());
        r.to = Some("2020-12-31".into());
    });
    assert_eq!(ranged.total, 1);
    let in_region = search(&index, |r| {
        r.regions = vec!["全国".into(), "江西省".into()];
        r.years = vec![2021, 2019];
    });
    assert_eq!(in_region.total, 2);
    assert_eq!(
        search(&index, |r| r.issuers = vec!["国务院办公厅".into()]).total,
        1
    );
}

#[test]
fn field_queries_and_exclusions() {
    let index = index_of(&[
        seed_doc(),
        doc("x", "独角兽企业培育办法", "培育独角兽企业。"),
    ]);
    assert_eq!(ids(&index, "title:独角兽"), ["x"]);
    assert_eq!(ids(&index, "独角兽 -办法"), Vec::<String>::new());
    assert_eq!(ids(&index, "独角兽 -培育办法"), [seed_doc().id]);
    assert_eq!(ids(&index, "issuer:科学技术厅").len(), 1);
    let provisions = search(&index, |r| {
        r.query = "牵头处室:高新区处 瞪羚".into();
        r.level = Level::Provision;
    });
    assert_eq!(provisions.total, 1);
    assert_eq!(provisions.hits[0].provision_number.as_deref(), Some("30"));
    // `issuer:` at provision level: the provisions of the issuer's documents.
    let of_issuer = |q: &str| {
        search(&index, |r| {
            r.query = q.into();
            r.level = Level::Provision;
        })
        .total
    };
    assert_eq!(of_issuer("issuer:科学技术厅 瞪羚"), of_issuer("瞪羚"));
    assert!(of_issuer("瞪羚") > 0);
    assert_eq!(of_issuer("issuer:国务院 瞪羚"), 0);
    // Brackets, colons and full-width parentheses are text, not syntax.
    for q in ["（一）", "[2020]", "规划处;责任处室", "高新区处)", "a:b"] {
        search(&index, |r| r.query = q.into());
    }
}

/// tantivy's `SnippetGenerator` needs offsets that only move forward; jieba's search mode
/// emits `南京 京市 南京市`. Our word tokenizer orders its tokens, so the generator works on
/// our fields, and our own snippets never depend on it.
#[test]
fn regression_issue_3_snippet_generator_on_overlapping_words() {
    let text = "南京市长江大桥，瞪羚独角兽企业给予奖励性后补助。中华人民共和国国务院";
    let index = index_of(&[doc("nj", "南京市长江大桥", text)]);
    let response = search(&index, |r| r.query = "南京市".into());
    assert!(
        response.hits[0]
            .snippet
            .to_html()
            .contains("<mark>南京市</mark>")
    );

    let mut schema = tantivy::schema::Schema::builder();
    let options = tantivy::schema::TextOptions::default()
        .set_indexing_options(
            tantivy::schema::TextFieldIndexing::default()
                .set_tokenizer(zhengce_analysis::WORDS)
                .set_index_option(tantivy::schema::IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let body = schema.add_text_field("body", options);
    let raw = tantivy::Index::create_in_ram(schema.build());
    raw.tokenizers().register(
        zhengce_analysis::WORDS,
        zhengce_analysis::WordTokenizer::default(),
    );
    let mut writer: tantivy::IndexWriter = raw.writer(15_000_000).unwrap();
    writer.add_document(tantivy::doc!(body => text)).unwrap();
    writer.commit().unwrap();
    let query = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(body, "南京市"),
        tantivy::schema::IndexRecordOption::Basic,
    );
    let generator =
        SnippetGenerator::create(&raw.reader().unwrap().searcher(), &query, body).unwrap();
    let snippet = generator.snippet(text);
    assert!(
        snippet.to_html().contains("<b>南京市</b>"),
        "{}",
        snippet.to_html()
    );
}

/// Every lawrefbook record (laws, regulations, judicial interpretations, local
/// regulations) and every other corpus record that holds `高企`, enriched and grouped
/// into versions as ingest does, in one index shared by the tests below.
fn laws() -> Option<&'static (Vec<PolicyDoc>, zhengce_index::PolicyIndex)> {
    static LAWS: std::sync::OnceLock<Option<(Vec<PolicyDoc>, zhengce_index::PolicyIndex)>> =
        std::sync::OnceLock::new();
    LAWS.get_or_init(|| {
        let corpus = zhengce_testkit::corpus_dir()?;
        let mut docs = Vec::new();
        for source in [
            "lawrefbook",
            "gccmpd",
            "govcn_sql",
            "policy_transparency",
            "wikisource_reports",
        ] {
            let path = corpus.join("docs").join(format!("{source}.jsonl"));
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines() {
                let Ok(record) = zhengce_enrich::parse_record(line) else {
                    continue;
                };
                let doc = record.doc;
                let text = format!("{}{}", doc.title.as_deref().unwrap_or_default(), doc.body);
                if source == "lawrefbook" || text.contains("高企") {
                    docs.push(doc);
                }
            }
        }
        for doc in &mut docs {
            zhengce_enrich::enrich(doc);
        }
        let mut refs: Vec<&mut PolicyDoc> = docs.iter_mut().collect();
        zhengce_enrich::group_versions(&mut refs);
        let index = index_of(&docs);
        Some((docs, index))
    })
    .as_ref()
}

fn titles(index: &zhengce_index::PolicyIndex, query: &str) -> Vec<String> {
    search(index, |r| r.query = query.into())
        .hits
        .into_iter()
        .map(|h| h.title.unwrap_or_default())
        .collect()
}

/// Issue 11: `刑法` put 中华人民共和国刑法 at rank 22, behind its amendments and the
/// interpretations that name it; a law's short name finds the law first.
#[test]
fn regression_issue_11_a_law_s_short_name_finds_the_law_first() {
    let Some((_, index)) = laws() else {
        return;
    };
    for (query, law) in [
        ("刑法", "中华人民共和国刑法"),
        ("科技进步法", "中华人民共和国科学技术进步法"),
        ("安全生产法", "中华人民共和国安全生产法"),
        ("《中华人民共和国公司法》", "中华人民共和国公司法"),
    ] {
        let found = titles(index, query);
        assert_eq!(
            found.first().map(String::as_str),
            Some(law),
            "{query}: {found:?}"
        );
    }
    // The current version, with the older ones reachable from it.
    let company = search(index, |r| r.query = "公司法".into());
    let first = &company.hits[0];
    assert_eq!(first.status, "现行有效", "{:?}", first.title);
    assert!(!first.collapsed.is_empty(), "older versions listed");
    assert!(
        company.hits[1..]
            .iter()
            .all(|h| h.title.as_deref() != Some("中华人民共和国公司法")),
        "one entry for the work"
    );
}

/// Issue 11: a code published in parts showed several identically titled entries, the
/// shortest part (附则) first. The parts are one entry, a substantial part stands for
/// them and the others are listed in it.
#[test]
fn regression_issue_11_a_code_in_parts_is_one_entry() {
    let Some((docs, index)) = laws() else {
        return;
    };
    let parts: Vec<&PolicyDoc> = docs
        .iter()
        .filter(|d| {
            d.title
                .as_deref()
                .is_some_and(|t| t.starts_with("中华人民共和国民法典（"))
        })
        .collect();
    assert!(parts.len() >= 5, "{} parts of the civil code", parts.len());
    let response = search(index, |r| r.query = "民法典".into());
    let code: Vec<_> = response
        .hits
        .iter()
        .filter(|h| {
            h.title
                .as_deref()
                .is_some_and(|t| t.starts_with("中华人民共和国民法典"))
        })
        .collect();
    assert_eq!(code.len(), 1, "{:?}", titles(index, "民法典"));
    assert_eq!(response.hits[0].doc_id, code[0].doc_id, "the code first");
    assert_eq!(code[0].collapsed.len(), parts.len() - 1);
    let shortest = parts.iter().min_by_key(|d| d.body.chars().count()).unwrap();
    assert_ne!(code[0].doc_id, shortest.id, "not the shortest part");
    // Every part stays reachable by its own words.
    assert_eq!(
        titles(index, "民法典 继承编").first().map(String::as_str),
        Some("中华人民共和国民法典（继承编）")
    );
}

/// Issue 11: the synonym 高企 matched 提高企业 and was highlighted there. An
/// abbreviation matches where it stands as a word; quoted, it is a plain string again.
#[test]
fn regression_issue_11_an_abbreviation_respects_word_boundaries() {
    let Some((docs, index)) = laws() else {
        return;
    };
    let words = zhengce_analysis::WordTokenizer::default();
    let as_word = |d: &PolicyDoc| {
        let text = format!("{}\n{}", d.title.as_deref().unwrap_or_default(), d.body);
        text.contains("高新技术企业")
            || words
                .tokens(&text)
                .iter()
                .any(|t| t.text == "高企" || t.text.contains("高新技术企业"))
    };
    let inside_words: Vec<&str> = docs
        .iter()
        .filter(|d| d.body.contains("提高企业") && !as_word(d))
        .map(|d| d.id.as_str())
        .collect();
    assert!(inside_words.len() >= 10, "{} documents", inside_words.len());
    let response = search(index, |r| {
        r.query = "高企".into();
        r.size = 100;
    });
    assert!(response.total > 0);
    for hit in &response.hits {
        assert!(
            !inside_words.contains(&hit.doc_id.as_str()),
            "{:?} only has 高企 inside other words",
            hit.title
        );
        let text = &hit.snippet.text;
        for &(start, end) in &hit.snippet.highlights {
            if &text[start..end] == "高企" {
                assert!(
                    !text[..start].ends_with('提'),
                    "高企 highlighted inside 提高企业: {text}"
                );
            }
        }
    }
    // Quoted, 高企 is the string: every document holding it (the recall guarantee).
    let quoted = search(index, |r| {
        r.query = "\"高企\"".into();
        r.size = 100;
    });
    let found: Vec<&str> = quoted.hits.iter().map(|h| h.doc_id.as_str()).collect();
    assert!(inside_words.iter().all(|id| found.contains(id)));
}
