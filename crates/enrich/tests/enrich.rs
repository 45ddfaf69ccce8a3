//! Records as documents: the field mapping on bad input, and over the whole shared corpus
//! the share of documents with an issuer and a region, per source.

use std::collections::BTreeMap;

use zhengce_enrich::{IssuerSource, RecordError, enrich, issuer_from_doc_number, parse_record};

#[test]
fn bad_values_are_dropped_and_noted_not_fatal() {
    let line = r###"{"id": "t:1", "title": "某省人民政府关于测试的通知", "publish_date": "2023-13-45",
        "written_date": "2021-02-29", "jurisdiction": "Atlantis Provincial Government",
        "doc_number": "粤府[2023] 68 号", "body": "## 第一章 总则\n\n第一条 **为了**测试。"}"###;
    let record = parse_record(line).unwrap();
    let doc = &record.doc;
    assert_eq!(doc.publish_date, None);
    assert_eq!(doc.written_date, None);
    assert_eq!(doc.doc_number.as_deref(), Some("粤府〔2023〕68号"));
    assert!(
        !doc.body.contains('#') && !doc.body.contains("**"),
        "{}",
        doc.body
    );
    assert_eq!(record.notes.len(), 3, "{:?}", record.notes);
    assert!(record.notes.iter().any(|n| n.contains("2023-13-45")));
    assert!(record.notes.iter().any(|n| n.contains("Atlantis")));

    let mut doc = record.doc;
    enrich(&mut doc);
    // The jurisdiction was unknown: the region comes from the 文号.
    assert_eq!(doc.region.as_deref(), Some("广东省"));

    let odd = r#"{"id": "t:2", "doc_number": "第68号文件"}"#;
    let record = parse_record(odd).unwrap();
    assert_eq!(record.doc.doc_number.as_deref(), Some("第68号文件"));
    assert_eq!(record.notes.len(), 1);
    assert!(record.doc.is_catalogue_entry());
}

/// User test (seventh session): a State Council regulation for one province's zone, or a
/// law passed by a local congress that names itself by its level, is that place's.
#[test]
fn national_acts_about_one_province_and_local_congresses_are_placed() {
    let zone = r#"{"id": "t:z", "title": "北京市新技术产业开发试验区暂行条例", "category": "行政法规",
        "publish_date": "1988-05-19", "info": "1988年5月10日 国务院批准", "body": "第一条 为了…"}"#;
    let mut doc = parse_record(zone).unwrap().doc;
    enrich(&mut doc);
    assert_eq!(doc.region.as_deref(), Some("北京市"));
    // A national act named after a place by its short name stays national.
    let games = r#"{"id": "t:g", "title": "北京2022年冬奥会和冬残奥会特殊标志保护条例",
        "category": "行政法规", "body": "第一条 为了…"}"#;
    let mut doc = parse_record(games).unwrap().doc;
    enrich(&mut doc);
    assert_eq!(doc.region.as_deref(), Some("全国"));
    let hangzhou = r#"{"id": "t:h", "title": "杭州市企业工资集体协商条例",
        "category": "浙江地方法规/地方性法规",
        "info": "2013年12月31日 市十二届人民代表大会常务委员会第十六次会议通过", "body": "第一条 为了…"}"#;
    let mut doc = parse_record(hangzhou).unwrap().doc;
    enrich(&mut doc);
    assert_eq!(doc.issuer.as_deref(), Some("杭州市人民代表大会常务委员会"));
    for title in ["社会保险经办条例", "全民所有制工业企业转换经营机制条例"]
    {
        let line = format!(
            r#"{{"id": "t:s", "title": "{title}", "category": "行政法规", "body": "第一条"}}"#
        );
        let mut doc = parse_record(&line).unwrap().doc;
        enrich(&mut doc);
        assert_ne!(
            doc.issuer.as_deref(),
            Some(&title[..title.len() - "条例".len()]),
            "{title}"
        );
    }
}

#[test]
fn records_without_title_or_number_are_skipped_with_a_reason() {
    let line =
        r#"{"id": "t:3", "url": "http://www.gd.gov.cn/x.html", "publish_date": "2023-09-25"}"#;
    assert_eq!(parse_record(line).unwrap_err(), RecordError::Unidentifiable);
    assert!(matches!(
        parse_record("{not json").unwrap_err(),
        RecordError::Invalid(_)
    ));
    assert!(matches!(
        parse_record("[1, 2]").unwrap_err(),
        RecordError::Invalid(_)
    ));
}

#[test]
fn parts_of_a_code_are_told_apart_by_their_part() {
    let line = r##"{"id": "t:4", "title": "中华人民共和国民法典", "category": "民法典",
        "info": "# 合同编\n2020年5月28日 第十三届全国人民代表大会第三次会议通过\n2021年1月1日 施行",
        "body": "第四百六十三条 本编调整因合同产生的民事关系。"}"##;
    let mut doc = parse_record(line).unwrap().doc;
    enrich(&mut doc);
    assert_eq!(doc.title.as_deref(), Some("中华人民共和国民法典（合同编）"));
    assert!(!doc.history.as_deref().unwrap().contains('#'));
    assert_eq!(doc.issuer.as_deref(), Some("全国人民代表大会"));
    assert_eq!(doc.region.as_deref(), Some("全国"));
    assert_eq!(doc.doc_type.as_deref(), Some("法"));
}

#[derive(Default)]
struct Coverage {
    records: usize,
    skipped: usize,
    issuer: usize,
    region: usize,
    by: BTreeMap<&'static str, usize>,
}

/// Over every record of the shared corpus: documents with an issuer and a region, per
/// source; and how often the 文号-prefix rule agrees with the issuer a title names.
#[test]
fn corpus_issuer_and_region_coverage() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let files = record_files(&corpus);
    assert!(!files.is_empty());
    let mut table: BTreeMap<String, Coverage> = BTreeMap::new();
    let (mut agree, mut compared) = (0, 0);
    for file in files {
        let source = file.file_stem().unwrap().to_string_lossy().to_string();
        let c = table.entry(source).or_default();
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            let mut doc = match parse_record(line) {
                Ok(r) => r.doc,
                Err(RecordError::Unidentifiable) => {
                    c.skipped += 1;
                    continue;
                }
                Err(e) => panic!("{}: {e}", file.display()),
            };
            c.records += 1;
            let how = enrich(&mut doc);
            if doc.issuer.is_some() {
                c.issuer += 1;
            }
            if doc.region.is_some() {
                c.region += 1;
            }
            let name = match how {
                Some(IssuerSource::Given) => "given",
                Some(IssuerSource::Title) => "title",
                Some(IssuerSource::History) => "history",
                Some(IssuerSource::DocNumber) => "doc_number",
                Some(IssuerSource::Relative) => "relative",
                Some(IssuerSource::Signature) => "signature",
                Some(IssuerSource::Publisher) => "publisher",
                None => "none",
            };
            *c.by.entry(name).or_default() += 1;
            if how == Some(IssuerSource::Title)
                && let Some(implied) = doc.doc_number.as_deref().and_then(issuer_from_doc_number)
            {
                compared += 1;
                if doc.issuer.as_deref() == Some(implied.as_str()) {
                    agree += 1;
                }
            }
        }
    }
    println!("| source | documents | skipped | with issuer | with region | issuer from |");
    println!("|---|---|---|---|---|---|");
    for (source, c) in &table {
        let share = |n: usize| 100.0 * n as f64 / c.records.max(1) as f64;
        println!(
            "| {source} | {} | {} | {} ({:.1}%) | {} ({:.1}%) | {:?} |",
            c.records,
            c.skipped,
            c.issuer,
            share(c.issuer),
            c.region,
            share(c.region),
            c.by
        );
    }
    let agreement = agree as f64 / compared.max(1) as f64;
    println!(
        "文号-prefix rule agrees with the title's issuer on {agree} of {compared} ({agreement:.3})"
    );
    assert!(
        compared > 1000,
        "too few records to measure the 文号 rule: {compared}"
    );
    assert!(
        agreement >= 0.95,
        "文号-prefix rule agreement {agreement:.3}"
    );

    // Sources that carry or imply a region and an issuer: ≥ 95% of their documents.
    for (source, c) in &table {
        let region = c.region as f64 / c.records.max(1) as f64;
        assert!(region >= 0.95, "{source}: region on {region:.3}");
    }
    for source in [
        "govcn_sql",
        "lawrefbook",
        "gccmpd",
        "jiangxi_gov",
        "wikisource_reports",
    ] {
        let c = &table[source];
        let issuer = c.issuer as f64 / c.records.max(1) as f64;
        assert!(issuer >= 0.95, "{source}: issuer on {issuer:.3}");
    }
    // Below the 95% aim, measured (BENCHMARKS.md says which records name no issuer):
    // catalogue entries titled without an office (news, 公示, 图解, rules named only by
    // title) and 解读 pages without a signature.
    for (source, floor) in [("policy_transparency", 0.88), ("bjtcm", 0.5)] {
        let c = &table[source];
        let issuer = c.issuer as f64 / c.records.max(1) as f64;
        assert!(issuer >= floor, "{source}: issuer on {issuer:.3}");
    }
    // Every record with a title or 文号 is a document: only the others are skipped.
    assert_eq!(table["policy_transparency"].skipped, 831);
}

/// Real duplicated titles of the law corpus: versions are grouped, the newest is current,
/// the parts of the civil code are not versions of one another.
#[test]
fn versions_of_real_laws_are_grouped() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let text = std::fs::read_to_string(corpus.join("docs/lawrefbook.jsonl")).unwrap();
    let mut docs: Vec<_> = text
        .lines()
        .map(|l| {
            let mut d = parse_record(l).unwrap().doc;
            enrich(&mut d);
            d
        })
        .collect();
    let mut refs: Vec<&mut zhengce_model::PolicyDoc> = docs.iter_mut().collect();
    let groups = zhengce_enrich::group_versions(&mut refs);
    println!("{groups} works with several versions");
    assert!(groups >= 50, "{groups}");
    let versions: Vec<_> = docs
        .iter()
        .filter(|d| d.title.as_deref() == Some("上海市科学技术进步条例"))
        .collect();
    assert_eq!(versions.len(), 2);
    let (old, new): (
        Vec<&zhengce_model::PolicyDoc>,
        Vec<&zhengce_model::PolicyDoc>,
    ) = versions.iter().partition(|d| d.superseded_by.is_some());
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].publish_date.as_deref(), Some("2010-09-17"));
    assert_eq!(old[0].superseded_by.as_deref(), Some(new[0].id.as_str()));
    assert_eq!(new[0].publish_date.as_deref(), Some("2024-05-10"));
    assert!(
        new[0]
            .versions
            .iter()
            .any(|v| v.id == old[0].id && !v.current)
    );
    assert!(
        old[0]
            .versions
            .iter()
            .any(|v| v.id == new[0].id && v.current)
    );

    // The civil code's parts carry their part in the title and are not versions.
    let parts: Vec<_> = docs
        .iter()
        .filter(|d| {
            d.title
                .as_deref()
                .is_some_and(|t| t.starts_with("中华人民共和国民法典"))
        })
        .collect();
    assert_eq!(parts.len(), 7);
    let titles: std::collections::BTreeSet<_> = parts.iter().map(|d| d.title.clone()).collect();
    assert_eq!(titles.len(), 7, "{titles:?}");
    assert!(parts.iter().all(|d| d.superseded_by.is_none()));
}

/// User test (twelfth session): 176 corpus titles held line breaks
/// (`海南省人民政府关于\n2006年度…`). A title is one line: a line break beside Chinese
/// text vanishes, other runs of whitespace become one space (`WZ6-13 A1S1` keeps its).
#[test]
fn regression_titles_are_one_line() {
    for (line, title) in [
        (
            r#"{"id": "ptc:f6f4010cbef4e3b8", "source": "policy_transparency", "url": "https://www.hainan.gov.cn/hainan/szfwj/200703/93cea05f7e164c6594cde37a7629f43f.shtml", "jurisdiction": "Hainan Provincial Government", "title": "海南省人民政府关于\n2006年度海南省科技进步奖和海南省科技成果转化奖的决定", "written_date": "2007-03-27", "publish_date": "2007-03-27"}"#,
            "海南省人民政府关于2006年度海南省科技进步奖和海南省科技成果转化奖的决定",
        ),
        (
            r#"{"id": "ptc:dc49dc1bb616ff3f", "source": "policy_transparency", "url": "https://www.hainan.gov.cn/hainan/szfwj/201204/dda68254c7484edd948b09baee10304a.shtml", "jurisdiction": "Hainan Provincial Government", "title": "海南省人民政府关于废止\n《海南省城市市容和环境卫生管理办法》和\n《海南省邮政管理规定》的决定", "written_date": "2012-04-13", "publish_date": "2012-04-13"}"#,
            "海南省人民政府关于废止《海南省城市市容和环境卫生管理办法》和《海南省邮政管理规定》的决定",
        ),
        (
            r#"{"id": "gccmpd:0c3f0ec0a3aff1f8", "title": "关于涠洲油田群调整井项目（WZ6-13 A1S1等31口调整井）环境影响报告表的批复", "body": "关于涠洲油田群调整井项目"}"#,
            "关于涠洲油田群调整井项目（WZ6-13 A1S1等31口调整井）环境影响报告表的批复",
        ),
        (
            r#"{"id": "lawrefbook:t", "title": "最高人民法院  最高人民检察院关于办理\r\n 强奸、猥亵未成年人刑事案件适用法律若干问题的解释", "body": "第一条"}"#,
            "最高人民法院 最高人民检察院关于办理强奸、猥亵未成年人刑事案件适用法律若干问题的解释",
        ),
    ] {
        let doc = parse_record(line).unwrap().doc;
        assert_eq!(doc.title.as_deref(), Some(title));
    }
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let mut multiline = Vec::new();
    for path in record_files(&corpus) {
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            if let Ok(record) = parse_record(line)
                && let Some(t) = record.doc.title
                && (t.contains(char::is_control) || t.contains("  "))
            {
                multiline.push(t);
            }
        }
    }
    assert!(multiline.is_empty(), "{multiline:?}");
}

/// The documents of every corpus source, parsed and enriched, with their versions grouped.
fn corpus_with_versions(corpus: &std::path::Path) -> Vec<zhengce_model::PolicyDoc> {
    let files = record_files(corpus);
    let mut docs = Vec::new();
    for file in files {
        for line in std::fs::read_to_string(&file).unwrap().lines() {
            if let Ok(record) = parse_record(line) {
                let mut doc = record.doc;
                enrich(&mut doc);
                docs.push(doc);
            }
        }
    }
    let mut refs: Vec<&mut zhengce_model::PolicyDoc> = docs.iter_mut().collect();
    zhengce_enrich::group_versions(&mut refs);
    docs
}

/// User test (twelfth session): 134 full-text regulations were 已修订 because a catalogue
/// entry of the same regulation (a gov.cn posting: title and date, no text) was dated
/// later — six days later (私募投资基金监督管理条例), or on the day gov.cn reposted old
/// regulations (2008-03-28, 2012-10-09). A posting is the version it posts; an entry
/// without text never supersedes a full text, while real amendments stay versions.
#[test]
fn regression_catalogue_entries_never_supersede_full_texts() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let docs = corpus_with_versions(&corpus);
    let by_id = |id: &str| {
        docs.iter()
            .find(|d| d.id == id)
            .unwrap_or_else(|| panic!("{id} not in the corpus"))
    };
    for d in &docs {
        if let Some(newer) = &d.superseded_by {
            assert!(
                d.is_catalogue_entry() || !by_id(newer).is_catalogue_entry(),
                "{} {:?} superseded by the catalogue entry {newer}",
                d.id,
                d.title
            );
        }
    }
    // Full texts and their reposts: no version supersedes another, each lists the other.
    for (full, repost) in [
        ("lawrefbook:5787870934437fae", "ptc:98356a7bd201557e"), // 私募投资基金监督管理条例
        ("lawrefbook:92f0e5e526ef7dbe", "ptc:a0c98d523ac62b4f"), // 法律援助条例, 2008-03-28
        ("lawrefbook:0f58089aab9d4ec8", "ptc:e59cb53bb6fd6a3c"), // 基金会管理条例
        ("lawrefbook:85b202f6aa36e628", "ptc:911714a13b949348"), // 收费公路管理条例
        // 国务院关于高级专家退休问题的补充规定, 国发〔1986〕26号 reposted 2012-10-09.
        ("lawrefbook:e3e4268c14f298c9", "ptc:971a4af3e8b65681"),
        // 专利代理条例: the 2018 text and gov.cn's page of the same decree (国令第706号).
        ("lawrefbook:ab83b4e2b3c9b614", "govcn_sql:5341736"),
    ] {
        let (full, repost) = (by_id(full), by_id(repost));
        assert_eq!(full.superseded_by, None, "{} {:?}", full.id, full.title);
        assert_eq!(
            repost.superseded_by, None,
            "{} {:?}",
            repost.id, repost.title
        );
        assert!(full.versions.iter().any(|v| v.id == repost.id && v.current));
    }
    // Real amendments stay versions: 中国人民解放军文职人员条例 of 2017 (and gov.cn's
    // posting of it) are superseded by the text of 2022, whose posting is current.
    let current = "lawrefbook:c16034982679c0c1";
    for old in ["lawrefbook:bf246d07ba5c6d49", "ptc:efeb8f4f5010fcdc"] {
        assert_eq!(by_id(old).superseded_by.as_deref(), Some(current), "{old}");
    }
    assert_eq!(by_id(current).superseded_by, None);
    assert_eq!(by_id("ptc:0ebf24c34ef6fc4a").superseded_by, None);
    // A posting of 农药管理条例 in 2017, amended since (the text of 2022).
    assert_eq!(
        by_id("ptc:b7b02cd6db39f40f").superseded_by.as_deref(),
        Some("lawrefbook:4f67245b14f2d2c0")
    );
    // A later text that only reposts an older one (中华人民共和国行政复议法实施条例 on
    // a 2019 page, its decree of 2007) is not a newer version.
    assert_eq!(by_id("lawrefbook:355e13ce86a5114e").superseded_by, None);
    assert_eq!(by_id("bjtcm:t20191230_1544027").superseded_by, None);
}

/// User test (twelfth session): LawRefBook dates a record by its file name
/// (`河南省促进科技成果转化条例(2001-05-25).md`), but the text is the law adopted on
/// 2019-09-27 that repealed the one of 2001; the record's date is the text's.
#[test]
fn regression_a_file_name_date_older_than_the_text_gives_way() {
    let line = r#"{"id": "lawrefbook:a57ee099273e0fd9", "source": "lawrefbook",
        "path": "DLC/河南地方法规/地方性法规/河南/河南省促进科技成果转化条例(2001-05-25).md",
        "title": "河南省促进科技成果转化条例", "region": "河南", "category": "河南地方法规/地方性法规",
        "publish_date": "2001-05-25",
        "info": "2019年9月27日 河南省第十三届人民代表大会常务委员会第十二次会议通过",
        "body": "第四十九条 本条例自2020年１月１日起施行。2001年5月24日河南省第九届人民代表大会常务委员会第二十二次会议通过的《河南省促进科技成果转化条例》同时废止。"}"#;
    let record = parse_record(line).unwrap();
    assert_eq!(record.doc.publish_date.as_deref(), Some("2019-09-27"));
    assert!(record.notes.iter().any(|n| n.contains("2001-05-25")));
    // A file name that agrees with the text, or a history that ends earlier, stays.
    let line = r#"{"id": "lawrefbook:ab83b4e2b3c9b614", "path": "行政法规/专利代理条例(2018-11-06).md",
        "title": "专利代理条例", "category": "行政法规", "publish_date": "2018-11-06",
        "info": "1991年3月4日 中华人民共和国国务院令第76号发布\n2018年9月6日 国务院第23次常务会议修订通过\n2018年11月6日 中华人民共和国国务院令第706号公布\n2019年3月1日 施行",
        "body": "第一条 为了规范专利代理行为"}"#;
    let record = parse_record(line).unwrap();
    assert_eq!(record.doc.publish_date.as_deref(), Some("2018-11-06"));
    assert!(record.notes.is_empty(), "{:?}", record.notes);
}

/// Found checking the 已修订 documents of the twelfth session's user test: the amendments
/// to the constitution of 1988, 1993, 1999 and 2004 were "superseded" by that of 2018 —
/// `（1999年）` names an amendment, not a version of one.
#[test]
fn regression_amendments_named_by_year_are_not_versions() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let docs = corpus_with_versions(&corpus);
    let amendments: Vec<_> = docs
        .iter()
        .filter(|d| {
            d.title
                .as_deref()
                .is_some_and(|t| t.starts_with("中华人民共和国宪法修正案"))
        })
        .collect();
    assert!(amendments.len() >= 5, "{}", amendments.len());
    for d in amendments {
        assert_eq!(d.superseded_by, None, "{:?}", d.title);
    }
}

/// User test (twelfth session): 87 corpus records with a body but no date (resolutions on
/// the government work report, reports delivered on a date) had no year and status 未知,
/// though the head of the body says when they were adopted or delivered.
#[test]
fn regression_user_test_a_document_without_a_date_is_dated_by_its_head() {
    let dated = |title: &str, body: &str| {
        let mut doc = zhengce_model::PolicyDoc {
            id: "wsreports:x".into(),
            title: Some(title.into()),
            body: body.into(),
            ..Default::default()
        };
        zhengce_enrich::enrich(&mut doc);
        doc.written_date
    };
    // wsreports:5e088ab1e9008775, with the zero-width space the source opens with.
    assert_eq!(
        dated(
            "第十四届全国人民代表大会第一次会议关于政府工作报告的决议",
            "\u{200b}第十四届全国人民代表大会第一次会议关于政府工作报告的决议\n\n（2023年3月13日第十四届全国人民代表大会第一次会议通过）\n\n第十四届全国人民代表大会第一次会议听取和审议了国务院总理李克强所作的政府工作报告。"
        )
        .as_deref(),
        Some("2023-03-13")
    );
    // wsreports:0d1c30220ac79b58.
    assert_eq!(
        dated(
            "2024年中华人民共和国国务院政府工作报告",
            "政府工作报告\n\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n国务院总理　李　强\n\n各位代表："
        )
        .as_deref(),
        Some("2024-03-05")
    );
    // A date in the text, not at its head, dates nothing; a given date is kept.
    assert_eq!(
        dated(
            "关于政府工作报告的决议",
            "会议充分肯定国务院过去一年的工作，同意报告提出的2025年经济社会发展的总体要求。"
        ),
        None
    );
    let mut given = zhengce_model::PolicyDoc {
        publish_date: Some("2023-03-14".into()),
        body: "（2023年3月13日第十四届全国人民代表大会第一次会议通过）".into(),
        ..Default::default()
    };
    zhengce_enrich::enrich(&mut given);
    assert_eq!(given.written_date, None);
}

/// The corpus's record files (`docs/*.jsonl`), in name order.
fn record_files(corpus: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(corpus.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    files
}
