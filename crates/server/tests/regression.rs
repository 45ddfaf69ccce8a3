//! Regressions found by the user test on the real corpus: the pages and the API as a
//! reader meets them.

use axum::Router;
use axum::http::StatusCode;

use crate::common::{app, app_of, doc_of, enc, get, get_json};

/// Parts of 企业所得税法: articles with their numbers, rates in 第二十八条.
const TAX_LAW: &str = "第一章 总则\n\
第一条 在中华人民共和国境内，企业和其他取得收入的组织为企业所得税的纳税人，依照本法的规定缴纳企业所得税。\n\
第四章 税收优惠\n\
第二十八条 符合条件的小型微利企业，减按20%的税率征收企业所得税。\n\
国家需要重点扶持的高新技术企业，减按15%的税率征收企业所得税。\n\
第三十条 企业的下列支出，可以在计算应纳税所得额时加计扣除：\n\
（一）开发新技术、新产品、新工艺发生的研究开发费用；\n\
（二）安置残疾人员及国家鼓励安置的其他就业人员所支付的工资。";

/// A notice where `高企` stands inside another word (提高企业) and support is `后补助`.
const NOTICE: &str = "一、引导企业加大研发投入，提高企业创新能力。\n\
二、对认定的高新技术企业给予后补助，支持其建设研发平台。";

fn corpus_like() -> Router {
    app_of(&[
        doc_of(
            "law",
            "中华人民共和国企业所得税法",
            "全国人民代表大会",
            "2018-12-29",
            TAX_LAW,
        ),
        doc_of(
            "notice",
            "关于提高企业创新能力的通知",
            "辽宁省科学技术厅",
            "2021-05-10",
            NOTICE,
        ),
    ])
}

/// The strings marked in an HTML fragment, in order.
fn marked(html: &str) -> Vec<String> {
    html.split("<mark>")
        .skip(1)
        .filter_map(|s| s.split_once("</mark>").map(|(m, _)| m.to_string()))
        .collect()
}

/// The element of `html` that opens at `start` (a unique attribute), up to `end`.
fn element<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let at = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in {html}"));
    let rest = &html[at..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// An element's content: what follows the end of its opening tag.
fn inside(element: &str) -> &str {
    element.split_once('>').map_or(element, |(_, rest)| rest)
}

#[tokio::test]
async fn regression_user_test_the_document_page_marks_what_the_snippets_mark() {
    let app = corpus_like();
    // What the search's snippets mark for `高企`, over both documents' provisions.
    let (_, search) = get_json(
        &app,
        &format!("/api/search?q={}&level=provision", enc("高企")),
    )
    .await;
    let mut in_snippets: Vec<String> = Vec::new();
    for hit in search["hits"].as_array().unwrap() {
        let snippet = &hit["snippet"];
        let text = snippet["text"].as_str().unwrap();
        for r in snippet["highlights"].as_array().unwrap() {
            let (s, e) = (r[0].as_u64().unwrap(), r[1].as_u64().unwrap());
            in_snippets.push(text[s as usize..e as usize].to_string());
        }
    }
    in_snippets.sort();
    in_snippets.dedup();
    assert_eq!(in_snippets, ["高新技术企业"], "{search}");

    for id in ["law", "notice"] {
        let (status, _, html) = get(&app, &format!("/docs/{id}?q={}", enc("高企"))).await;
        assert_eq!(status, StatusCode::OK);
        let mut on_page = marked(&html);
        assert!(!on_page.is_empty(), "{id}: nothing marked");
        on_page.sort();
        on_page.dedup();
        assert_eq!(on_page, in_snippets, "{id}: the page marks otherwise");
    }
    // Never inside another word: 提高企业 stays unmarked, in the title too.
    let (_, _, html) = get(&app, &format!("/docs/notice?q={}", enc("高企"))).await;
    assert!(html.contains("提高企业"), "{html}");
    assert!(!html.contains("提<mark>"), "{html}");
    // A term's synonym is marked where the text has only the synonym.
    let (_, _, html) = get(&app, &format!("/docs/notice?q={}", enc("奖励性后补助"))).await;
    assert!(marked(&html).contains(&"后补助".to_string()), "{html}");
}

#[tokio::test]
async fn regression_user_test_the_benefits_page_shows_rates() {
    let app = corpus_like();
    let (_, api) = get_json(
        &app,
        &format!("/api/benefits?beneficiary={}", enc("高新技术企业")),
    )
    .await;
    let p28 = api["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["provisions"].as_array().unwrap())
        .find(|p| p["provision_number"] == "第二十八条")
        .unwrap_or_else(|| panic!("第二十八条 is not listed: {api}"));
    assert!(
        p28["amounts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["value"] == 15.0 && a["unit"] == "%"),
        "{p28}"
    );
    let (_, _, html) = get(
        &app,
        &format!("/benefits?beneficiary={}", enc("高新技术企业")),
    )
    .await;
    let li = element(&html, r#"data-number="第二十八条""#, "</li>");
    assert!(
        li.contains(r#"<span class="amount">比例 15%</span>"#),
        "{li}"
    );
    assert!(
        li.contains(r#"<span class="amount">比例 20%</span>"#),
        "{li}"
    );
}

#[tokio::test]
async fn regression_user_test_the_benefits_selectors_show_what_was_typed_resolved() {
    let app = app();
    let (status, _, html) = get(
        &app,
        &format!(
            "/benefits?beneficiary={}&region={}",
            enc("高企"),
            enc("辽宁")
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let beneficiary = element(&html, r#"id="beneficiary""#, "</select>");
    assert!(
        beneficiary.contains(r#"<option value="高新技术企业" selected>"#),
        "{beneficiary}"
    );
    assert!(!beneficiary.contains(r#"value="" selected"#));
    let region = element(&html, r#"id="region""#, "</select>");
    assert!(
        region.contains(r#"<option value="辽宁省" selected>"#),
        "{region}"
    );
    // A region the index does not hold stays chosen rather than falling to 全部地区.
    let (_, _, html) = get(&app, &format!("/benefits?region={}", enc("上海"))).await;
    let region = element(&html, r#"id="region""#, "</select>");
    assert!(
        region.contains(r#"<option value="上海市" selected>"#),
        "{region}"
    );
    // The search page's chip and facet show the class too.
    let (_, _, html) = get(&app, &format!("/?beneficiary={}", enc("高企"))).await;
    assert!(html.contains("适用对象：高新技术企业 ✕"), "{html}");
}

#[tokio::test]
async fn regression_user_test_a_provision_number_is_shown_once() {
    let app = corpus_like();
    let once = |html: &str, what: &str| {
        assert_eq!(html.matches("第二十八条").count(), 1, "{what}: {html}");
    };
    // A matched provision under a document hit; a provision hit.
    let (_, _, html) = get(&app, &format!("/?q={}", enc("小型微利企业"))).await;
    once(element(&html, r#"<ul class="provs">"#, "</ul>"), "matched");
    let (_, _, html) = get(
        &app,
        &format!("/?q={}&level=provision", enc("小型微利企业")),
    )
    .await;
    once(
        element(&html, r#"<article class="hit">"#, "</article>"),
        "hit",
    );
    // The 惠企 page.
    let (_, _, html) = get(
        &app,
        &format!("/benefits?beneficiary={}", enc("高新技术企业")),
    )
    .await;
    let li = inside(element(&html, r#"data-number="第二十八条""#, "</li>"));
    once(li, "惠企");
    assert!(li.contains("符合条件的小型微利企业"), "{li}");
    // The document page, with its anchor still there; items are numbered once too.
    let (_, _, html) = get(&app, "/docs/law").await;
    let p28 = inside(element(&html, r#"id="p-第二十八条""#, "</div>"));
    once(p28, "document");
    assert!(p28.contains("符合条件的小型微利企业"), "{p28}");
    assert!(
        html.contains(r##"href="#p-%E7%AC%AC%E4%BA%8C%E5%8D%81%E5%85%AB%E6%9D%A1""##),
        "{html}"
    );
    let (_, _, html) = get(&app, "/docs/notice").await;
    let first = element(&html, r#"id="p-一""#, "</div>");
    assert!(first.contains(">一</a>引导企业"), "{first}");
    // The seed's `30.加快…` is labelled 30 and reads from 加快.
    let (_, _, html) = get(&crate::common::app(), &format!("/?q={}", enc("独角兽"))).await;
    let provs = element(&html, r#"<ul class="provs">"#, "</ul>");
    assert!(provs.contains(">30</a>加快培育"), "{provs}");
}

#[tokio::test]
async fn regression_user_test_invalid_ids_are_told_in_chinese() {
    let app = app();
    // Apart from the name of the encoding, no English.
    let chinese = |message: &str| {
        message
            .replace("UTF-8", "")
            .chars()
            .all(|c| !c.is_ascii_alphabetic())
            && message.chars().any(zhengce_model::is_han)
    };
    for uri in ["/api/docs/%FF%FE", "/api/docs/%FF", "/api/docs/%FF/similar"] {
        let (status, body) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["code"], "invalid_id", "{uri}");
        assert_eq!(body["param"], "id", "{uri}");
        let message = body["message"].as_str().unwrap();
        assert!(chinese(message), "{uri}: {message}");
    }
    let (status, _, html) = get(&app, "/docs/%FF").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error = element(&html, r#"id="error""#, "</div>");
    assert!(error.contains("文件编号无效"), "{error}");
    assert!(
        chinese(error.trim_start_matches(r#"id="error">"#)),
        "{error}"
    );
}

#[tokio::test]
async fn regression_user_test_a_region_alone_lists_its_support_and_asks_for_a_type() {
    let app = app();
    let (status, _, html) = get(&app, &format!("/benefits?region={}", enc("辽宁省"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="pick-hint""#), "{html}");
    assert!(html.contains("请在上方选择企业类型"), "{html}");
    // The seed's support, for whatever kind of enterprise.
    assert!(html.contains(r#"data-number="47""#), "{html}");
    // A region with nothing of its own still answers, and asks.
    let (status, _, html) = get(&app, &format!("/benefits?region={}", enc("上海市"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"id="pick-hint""#), "{html}");
    assert!(html.contains("暂未找到适用的支持政策"), "{html}");
    // The bare page is the form, and a chosen type needs no prompt.
    let (_, _, html) = get(&app, "/benefits").await;
    assert!(!html.contains(r#"id="pick-hint""#));
    assert!(!html.contains(r#"id="results""#));
    let (_, _, html) = get(
        &app,
        &format!("/benefits?beneficiary={}", enc("科技型中小企业")),
    )
    .await;
    assert!(!html.contains(r#"id="pick-hint""#));
}

#[tokio::test]
async fn regression_user_test_every_hit_lists_what_it_collapsed() {
    let app = app();
    let (_, search) = get_json(&app, &format!("/api/search?q={}", enc("企业"))).await;
    let hits = search["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        assert!(hit["collapsed"].is_array(), "{hit}");
    }
    let (_, similar) = get_json(
        &app,
        &format!("/api/docs/{}/similar", enc(&crate::common::seed_doc().id)),
    )
    .await;
    for hit in similar["similar"].as_array().unwrap() {
        assert_eq!(hit["collapsed"], serde_json::json!([]), "{hit}");
    }
}

#[tokio::test]
async fn regression_user_test_the_benefits_form_picks_a_kind_of_support() {
    let app = corpus_like();
    // The form offers every kind of support, none chosen at first.
    let (_, _, html) = get(&app, "/benefits").await;
    let kinds = element(&html, r#"id="benefit""#, "</select>");
    for class in &zhengce_benefits::taxonomy().benefits {
        assert!(
            kinds.contains(&format!(r#"<option value="{}">"#, class.name)),
            "{} missing: {kinds}",
            class.name
        );
    }
    // A kind typed in its own words is chosen, and only that kind is listed: the tax law's
    // preference, not the notice's 后补助 (a 资金奖励).
    let (status, _, html) = get(
        &app,
        &format!(
            "/benefits?beneficiary={}&benefit={}",
            enc("高新技术企业"),
            enc("税收优惠")
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let kinds = element(&html, r#"id="benefit""#, "</select>");
    assert!(
        kinds.contains(r#"<option value="税收优惠" selected>"#),
        "{kinds}"
    );
    let results = element(&html, r#"id="results""#, "</nav>");
    assert!(results.contains("中华人民共和国企业所得税法"), "{results}");
    assert!(!results.contains("关于提高企业创新能力的通知"), "{results}");
    let (_, _, html) = get(
        &app,
        &format!(
            "/benefits?beneficiary={}&benefit={}",
            enc("高新技术企业"),
            enc("资金奖励")
        ),
    )
    .await;
    let results = element(&html, r#"id="results""#, "</nav>");
    assert!(results.contains("关于提高企业创新能力的通知"), "{results}");
    assert!(!results.contains("中华人民共和国企业所得税法"), "{results}");
}

/// User test (twelfth session): 200 searches at once filled the search queue, and
/// `/healthz` waited in it: 124 of 200 probes answered 503, which would have had a
/// healthy server restarted. Liveness does not queue behind searches.
#[tokio::test]
async fn regression_user_test_healthz_answers_while_the_search_queue_is_full() {
    let mut state = crate::common::state();
    // No place in the queue at all: every search is refused as overloaded.
    state.workers = zhengce_server::Workers::new(1, 0);
    let app = zhengce_server::app(state);
    let (status, body) = get_json(&app, &format!("/api/search?q={}", enc("企业"))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["code"], "overloaded");
    let (status, body) = get_json(&app, "/healthz").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ok");
    assert!(body["documents"].as_u64().unwrap() > 0, "{body}");
}

/// User test (twelfth session): `q=补贴&q=奖励` answered for 奖励 alone and
/// `size=10&size=20` gave 20; a parameter of one value given two is an error, while a
/// filter's values are alternatives.
#[tokio::test]
async fn regression_user_test_a_single_valued_parameter_given_twice_is_an_error() {
    let app = app();
    for (uri, param) in [
        (
            format!("/api/search?q={}&q={}", enc("补贴"), enc("奖励")),
            "q",
        ),
        ("/api/search?q=a&size=10&size=20".to_string(), "size"),
        (
            format!("/api/benefits?beneficiary={}&page=1&page=2", enc("高企")),
            "page",
        ),
    ] {
        let (status, body) = get_json(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_eq!(body["code"], format!("invalid_{param}"), "{uri}: {body}");
        assert!(body["message"].as_str().unwrap().contains("只能有一个值"));
    }
    // The same value twice is harmless; two values of a filter are alternatives.
    let (status, _) = get_json(&app, "/api/search?q=a&size=10&size=10").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get_json(
        &app,
        &format!("/api/search?year=2019&year=2020&q={}", enc("企业")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}

/// User test (twelfth session): hits and the 惠企 page showed a provision's sums and
/// rates, but `/api/docs/{id}` and the document page did not.
#[tokio::test]
async fn regression_user_test_a_document_shows_its_provisions_amounts() {
    let app = corpus_like();
    let (status, body) = get_json(&app, "/api/docs/law").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let provisions = body["provisions"].as_array().unwrap();
    let p28 = provisions
        .iter()
        .find(|p| p["number"] == "第二十八条")
        .unwrap_or_else(|| panic!("{body}"));
    let rates: Vec<&serde_json::Value> = p28["amounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["value"])
        .collect();
    assert_eq!(rates.len(), 2, "{p28}");
    // Every provision says what it states, if only nothing.
    assert!(provisions.iter().all(|p| p["amounts"].is_array()));
    let (_, _, html) = get(&app, "/docs/law").await;
    let p28 = element(&html, r#"id="p-第二十八条""#, "</div>");
    assert!(
        p28.contains(r#"<span class="amount">比例 15%</span>"#),
        "{p28}"
    );
}

/// User test (twelfth session): `region=火星` answered 200 with nothing found in search,
/// and with every national document on the 惠企 listing, without a word.
#[tokio::test]
async fn regression_user_test_an_unknown_region_is_an_error() {
    let app = app();
    for uri in [
        format!("/api/search?q={}&region={}", enc("企业"), enc("火星")),
        format!(
            "/api/benefits?beneficiary={}&region={}",
            enc("高企"),
            enc("火星")
        ),
    ] {
        let (status, body) = get_json(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_eq!(body["code"], "invalid_region", "{body}");
        assert!(body["message"].as_str().unwrap().contains("火星"), "{body}");
    }
    // Written short or in full, a province is a region.
    for region in ["辽宁", "辽宁省", "全国"] {
        let (status, body) = get_json(
            &app,
            &format!("/api/search?q={}&region={}", enc("企业"), enc(region)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{region}: {body}");
    }
}

/// User test (twelfth session): `q=%FF%FE` (bytes that are not UTF-8) was searched as
/// `��` and answered 200 with nothing found.
#[tokio::test]
async fn regression_user_test_a_parameter_that_is_not_utf8_is_an_error() {
    let app = app();
    for uri in [
        "/api/search?q=%FF%FE",
        "/api/search?q=%B2%B9%CC%F9",
        "/api/benefits?beneficiary=%FF",
    ] {
        let (status, body) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(
            body["code"].as_str().unwrap().starts_with("invalid_"),
            "{body}"
        );
        assert!(
            body["message"].as_str().unwrap().contains("UTF-8"),
            "{body}"
        );
    }
    // UTF-8, percent-encoded or with `+` for a space, is read as before.
    let (status, body) =
        get_json(&app, "/api/search?q=%E8%A1%A5%E8%B4%B4+%E4%BC%81%E4%B8%9A").await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
