//! Amounts, targets and validity, table-driven over real sentences (the shared corpus and
//! the seed).

use zhengce_benefits::{Status, Validity, amounts, status, validity};

/// (value, unit, qualifier)
type Expected<'a> = (f64, &'a str, Option<&'a str>);
/// (text, issued, valid_from, valid_to)
type ValidityCase<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

#[test]
fn amounts_and_targets() {
    let cases: &[(&str, &[Expected<'_>])] = &[
        (
            "可申请最高不超过15万元的创业担保贷款",
            &[(15.0, "万元", Some("最高"))],
        ),
        (
            "贷款额度最高不超过600万元；以上贷款按财政规定给予贴息",
            &[(600.0, "万元", Some("最高"))],
        ),
        ("覆盖国家达198个", &[(198.0, "个", Some("达到"))]),
        (
            "中央单位和北京市推荐名额均为每类项目不超过5个",
            &[(5.0, "个", Some("最高"))],
        ),
        (
            "全省新增高新技术企业1000户以上,科技型中小企业突破1万户。",
            &[(1000.0, "户", Some("以上")), (1.0, "万户", Some("以上"))],
        ),
        (
            "全省技术合同成交额超过600亿元。",
            &[(600.0, "亿元", Some("以上"))],
        ),
        (
            "全年培训技术经纪人300名以上。",
            &[(300.0, "名", Some("以上"))],
        ),
        (
            "全省培育瞪羚独角兽企业达200家。",
            &[(200.0, "家", Some("达到"))],
        ),
        (
            "沈大自创区R&D经费支出占地区生产总值比重达5.2%左右",
            &[(5.2, "%", Some("约"))],
        ),
        (
            "启动“十四五”科技创新规划和新一轮中长期科技发展规划专项。",
            &[],
        ),
    ];
    for (text, want) in cases {
        let got: Vec<(f64, String, Option<String>)> = amounts(text)
            .into_iter()
            .map(|a| (a.value, a.unit, a.qualifier))
            .collect();
        let want: Vec<(f64, String, Option<String>)> = want
            .iter()
            .map(|(v, u, q)| (*v, u.to_string(), q.map(str::to_string)))
            .collect();
        assert_eq!(got, want, "{text}");
    }
    assert!(amounts("给予不超过100万元的奖励")[0].is_money());
    assert!(!amounts("达200家")[0].is_money());
}

#[test]
fn validity_from_real_sentences() {
    let cases: &[ValidityCase<'_>] = &[
        (
            "第三十二条 本办法自2019年1月1日起施行。",
            None,
            Some("2019-01-01"),
            None,
        ),
        (
            "现公布修订后的《中华人民共和国个人所得税法实施条例》，自2019年1月1日起施行。",
            None,
            Some("2019-01-01"),
            None,
        ),
        (
            "第十三条 《医疗广告审查证明》的有效期为一年。",
            Some("2007-01-01"),
            None,
            None,
        ),
        (
            "第十二条 外国医师来华短期行医注册的有效期不超过一年。",
            Some("2007-01-01"),
            None,
            None,
        ),
        (
            "第四条　本办法自2022年8月1日起施行，有效期五年。",
            None,
            Some("2022-08-01"),
            Some("2027-07-31"),
        ),
        (
            "本措施自2021年4月1日起施行，有效期3年。",
            None,
            Some("2021-04-01"),
            Some("2024-03-31"),
        ),
        (
            "本通知自印发之日起施行，有效期至2022年12月31日。",
            Some("2020-03-05"),
            Some("2020-03-05"),
            Some("2022-12-31"),
        ),
        (
            "本办法自发布之日起实施，有效期两年。",
            Some("2020-02-29"),
            Some("2020-02-29"),
            Some("2022-02-28"),
        ),
    ];
    for (text, issued, from, to) in cases {
        let v = validity(text, *issued);
        assert_eq!(v.valid_from.as_deref(), *from, "{text}");
        assert_eq!(v.valid_to.as_deref(), *to, "{text}");
    }
    assert!(validity("本办法自2023年1月1日起废止。", None).repealed);
    assert!(!validity("本办法自施行之日起，原《管理办法》同时废止。", None).repealed);
}

#[test]
fn application_windows() {
    let v = validity("1.报名时间：2021年4月7日-4月21日", None);
    assert_eq!(v.windows[0].from.as_deref(), Some("2021-04-07"));
    assert_eq!(v.windows[0].to.as_deref(), Some("2021-04-21"));
    let v = validity("作品征集截止时间为2020年12月31日", None);
    assert_eq!(v.windows[0].to.as_deref(), Some("2020-12-31"));
    // A date without a year is not guessed.
    assert!(
        validity("（四）各主办单位申报截止时间为11月20日，逾期不予受理", None)
            .windows
            .is_empty()
    );
}

#[test]
fn status_on_a_date() {
    let v = Validity {
        valid_from: Some("2021-04-01".into()),
        valid_to: Some("2024-03-31".into()),
        ..Validity::default()
    };
    assert_eq!(status(&v, "2020-01-01"), Status::NotYet);
    assert_eq!(status(&v, "2022-06-01"), Status::InForce);
    assert_eq!(status(&v, "2024-03-31"), Status::InForce);
    assert_eq!(status(&v, "2024-04-01"), Status::Expired);
    assert_eq!(status(&Validity::default(), "2024-04-01"), Status::Unknown);
    let repealed = Validity {
        repealed: true,
        ..Validity::default()
    };
    assert_eq!(status(&repealed, "2024-04-01"), Status::Expired);
}

/// Issue 12: an annual plan or 工作要点 applies to its year unless the text says otherwise.
#[test]
fn annual_plans_apply_to_their_year() {
    use zhengce_benefits::validity_of;
    let plan = |title: &str, body: &str, issued: Option<&str>| {
        let v = validity_of(Some(title), body, issued);
        (v.valid_from, v.valid_to)
    };
    let year = |y: &str| (Some(format!("{y}-01-01")), Some(format!("{y}-12-31")));
    assert_eq!(
        plan(
            "辽科发〔2020〕6号关于印发2020年度全省科技工作要点的通知",
            "各市科技局：现将《2020年度全省科技工作要点》印发给你们，请认真贯彻落实。",
            Some("2020-04-10")
        ),
        year("2020")
    );
    assert_eq!(
        plan("北京市中医管理局2021年工作要点", "一、加强党的建设", None),
        year("2021")
    );
    assert_eq!(plan("2022年重点工作安排", "一、…", None), year("2022"));
    // A government's work report sets the tasks of its year (a 1955 report is no
    // policy in force today).
    assert_eq!(
        plan(
            "1955年中华人民共和国国务院政府工作报告",
            "各位代表：……加强农田水利建设，对农业生产合作社给予贷款。",
            None
        ),
        year("1955")
    );
    // Nor is the resolution on a report (no year in its title) dated by it.
    assert_eq!(
        plan(
            "第十二届全国人民代表大会第二次会议关于政府工作报告的决议",
            "会议批准这个报告。",
            None
        ),
        (None, None)
    );
    // The text says otherwise: its own dates win.
    assert_eq!(
        plan(
            "2021年工作要点",
            "本要点自印发之日起施行，有效期至2022年6月30日。",
            Some("2021-03-01")
        ),
        (Some("2021-03-01".into()), Some("2022-06-30".into()))
    );
    // Not a plan for a year.
    assert_eq!(
        plan(
            "关于做好2018年度碳排放报告与核查及排放监测计划制定工作的通知",
            "各省生态环境厅：",
            None
        ),
        (None, None)
    );
    // The seed, as the parser reads it: in force in 2020, over in 2021.
    let bytes = std::fs::read(zhengce_testkit::seed_path()).unwrap();
    let doc = zhengce_parse::parse_page(&bytes, &zhengce_parse::PageInput::default()).unwrap();
    let issued = doc.publish_date.as_deref();
    let v = validity_of(doc.title.as_deref(), &doc.body, issued);
    assert_eq!(
        (v.valid_from.clone(), v.valid_to.clone()),
        year("2020"),
        "{:?}",
        doc.title
    );
    assert_eq!(status(&v, "2020-06-01"), Status::InForce);
    assert_eq!(status(&v, "2021-06-01"), Status::Expired);
    // Without a title, a body that opens with the plan's title.
    let v = validity(
        "2021年全市中医药工作要点\n一、加强党的建设\n二、深化改革",
        None,
    );
    assert_eq!((v.valid_from, v.valid_to), year("2021"));
    // A plan's title deep in a body is not the document's title.
    let v = validity(
        "一、总体要求\n二、重点任务\n三、保障措施\n根据《2021年工作要点》，现通知如下。",
        None,
    );
    assert_eq!((v.valid_from, v.valid_to), (None, None));
}
