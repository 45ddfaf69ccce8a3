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
