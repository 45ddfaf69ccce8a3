//! Provision search on the seed: every provision containing the query in the top 10.

use zhengce_analysis::{normalize, synonyms};
use zhengce_benefits::derive;
use zhengce_index::{IndexError, Level, SearchRequest};

use crate::common::{index_of, search, seed_doc};

/// Keyword queries and the provisions of 辽科发〔2020〕6号 that contain them.
const QUERIES: &[(&str, &[u32])] = &[
    ("独角兽", &[30]),
    ("技术经纪人", &[56]),
    ("科研诚信", &[13]),
    ("一带一路", &[75, 77]),
    ("卡脖子", &[20, 71]),
    ("奖励性后补助", &[29, 30, 47, 51, 56, 59]),
    ("瞪羚", &[30]),
    ("新型研发机构", &[6, 31]),
    ("高新技术企业", &[46, 48]),
    ("科技型中小企业", &[47, 48]),
    ("加计扣除", &[47]),
    ("辽宁实验室", &[2, 3, 4, 5, 74]),
    ("自然科学基金", &[25, 66, 67, 69]),
    ("外国专家", &[71, 72]),
    ("众创空间", &[63]),
    ("大学科技园", &[62, 63]),
    ("科技特派员", &[79]),
    ("临床医学研究中心", &[80]),
    ("保费补贴", &[54]),
    ("风险补偿", &[54]),
    ("引导基金", &[53]),
    ("科创板", &[53]),
    ("中试基地", &[59]),
    ("技术转移", &[55, 56, 60, 61, 75]),
    ("东北科技大市场", &[52, 55]),
    ("沈大自创区", &[33, 34]),
    ("人工智能", &[23, 41]),
    ("放管服", &[17]),
    ("包干制", &[15]),
    ("诚信处", &[12, 13, 14, 18]),
    ("科普基地", &[85]),
    ("国家高新区", &[38]),
    ("星创天地", &[79]),
    ("新冠肺炎", &[5]),
    ("军民融合", &[32]),
    ("科技金融", &[52]),
    ("科技成果转化", &[15, 53, 57, 59, 61, 65]),
    ("知识产权保护", &[59]),
    ("兴辽英才", &[68]),
    // Queries that cross jieba's word boundaries.
    ("培育瞪羚", &[30]),
    ("经纪人300名", &[56]),
    ("炼组织一", &[2]),
];

#[test]
fn provisions_containing_the_query_are_in_the_top_10() {
    let index = index_of(&[seed_doc()]);
    for &(query, expected) in QUERIES {
        let response = search(&index, |r| {
            r.query = query.into();
            r.level = Level::Provision;
        });
        let top: Vec<u32> = response
            .hits
            .iter()
            .map(|h| h.provision_number.as_deref().unwrap().parse().unwrap())
            .collect();
        for n in expected {
            assert!(
                top.contains(n),
                "{query}: provision {n} not in top 10 {top:?}"
            );
        }
        // The provisions containing the query (or one of its synonyms) come first; a
        // query of several words then finds those holding all its words.
        let forms: Vec<String> = std::iter::once(normalize(query))
            .chain(synonyms(query).iter().cloned())
            .collect();
        let mut first = top[..expected.len()].to_vec();
        first.sort_unstable();
        assert_eq!(first, expected, "{query}: {top:?}");
        for hit in &response.hits[..expected.len()] {
            let text = normalize(&hit.snippet.text);
            assert!(
                forms.iter().any(|f| text.contains(f.as_str())) || hit.snippet.text.contains('…'),
                "{query}: {text}"
            );
        }
        for hit in &response.hits {
            assert!(
                !hit.snippet.highlights.is_empty(),
                "{query}: unmarked snippet {}",
                hit.snippet.text
            );
        }
        // Quoted, the query is the string alone: exactly the provisions containing it.
        let quoted = search(&index, |r| {
            r.query = format!("\"{query}\"");
            r.level = Level::Provision;
        });
        assert_eq!(quoted.total, expected.len(), "\"{query}\"");
    }
}

#[test]
fn provision_hits_carry_departments_and_headings() {
    let index = index_of(&[seed_doc()]);
    let response = search(&index, |r| {
        r.query = "技术经纪人".into();
        r.level = Level::Provision;
    });
    let hit = &response.hits[0];
    assert_eq!(hit.id, format!("{}#56", hit.doc_id));
    assert_eq!(hit.lead_depts, ["成果处"]);
    assert_eq!(
        hit.heading_path,
        ["六、健全完善服务模式,提升科技成果转化效能"]
    );
    assert_eq!(hit.doc_number.as_deref(), Some("辽科发〔2020〕6号"));
    assert_eq!(hit.region.as_deref(), Some("辽宁省"));
    assert_eq!(hit.doc_type.as_deref(), Some("通知"));
}

#[test]
fn document_hits_show_their_best_provisions() {
    let index = index_of(&[seed_doc()]);
    let response = search(&index, |r| r.query = "奖励性后补助".into());
    assert_eq!(response.total, 1);
    let hit = &response.hits[0];
    assert_eq!(hit.matched_provisions.len(), 3);
    for p in &hit.matched_provisions {
        assert!(
            p.snippet.to_html().contains("<mark>奖励性后补助</mark>"),
            "{}",
            p.snippet.text
        );
        assert!(!p.lead_depts.is_empty());
    }
}

#[test]
fn facets_count_every_hit_not_just_the_page() {
    let index = index_of(&[seed_doc()]);
    let response = search(&index, |r| {
        r.query = "处".into();
        r.level = Level::Provision;
        r.size = 5;
    });
    assert_eq!(response.total, 86);
    let counted: u64 = response.facets.lead_dept.iter().map(|f| f.count).sum();
    assert!(counted >= 86, "{:?}", response.facets.lead_dept);
    let planning = response
        .facets
        .lead_dept
        .iter()
        .find(|f| f.value == "规划处")
        .unwrap();
    assert_eq!(planning.count, 18);
    assert_eq!(response.facets.year[0].value, "2020");
    assert_eq!(response.facets.region[0].value, "辽宁省");

    // Filtering by a facet value narrows to exactly its count.
    let filtered = search(&index, |r| {
        r.level = Level::Provision;
        r.lead_depts = vec!["规划处".into()];
    });
    assert_eq!(filtered.total, 18);
    // The filtered facet still offers its other values, counted without its own filter.
    let enterprise = filtered
        .facets
        .lead_dept
        .iter()
        .find(|f| f.value == "企业处")
        .unwrap();
    assert_eq!(enterprise.count, 8);
    // Other facets count only the filtered hits.
    assert_eq!(
        filtered.facets.year,
        [zhengce_index::FacetValue {
            value: "2020".into(),
            count: 18
        }]
    );
}

#[test]
fn malformed_queries_and_requests_are_user_errors() {
    let index = index_of(&[seed_doc()]);
    for q in ["\"独角兽", "OR 独角兽", "-独角兽"] {
        assert!(
            matches!(
                index.search(&SearchRequest::new(q)),
                Err(IndexError::BadQuery(_))
            ),
            "{q}"
        );
    }
    let mut r = SearchRequest::new("独角兽");
    r.size = 101;
    assert!(matches!(index.search(&r), Err(IndexError::BadRequest(_))));
    r.size = 10;
    r.page = 0;
    assert!(matches!(index.search(&r), Err(IndexError::BadRequest(_))));
    r.page = 1;
    r.from = Some("2020-13-01".into());
    assert!(matches!(index.search(&r), Err(IndexError::BadRequest(_))));
}

#[test]
fn reingesting_replaces_instead_of_duplicating() {
    let index = zhengce_index::PolicyIndex::create_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    let mut doc = seed_doc();
    assert_eq!(
        writer.upsert(&doc, &derive(&doc)).unwrap(),
        zhengce_index::Upsert::Added
    );
    writer.commit().unwrap();
    doc.provisions.truncate(10);
    assert_eq!(
        writer.upsert(&doc, &derive(&doc)).unwrap(),
        zhengce_index::Upsert::Replaced
    );
    writer.commit().unwrap();
    assert_eq!(index.num_docs().unwrap(), 1);
    let provisions = search(&index, |r| r.level = Level::Provision);
    assert_eq!(provisions.total, 10);
    assert_eq!(
        index.get_doc(&doc.id).unwrap().unwrap().provisions.len(),
        10
    );

    // A new id is written without a delete: twice before a commit, and again from a
    // writer opened later, it is still replaced.
    let mut other = seed_doc();
    other.id = format!("{}-other", doc.id);
    for expected in [
        zhengce_index::Upsert::Added,
        zhengce_index::Upsert::Replaced,
    ] {
        assert_eq!(writer.upsert(&other, &derive(&other)).unwrap(), expected);
    }
    writer.commit().unwrap();
    drop(writer);
    let mut writer = index.writer().unwrap();
    assert_eq!(
        writer.upsert(&doc, &derive(&doc)).unwrap(),
        zhengce_index::Upsert::Replaced
    );
    writer.finish().unwrap();
    assert_eq!(index.num_docs().unwrap(), 2);
    let provisions = search(&index, |r| r.level = Level::Provision);
    assert_eq!(provisions.total, 10 + other.provisions.len());
}

#[test]
fn an_index_from_another_schema_is_refused_and_left_alone() {
    let dir = std::env::temp_dir().join(format!("zhengce-old-schema-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut old = tantivy::schema::Schema::builder();
    old.add_text_field("id", tantivy::schema::STRING | tantivy::schema::STORED);
    tantivy::Index::create_in_dir(&dir, old.build()).unwrap();
    let before = std::fs::read(dir.join("meta.json")).unwrap();
    match zhengce_index::PolicyIndex::open_or_create(&dir) {
        Err(IndexError::SchemaMismatch(field)) => assert_eq!(field, "doc_id"),
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("an old index must not open"),
    }
    assert_eq!(std::fs::read(dir.join("meta.json")).unwrap(), before);
    std::fs::remove_dir_all(&dir).unwrap();
}
