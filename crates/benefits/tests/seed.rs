use zhengce_benefits::classify;
use zhengce_parse::{PageInput, parse_page};

#[test]
fn seed_money_provisions_and_their_beneficiaries() {
    let bytes = std::fs::read(zhengce_testkit::seed_path()).unwrap();
    let doc = parse_page(&bytes, &PageInput::default()).unwrap();
    let of = |n: usize| classify(&doc.provisions[n - 1].text);
    for n in [29, 30, 47, 51, 54, 56, 59] {
        assert!(of(n).offers_money(), "provision {n}: {:?}", of(n));
    }
    assert!(of(30).beneficiaries.contains(&"瞪羚独角兽企业".to_string()));
    assert!(of(47).beneficiaries.contains(&"科技型中小企业".to_string()));
    assert!(of(56).beneficiaries.contains(&"技术转移机构".to_string()));
    assert!(of(47).benefits.contains(&"税收优惠".to_string()));
    assert!(of(54).benefits.contains(&"金融支持".to_string()));
    // Planning work offers nothing.
    assert!(of(1).benefits.is_empty(), "{:?}", of(1));
}
