//! The page the project started from: 辽科发〔2020〕6号, 86 provisions in nine sections.

use zhengce_model::PolicyDoc;
use zhengce_parse::{PageInput, parse_page};

fn seed() -> PolicyDoc {
    let bytes = std::fs::read(zhengce_testkit::seed_path()).expect("seed page in seeds/");
    parse_page(&bytes, &PageInput::default()).expect("seed parses")
}

#[test]
fn seed_metadata() {
    let doc = seed();
    assert_eq!(
        doc.title.as_deref(),
        Some("关于印发2020年度全省科技工作要点的通知")
    );
    assert_eq!(doc.doc_number.as_deref(), Some("辽科发〔2020〕6号"));
    assert_eq!(doc.issuer.as_deref(), Some("辽宁省科学技术厅"));
    assert_eq!(doc.publish_date.as_deref(), Some("2020-04-10"));
    assert_eq!(doc.written_date.as_deref(), Some("2020-02-25"));
    assert_eq!(
        doc.addressees,
        [
            "各市及沈抚新区管委会科技局",
            "沈大国家自主创新示范区各片区管委会",
            "各省级以上高新区管委会",
            "各有关高校、科研院所"
        ]
    );
    assert!(doc.id.starts_with("sha256:"), "{}", doc.id);
}

#[test]
fn seed_body_has_no_portal_chrome() {
    let doc = seed();
    for chrome in [
        "登录",
        "注册",
        "科易网",
        "ICP",
        "公网安备",
        "400-649-1633",
        "浏览器",
        "当前位置",
        "主办单位",
        "关于我们",
        "工作日",
        "帮助中心",
        "发布日期",
    ] {
        assert!(!doc.body.contains(chrome), "body contains {chrome}");
    }
    assert!(doc.body.starts_with("各市及沈抚新区管委会科技局"));
    assert!(doc.body.ends_with("做好科技保密工作。(牵头处室:政策处)"));
    assert!(doc.body.contains("2020年度全省科技工作要点"));
}

#[test]
fn seed_has_86_provisions_in_nine_sections() {
    let doc = seed();
    let numbers: Vec<String> = doc.provisions.iter().map(|p| p.number.clone()).collect();
    let expected: Vec<String> = (1..=86).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected);

    let sections = [
        ("一、加强创新顶层设计,谋划布局新时代科技创新工作", 1..=11),
        ("二、深化科技体制改革,提升科技治理服务能力", 12..=19),
        ("三、强化科技引领功能,提高产业链现代化水平", 20..=32),
        ("四、建设区域创新高地,构建梯次联动发展新格局", 33..=44),
        ("五、完善企业评价机制,强化创新主体地位", 45..=54),
        ("六、健全完善服务模式,提升科技成果转化效能", 55..=65),
        ("七、强化科技人才支撑,夯实创新驱动根基", 66..=73),
        ("八、加强科技交流合作,打造创新开放新前沿", 74..=78),
        ("九、优化科技供给能力,为创造美好生活提供支撑", 79..=86),
    ];
    for (heading, range) in sections {
        for n in range {
            assert_eq!(
                doc.provisions[n - 1].heading_path,
                [heading],
                "provision {n}"
            );
        }
    }
}

/// Every department note on the page, exactly as printed: (number, lead, responsible).
#[test]
fn seed_departments_exactly_as_printed() {
    let doc = seed();
    let all = ["高新处", "信息处", "医药处", "农村处", "社发处"];
    let business = ["各相关业务处室"];
    let expected: Vec<(usize, Vec<&str>, Vec<&str>)> = vec![
        (1, vec!["规划处"], business.to_vec()),
        (2, vec!["规划处"], vec!["高新处", "信息处"]),
        (3, vec!["政策处"], vec!["规划处"]),
        (4, vec!["规划处"], vec![]),
        (5, vec!["医药处"], vec!["规划处"]),
        (6, vec!["规划处"], all.to_vec()),
        (7, vec!["规划处"], all.to_vec()),
        (8, vec!["规划处"], all.to_vec()),
        (18, vec!["人才处"], vec!["诚信处"]),
        (20, vec!["规划处"], all.to_vec()),
        (23, vec!["高新处", "信息处", "医药处"], vec![]),
        (25, vec!["规划处"], business.to_vec()),
        (29, vec!["高新区处"], vec![]),
        (30, vec!["高新区处"], vec![]),
        (32, vec!["高新处"], vec![]),
        (43, vec!["规划处"], vec!["高新区处", "成果处"]),
        (44, vec!["规划处"], business.to_vec()),
        (47, vec!["企业处"], vec![]),
        (56, vec!["成果处"], vec![]),
        (86, vec!["政策处"], vec![]),
    ];
    for (n, lead, resp) in expected {
        let p = &doc.provisions[n - 1];
        assert_eq!(p.lead_depts, lead, "lead of {n}");
        assert_eq!(p.resp_depts, resp, "responsible of {n}");
    }
    // Every provision on this page names its lead office.
    assert!(doc.provisions.iter().all(|p| !p.lead_depts.is_empty()));
    // And the page's notes total: 86 lead notes, 27 with responsible offices.
    let with_resp = doc
        .provisions
        .iter()
        .filter(|p| !p.resp_depts.is_empty())
        .count();
    let printed = std::fs::read_to_string(zhengce_testkit::seed_path())
        .unwrap()
        .matches("责任处室")
        .count();
    assert_eq!(with_resp, printed);
}
