//! 惠企 filters, facets, validity status and the grouped listing.

use zhengce_index::{BenefitsRequest, Level};
use zhengce_model::PolicyDoc;

use crate::common::{index_of, search, seed_doc};

fn measures(id: &str, date: &str, body: &str) -> PolicyDoc {
    let mut d = PolicyDoc {
        id: id.into(),
        title: Some(format!("关于支持企业发展的若干措施（{id}）")),
        issuer: Some("辽宁省人民政府办公厅".into()),
        publish_date: Some(date.into()),
        body: body.into(),
        ..Default::default()
    };
    d.provisions = zhengce_parse::extract_provisions(body);
    d
}

fn docs() -> Vec<PolicyDoc> {
    vec![
        seed_doc(),
        measures(
            "old",
            "2018-03-01",
            "一、对首次认定的高新技术企业给予20万元奖励。（牵头单位：省科技厅）\n二、对科技型中小企业给予最高10万元研发补贴。（牵头单位：省财政厅）\n本措施自2018年3月1日起施行，有效期3年。",
        ),
        measures(
            "new",
            "2022-05-01",
            "一、对科技型中小企业给予贷款贴息，贴息比例不超过50%。（牵头单位：省金融局）\n本措施自2022年5月1日起施行，有效期5年。",
        ),
    ]
}

/// What people type for classes (`科小`), resolved to their names as the server does.
fn resolve(r: &mut zhengce_index::SearchRequest) {
    r.resolve_classes(
        zhengce_benefits::resolve_benefit,
        zhengce_benefits::resolve_beneficiary,
    )
    .unwrap();
}

#[test]
fn filters_and_facets_by_class_and_synonym() {
    let index = index_of(&docs());
    let r = search(&index, |r| {
        r.level = Level::Provision;
        r.beneficiaries = vec!["科小".into()];
        r.benefits = vec!["金融支持".into()];
        resolve(r);
    });
    let ids: Vec<&str> = r.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["new#一"]);
    assert_eq!(r.hits[0].amounts[0].unit, "%");
    let only_beneficiary = search(&index, |r| {
        r.level = Level::Provision;
        r.beneficiaries = vec!["科小".into()];
        resolve(r);
    });
    // The filtered facet keeps offering its other values.
    assert!(
        only_beneficiary
            .facets
            .beneficiary
            .iter()
            .any(|f| f.value == "高新技术企业"),
        "{:?}",
        only_beneficiary.facets.beneficiary
    );
    let all = search(&index, |r| r.level = Level::Provision);
    assert!(
        all.facets
            .benefit
            .iter()
            .any(|f| f.value == "资金奖励" && f.count >= 7),
        "{:?}",
        all.facets.benefit
    );
    // A class nobody knows is the parameter's fault.
    let mut unknown = zhengce_index::SearchRequest::new("");
    unknown.beneficiaries = vec!["火星人".into()];
    let invalid = unknown
        .resolve_classes(
            zhengce_benefits::resolve_benefit,
            zhengce_benefits::resolve_beneficiary,
        )
        .unwrap_err();
    assert_eq!(invalid.param, "beneficiary");
    assert!(invalid.message.contains("火星人"), "{invalid}");
    // The index takes class names as they come: an unresolved one matches nothing.
    let raw = search(&index, |r| {
        r.level = Level::Provision;
        r.beneficiaries = vec!["科小".into()];
    });
    assert_eq!(raw.total, 0);
}

#[test]
fn status_on_a_date() {
    let index = index_of(&docs());
    let on = |as_of: &str, status: &str| {
        search(&index, |r| {
            r.as_of = Some(as_of.into());
            r.statuses = vec![status.into()];
        })
        .hits
        .into_iter()
        .map(|h| h.doc_id)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    };
    let seed = seed_doc().id;
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(on("2019-01-01", "现行有效"), ["old"]);
    assert_eq!(on("2023-01-01", "现行有效"), ["new"]);
    // The seed is the 2020 工作要点: it applies to 2020 only.
    assert_eq!(
        on("2020-06-01", "现行有效"),
        sorted(vec!["old".into(), seed.clone()])
    );
    assert_eq!(
        on("2023-01-01", "已失效"),
        sorted(vec!["old".into(), seed.clone()])
    );
    assert_eq!(
        on("2019-01-01", "尚未施行"),
        sorted(vec!["new".into(), seed.clone()])
    );
    assert!(on("2023-01-01", "未知").is_empty());
    let facets = search(&index, |r| r.as_of = Some("2023-01-01".into()))
        .facets
        .status;
    let counts: Vec<(String, u64)> = facets.into_iter().map(|f| (f.value, f.count)).collect();
    assert_eq!(counts, [("已失效".into(), 2), ("现行有效".into(), 1)]);
}

/// User test (twelfth session): a version replaced in 2024 showed as 已修订 on
/// `as_of=2010-01-01`, and a law not yet adopted then too: 已修订 holds from the day its
/// successor came, before that the version has its own validity.
#[test]
fn regression_user_test_a_version_is_superseded_from_its_successors_date() {
    let version = |id: &str, date: &str, in_force: &str| {
        let mut d = measures(
            id,
            date,
            &format!("一、对高新技术企业给予奖励。\n本条例自{in_force}起施行。"),
        );
        d.title = Some("上海市检验检测条例".into());
        d
    };
    let mut old = version("2016", "2016-03-01", "2016年3月1日");
    let mut new = version("2024", "2024-05-01", "2024年5月1日");
    old.superseded_by = Some("2024".into());
    let refs = vec![
        zhengce_model::VersionRef {
            id: "2016".into(),
            date: Some("2016-03-01".into()),
            current: false,
        },
        zhengce_model::VersionRef {
            id: "2024".into(),
            date: Some("2024-05-01".into()),
            current: true,
        },
    ];
    old.versions = refs.clone();
    new.versions = refs;
    let index = index_of(&[old, new]);
    // A quoted query lists every record of a work.
    let status = |as_of: &str| -> Vec<(String, String)> {
        let mut got: Vec<(String, String)> = search(&index, |r| {
            r.as_of = Some(as_of.into());
            r.query = "\"检验检测\"".into();
        })
        .hits
        .into_iter()
        .map(|h| (h.doc_id, h.status))
        .collect();
        got.sort();
        got
    };
    let pair = |a: &str, b: &str, c: &str, d: &str| {
        vec![
            (a.to_string(), b.to_string()),
            (c.to_string(), d.to_string()),
        ]
    };
    assert_eq!(
        status("2020-01-01"),
        pair("2016", "现行有效", "2024", "尚未施行")
    );
    assert_eq!(
        status("2025-01-01"),
        pair("2016", "已修订", "2024", "现行有效")
    );
    // The status filter agrees, on either side of the date.
    let filtered = |as_of: &str, wanted: &str| {
        search(&index, |r| {
            r.as_of = Some(as_of.into());
            r.statuses = vec![wanted.into()];
            r.facets = Some(Vec::new());
        })
        .total
    };
    assert_eq!(filtered("2020-01-01", "已修订"), 0);
    assert_eq!(filtered("2025-01-01", "已修订"), 1);
}

#[test]
fn listing_groups_provisions_in_force_first() {
    let index = index_of(&docs());
    let listing = index
        .benefits(&BenefitsRequest {
            beneficiaries: vec!["科技型中小企业".into()],
            regions: vec!["辽宁省".into()],
            as_of: Some("2023-01-01".into()),
            ..BenefitsRequest::default()
        })
        .unwrap();
    let order: Vec<(&str, &str)> = listing
        .documents
        .iter()
        .map(|d| (d.doc_id.as_str(), d.status.as_str()))
        .collect();
    assert_eq!(order[0], ("new", "现行有效"));
    assert_eq!(order.last().unwrap(), &("old", "已失效"));
    let seed = listing
        .documents
        .iter()
        .find(|d| d.doc_id == seed_doc().id)
        .expect("the seed lists 47");
    let p47 = seed.provisions.iter().find(|p| p.number == "47").unwrap();
    assert_eq!(p47.lead_depts, ["企业处"]);
    assert!(p47.benefits.contains(&"税收优惠".to_string()));
    let old = listing
        .documents
        .iter()
        .find(|d| d.doc_id == "old")
        .unwrap();
    assert_eq!(old.provisions[0].amounts[0].value, 10.0);
    assert_eq!(old.provisions[0].lead_depts, ["省财政厅"]);
}

/// Issue 12: a province's enterprise also sees the national policies (which apply in every
/// province), its own region's first; each entry says whom to ask.
#[test]
fn national_policies_show_for_every_region_with_whom_to_ask() {
    let mut national = PolicyDoc {
        id: "cit".into(),
        title: Some("中华人民共和国企业所得税法".into()),
        issuer: Some("全国人民代表大会".into()),
        region: Some("全国".into()),
        publish_date: Some("2018-12-29".into()),
        body: "第二十八条 国家需要重点扶持的高新技术企业，减按15%的税率征收企业所得税。\n第三十条 县级以上人民政府税务主管部门对高新技术企业研究开发费用给予加计扣除。".into(),
        ..Default::default()
    };
    national.provisions = zhengce_parse::extract_provisions(&national.body);
    let mut local = measures(
        "ln",
        "2017-03-01",
        "一、对首次认定的高新技术企业给予20万元奖励。",
    );
    local.publish_date = Some("2017-03-01".into());
    let guangdong = PolicyDoc {
        region: Some("广东省".into()),
        issuer: Some("广东省人民政府".into()),
        ..measures(
            "gd",
            "2021-01-01",
            "一、对首次认定的高新技术企业给予30万元奖励。",
        )
    };
    let index = index_of(&[national, local, guangdong]);
    let listing = index
        .benefits(&BenefitsRequest {
            beneficiaries: vec!["高新技术企业".into()],
            regions: vec!["辽宁省".into()],
            as_of: Some("2023-01-01".into()),
            ..BenefitsRequest::default()
        })
        .unwrap();
    let ids: Vec<&str> = listing
        .documents
        .iter()
        .map(|d| d.doc_id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["ln", "cit"],
        "the province's own first, national next, no 广东"
    );
    let cit = &listing.documents[1];
    let contacts: Vec<Option<&str>> = cit
        .provisions
        .iter()
        .map(|p| p.contact.as_deref())
        .collect();
    assert!(
        contacts.contains(&Some("县级以上人民政府税务主管部门")),
        "{contacts:?}"
    );
    // A legislature is never whom to ask: a tax preference goes to the tax authority.
    assert!(contacts.contains(&Some("主管税务机关")), "{contacts:?}");
    assert!(
        !contacts
            .iter()
            .flatten()
            .any(|c| c.contains("人民代表大会")),
        "{contacts:?}"
    );
    assert_eq!(
        listing.documents[0].provisions[0].contact.as_deref(),
        Some("辽宁省人民政府办公厅")
    );
}

/// A user test: the 惠企 keyword box searched provision text only, so a policy's own name
/// (`企业所得税法`) or its 文号 found nothing.
#[test]
fn regression_user_test_keywords_that_name_a_policy_list_its_support() {
    let mut law = PolicyDoc {
        id: "cit".into(),
        title: Some("中华人民共和国企业所得税法".into()),
        issuer: Some("全国人民代表大会".into()),
        region: Some("全国".into()),
        publish_date: Some("2018-12-29".into()),
        body: "第二十八条 国家需要重点扶持的高新技术企业，减按15%的税率征收企业所得税。".into(),
        ..Default::default()
    };
    law.provisions = zhengce_parse::extract_provisions(&law.body);
    let mut docs = docs();
    docs.push(law);
    let index = index_of(&docs);
    let listed = |q: &str, class: &str| -> Vec<String> {
        index
            .benefits(&BenefitsRequest {
                query: q.into(),
                beneficiaries: vec![class.into()],
                as_of: Some("2023-01-01".into()),
                ..BenefitsRequest::default()
            })
            .unwrap()
            .documents
            .iter()
            .map(|d| d.doc_id.clone())
            .collect()
    };
    assert_eq!(listed("企业所得税法", "高新技术企业"), ["cit"]);
    // The seed by its 文号, written as people type it.
    let seed = seed_doc().id;
    assert_eq!(
        listed("辽科发[2020]6号", "科技型中小企业"),
        std::slice::from_ref(&seed)
    );
    assert_eq!(listed("辽科发〔2020〕6号", "科技型中小企业"), [seed]);
    // A word of the provisions' own text still finds them, and the name filters nothing
    // it should not: a class the law does not serve lists nothing of it.
    assert!(listed("减按15%", "高新技术企业").contains(&"cit".to_string()));
    let other = index
        .benefits(&BenefitsRequest {
            query: "企业所得税法".into(),
            beneficiaries: vec!["农业经营主体".into()],
            ..BenefitsRequest::default()
        })
        .unwrap();
    assert_eq!(other.total_provisions, 0);
}

/// The corpus records that mention `word` (title or body), read as ingest reads them, and
/// the seed (辽科发〔2020〕6号, the one 辽宁 document with a body: the corpus has none).
fn corpus_records_with(corpus: &std::path::Path, word: &str) -> Vec<PolicyDoc> {
    let mut docs = vec![seed_doc()];
    let mut files: Vec<_> = std::fs::read_dir(corpus.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            if !line.contains(word) {
                continue;
            }
            match zhengce_enrich::parse_record(line) {
                Ok(record) => docs.push(record.doc),
                Err(zhengce_enrich::RecordError::Unidentifiable) => {}
                Err(e) => panic!("{}: {e}", file.display()),
            }
        }
    }
    docs
}

fn listing_for(
    index: &zhengce_index::PolicyIndex,
    beneficiary: &str,
) -> zhengce_index::BenefitsResponse {
    index
        .benefits(&BenefitsRequest {
            beneficiaries: vec![beneficiary.into()],
            regions: vec!["辽宁省".into()],
            limit: 500,
            ..BenefitsRequest::default()
        })
        .unwrap()
}

/// Every entry of a listing names whom to ask, and comes from the province or the nation.
fn assert_answerable(listing: &zhengce_index::BenefitsResponse) {
    for d in &listing.documents {
        let title = d.title.as_deref().unwrap_or_default();
        assert!(
            matches!(d.region.as_deref(), Some("全国" | "辽宁省")),
            "{title}: region {:?} shown for 辽宁省",
            d.region
        );
        for p in &d.provisions {
            assert!(
                p.contact.as_deref().is_some_and(|c| c.chars().count() >= 2),
                "{title} {}: no one to ask ({:?})",
                p.number,
                p.contact
            );
        }
    }
}

/// Issue 12, "What must show": `/benefits?beneficiary=高新技术企业&region=辽宁省` on the
/// shared corpus lists the national tax preference (企业所得税法 第二十八条) first, each entry
/// with whom to ask, nothing from another province and no definition of the term. The index
/// holds every corpus record that mentions 高新技术企业 and the seed. The corpus has no 辽宁
/// body; the seed's provisions that name 高新技术企业 (46, a campaign, and 48, a target)
/// offer nothing, so no 辽宁 provision answers this request; the same index shows the
/// 辽宁 provisions for the seed's own beneficiary (科技型中小企业), after the national ones in
/// force (the seed is the 2020 plan).
#[test]
fn issue_12_high_tech_enterprise_in_liaoning_on_the_corpus() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let mut docs = corpus_records_with(&corpus, "高新技术企业");
    docs.extend(
        corpus_records_with(&corpus, "科技型中小企业")
            .into_iter()
            .skip(1),
    );
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    docs.dedup_by(|a, b| a.id == b.id);
    assert!(docs.len() > 50, "{} documents", docs.len());
    let index = index_of(&docs);

    let listing = listing_for(&index, "高新技术企业");
    let first = &listing.documents[0];
    assert_eq!(
        first.title.as_deref(),
        Some("中华人民共和国企业所得税法"),
        "the national tax preference first"
    );
    assert_eq!(first.region.as_deref(), Some("全国"));
    let p28 = first
        .provisions
        .iter()
        .find(|p| p.number.ends_with("第二十八条"))
        .unwrap_or_else(|| panic!("no 第二十八条: {first:#?}"));
    assert!(p28.benefits.contains(&"税收优惠".to_string()), "{p28:?}");
    assert_eq!(p28.contact.as_deref(), Some("主管税务机关"));
    assert_answerable(&listing);
    // Definitions of the term offer nothing (企业所得税法实施条例 第九十三条 defines it).
    assert!(
        listing
            .documents
            .iter()
            .flat_map(|d| &d.provisions)
            .all(|p| !p
                .snippet
                .text
                .contains("所称国家需要重点扶持的高新技术企业")),
        "a definition is listed"
    );
    let seed = seed_doc();
    for p in seed
        .provisions
        .iter()
        .filter(|p| p.text.contains("高新技术企业"))
    {
        assert!(
            zhengce_benefits::classify(&p.text).benefits.is_empty(),
            "seed {} offers support: {}",
            p.number,
            p.text
        );
    }
    assert!(listing.documents.iter().all(|d| d.doc_id != seed.id));

    let listing = listing_for(&index, "科技型中小企业");
    assert_answerable(&listing);
    let liaoning = listing
        .documents
        .iter()
        .position(|d| d.doc_id == seed.id)
        .expect("the 辽宁 provisions for 科技型中小企业");
    assert_eq!(
        listing.documents[liaoning].region.as_deref(),
        Some("辽宁省")
    );
    let p47 = listing.documents[liaoning]
        .provisions
        .iter()
        .find(|p| p.number == "47")
        .expect("47 (税收优惠, 奖励性后补助)");
    assert_eq!(p47.contact.as_deref(), Some("企业处"));
    let national_in_force = listing
        .documents
        .iter()
        .position(|d| d.region.as_deref() == Some("全国") && d.status == "现行有效")
        .expect("a national policy in force for 科技型中小企业");
    assert!(national_in_force < liaoning);
}

/// Issue 10 (the house): the index stores the facts it is given and reads no text for
/// them — classes, amounts and validity here say what the text does not — and the source
/// entry keeps them for the document page. Facts that do not fit the document are refused.
#[test]
fn regression_issue_10_the_index_stores_the_facts_it_is_given() {
    use zhengce_model::{Amount, Classification, DocFacts, ProvisionFacts, Validity};

    let mut doc = crate::common::doc(
        "given",
        "关于某项工作的通知",
        "一、做好某项工作。\n二、加强组织领导。",
    );
    doc.publish_date = Some("2021-03-01".into());
    doc.provisions = zhengce_parse::extract_provisions(&doc.body);
    assert_eq!(doc.provisions.len(), 2, "{:?}", doc.provisions);
    let derived = zhengce_benefits::derive(&doc);
    assert!(derived.classes.benefits.is_empty(), "{derived:?}");
    assert_eq!(derived.validity, Validity::default());

    let classes = Classification {
        benefits: vec!["资金奖励".into()],
        beneficiaries: vec!["孵化载体".into()],
    };
    let facts = DocFacts {
        validity: Validity {
            valid_from: Some("2021-03-01".into()),
            valid_to: Some("2021-12-31".into()),
            ..Validity::default()
        },
        classes: classes.clone(),
        provisions: vec![
            ProvisionFacts {
                classes,
                amounts: vec![Amount {
                    value: 5.0,
                    unit: "万元".into(),
                    qualifier: Some("最高".into()),
                    text: "最高5万元".into(),
                }],
            },
            ProvisionFacts::default(),
        ],
    };
    let index = zhengce_index::PolicyIndex::create_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    assert!(matches!(
        index.prepare(&doc, &DocFacts::default()),
        Err(zhengce_index::IndexError::FactsMismatch(_))
    ));
    writer.upsert(&doc, &facts).unwrap();
    writer.commit().unwrap();

    let hits = search(&index, |r| {
        r.level = Level::Provision;
        r.benefits = vec!["资金奖励".into()];
        r.as_of = Some("2021-06-01".into());
    });
    assert_eq!(hits.total, 1);
    let hit = &hits.hits[0];
    assert_eq!(hit.id, "given#一");
    assert_eq!(hit.beneficiaries, ["孵化载体"]);
    assert_eq!(hit.amounts[0].value, 5.0);
    assert_eq!(hit.status, "现行有效");
    let later = search(&index, |r| r.as_of = Some("2022-01-01".into()));
    assert_eq!(later.hits[0].status, "已失效");

    // The 惠企 listing takes the provisions with any benefit.
    let listing = index
        .benefits(&BenefitsRequest {
            beneficiaries: vec!["孵化载体".into()],
            as_of: Some("2021-06-01".into()),
            limit: 10,
            ..BenefitsRequest::default()
        })
        .unwrap();
    assert_eq!(listing.total_provisions, 1);
    assert!(!listing.truncated);
    assert_eq!(listing.documents[0].provisions[0].number, "一");

    let stored = index.get_stored("given").unwrap().unwrap();
    assert_eq!(stored.doc, doc);
    assert_eq!(stored.facts, facts);
    assert_eq!(index.get_doc("given").unwrap().as_ref(), Some(&doc));
    assert!(index.get_stored("missing").unwrap().is_none());
}
