//! Every endpoint and every error case, through `app().oneshot`.

use axum::http::StatusCode;

use crate::common::{app, app_with_years, enc, get, get_accepting, get_json, seed_doc, state};

#[tokio::test]
async fn search_returns_the_index_response_shape() {
    let app = app();
    let (status, body) = get_json(
        &app,
        &format!("/api/search?q={}&level=provision", enc("独角兽")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 1);
    let hit = &body["hits"][0];
    assert_eq!(hit["provision_number"], "30");
    assert_eq!(hit["lead_depts"][0], "高新区处");
    // Snippets are data: plain text and the byte ranges of the matches.
    let text = hit["snippet"]["text"].as_str().unwrap();
    let ranges = hit["snippet"]["highlights"].as_array().unwrap();
    assert!(!ranges.is_empty());
    for r in ranges {
        let (s, e) = (
            r[0].as_u64().unwrap() as usize,
            r[1].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..e], "独角兽");
    }
    for key in ["query", "took_ms", "facets"] {
        assert!(body.get(key).is_some(), "{key}");
    }
    for facet in ["issuer", "year", "lead_dept", "region", "doc_type"] {
        assert!(body["facets"][facet].is_array(), "{facet}");
    }
}

#[tokio::test]
async fn repeated_filters_dates_sort_and_pages() {
    let app = app();
    let uri = format!(
        "/api/search?region={}&region={}&sort=date&size=1&page=2",
        enc("辽宁省"),
        enc("江西省")
    );
    let (status, body) = get_json(&app, &uri).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["total"], 2);
    assert_eq!(body["hits"].as_array().unwrap().len(), 1);
    assert_eq!(body["hits"][0]["publish_date"], "2020-04-10");
    let (_, body) = get_json(&app, "/api/search?from=2021-01-01&to=2021-12-31").await;
    assert_eq!(body["total"], 1);
    let (_, body) = get_json(
        &app,
        &format!("/api/search?year=2020&doc_type={}", enc("通知")),
    )
    .await;
    assert_eq!(body["total"], 1);
    let (_, body) = get_json(
        &app,
        &format!("/api/search?level=provision&lead_dept={}", enc("企业处")),
    )
    .await;
    assert_eq!(body["total"], 8);
}

#[tokio::test]
async fn bad_requests_are_400_with_a_message() {
    // Every parameter mistake has its own stable code, names the parameter, and says
    // what is wrong in Chinese.
    let app = app();
    let long = "科".repeat(1001);
    let cases = [
        (
            format!("/api/search?q={}", enc("\"独角兽")),
            "bad_query",
            None,
            "引号没有闭合",
        ),
        (
            format!("/api/search?q={}", enc("OR 科技")),
            "bad_query",
            None,
            "OR",
        ),
        (
            format!("/api/search?q={}", enc(&long)),
            "invalid_q",
            Some("q"),
            "检索词过长",
        ),
        (
            "/api/search?page=0".to_string(),
            "invalid_page",
            Some("page"),
            "页码从 1 开始",
        ),
        (
            "/api/search?page=abc".to_string(),
            "invalid_page",
            Some("page"),
            "应为正整数",
        ),
        (
            "/api/search?page=1000&size=100".to_string(),
            "invalid_page",
            Some("page"),
            "前 10000 条",
        ),
        (
            "/api/search?size=101".to_string(),
            "invalid_size",
            Some("size"),
            "1 到 100",
        ),
        (
            "/api/search?size=0".to_string(),
            "invalid_size",
            Some("size"),
            "每页条数",
        ),
        (
            "/api/search?size=-1".to_string(),
            "invalid_size",
            Some("size"),
            "正整数",
        ),
        (
            "/api/search?level=article".to_string(),
            "invalid_level",
            Some("level"),
            "条款",
        ),
        (
            "/api/search?sort=popular".to_string(),
            "invalid_sort",
            Some("sort"),
            "按日期",
        ),
        (
            "/api/search?colour=red".to_string(),
            "unknown_parameter",
            Some("colour"),
            "未知参数“colour”",
        ),
        (
            "/api/search?from=yesterday".to_string(),
            "invalid_from",
            Some("from"),
            "不是有效日期",
        ),
        (
            "/api/search?to=2021-02-29".to_string(),
            "invalid_to",
            Some("to"),
            "不是有效日期",
        ),
        (
            "/api/search?from=2021-01-01&to=2020-01-01".to_string(),
            "invalid_to",
            Some("to"),
            "早于",
        ),
        (
            "/api/search?as_of=2020-13-01".to_string(),
            "invalid_as_of",
            Some("as_of"),
            "不是有效日期",
        ),
        (
            "/api/search?year=twenty".to_string(),
            "invalid_year",
            Some("year"),
            "正整数",
        ),
        (
            format!("/api/search?status={}", enc("永久")),
            "invalid_status",
            Some("status"),
            "有效性",
        ),
        (
            format!("/api/search?benefit={}", enc("发钱")),
            "invalid_benefit",
            Some("benefit"),
            "支持方式",
        ),
        (
            format!("/api/search?beneficiary={}", enc("火星人")),
            "invalid_beneficiary",
            Some("beneficiary"),
            "适用对象",
        ),
        (
            "/api/search?facets=colour".to_string(),
            "invalid_facets",
            Some("facets"),
            "colour",
        ),
        (
            "/api/facets".to_string(),
            "missing_field",
            Some("field"),
            "缺少参数 field",
        ),
        (
            "/api/facets?field=colour".to_string(),
            "invalid_field",
            Some("field"),
            "分面",
        ),
        (
            "/api/facets?field=issuer&limit=0".to_string(),
            "invalid_limit",
            Some("limit"),
            "1 到 1000",
        ),
        (
            "/api/facets?field=issuer&size=0".to_string(),
            "invalid_size",
            Some("size"),
            "1 到 1000",
        ),
        (
            "/api/benefits?size=0".to_string(),
            "invalid_size",
            Some("size"),
            "每页文件数",
        ),
        (
            "/api/benefits?page=0".to_string(),
            "invalid_page",
            Some("page"),
            "页码",
        ),
        (
            "/api/benefits?as_of=someday".to_string(),
            "invalid_as_of",
            Some("as_of"),
            "不是有效日期",
        ),
        (
            "/api/benefits?colour=red".to_string(),
            "unknown_parameter",
            Some("colour"),
            "未知参数",
        ),
    ];
    for (uri, code, param, says) in cases {
        let (status, body) = get_json(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_eq!(body["code"], code, "{uri}: {body}");
        assert_eq!(body["param"].as_str(), param, "{uri}: {body}");
        let message = body["message"].as_str().unwrap();
        assert!(message.contains(says), "{uri}: {body}");
        assert!(
            message.chars().any(zhengce_model::is_han),
            "{uri}: the message is not Chinese: {message}"
        );
    }
}

#[tokio::test]
async fn documents_similar_and_not_found() {
    let app = app();
    let id = seed_doc().id;
    let (status, doc) = get_json(&app, &format!("/api/docs/{}", enc(&id))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(doc["doc_number"], "辽科发〔2020〕6号");
    assert_eq!(doc["provisions"].as_array().unwrap().len(), 86);

    let url_id = "http://www.jiangxi.gov.cn/art/2021/6/1/art_1.html";
    let (status, doc) = get_json(&app, &format!("/api/docs/{}", enc(url_id))).await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    assert_eq!(doc["issuer"], "江西省人民政府办公厅");

    let (status, similar) = get_json(&app, &format!("/api/docs/{}/similar", enc(&id))).await;
    assert_eq!(status, StatusCode::OK);
    let similar = similar["similar"].as_array().unwrap();
    assert_eq!(
        similar.len(),
        1,
        "the only other document shares words with the seed"
    );
    assert_eq!(similar[0]["doc_id"], url_id);

    let response = tower::ServiceExt::oneshot(
        app.clone(),
        axum::http::Request::post("/api/search")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    for (uri, code) in [
        ("/api/docs/nope", "not_found"),
        ("/api/docs/nope/similar", "not_found"),
        ("/no/such/route", "no_route"),
        ("/api/nope", "no_route"),
    ] {
        let (status, body) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(body["code"], code, "{uri}");
    }
}

#[tokio::test]
async fn facets_endpoint_filters_by_prefix() {
    let app = app();
    let (status, body) = get_json(
        &app,
        &format!("/api/facets?field=issuer&prefix={}", enc("辽宁")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body["values"],
        serde_json::json!([{"value": "辽宁省科学技术厅", "count": 1}])
    );
    let (_, body) = get_json(&app, "/api/facets?field=year").await;
    assert_eq!(body["values"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn health_and_metrics() {
    let app = app();
    let (status, body) = get_json(&app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["documents"], 2);
    get(&app, "/api/search?q=x").await;
    get(&app, "/api/search?size=500").await;
    let (status, content_type, text) = get(&app, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/plain"));
    assert!(
        text.contains(r#"zhengce_http_requests_total{route="/api/search",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"zhengce_http_requests_total{route="/api/search",status="400"} 1"#),
        "{text}"
    );
    assert!(text.contains("zhengce_http_request_duration_seconds_bucket"));
    assert!(text.contains("zhengce_documents 2"));
    let commit = text
        .lines()
        .find_map(|l| l.strip_prefix("zhengce_last_commit_timestamp_seconds "))
        .unwrap();
    assert!(commit.parse::<u64>().unwrap() > 1_700_000_000);
}

#[tokio::test]
async fn new_commits_are_searched_without_a_restart() {
    let state = state();
    let app = zhengce_server::app(state.clone());
    let (_, before) = get_json(&app, &format!("/api/search?q={}", enc("夜间重建"))).await;
    assert_eq!(before["total"], 0);
    let mut writer = state.index.writer().unwrap();
    let doc = zhengce_model::PolicyDoc {
        id: "nightly".into(),
        title: Some("夜间重建测试通知".into()),
        body: "夜间重建后新增的文件。".into(),
        ..Default::default()
    };
    writer
        .upsert(&doc, &zhengce_benefits::derive(&doc))
        .unwrap();
    writer.commit().unwrap();
    let (_, after) = get_json(&app, &format!("/api/search?q={}", enc("夜间重建"))).await;
    assert_eq!(after["total"], 1);
}

#[tokio::test]
async fn slow_requests_time_out_with_json() {
    let mut state = state();
    state.timeout = std::time::Duration::from_millis(20);
    let slow = zhengce_server::routes().route(
        "/slow",
        axum::routing::get(|| async {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            "done"
        }),
    );
    let app = zhengce_server::finish(slow, state);
    let (status, body) = get_json(&app, "/slow").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["code"], "timeout");
    let (status, _) = get_json(&app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn pages_render_and_escape_document_text() {
    let app = app();
    let (status, content_type, html) = get(&app, &format!("/?q={}", enc("专精特新"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert!(html.contains("共 1 条结果"));
    assert!(html.contains("<mark>专精特新"), "{html}");
    assert!(html.contains("发布单位") && html.contains("江西省人民政府办公厅"));

    let (status, _, html) = get(
        &app,
        &format!(
            "/docs/{}",
            enc("http://www.jiangxi.gov.cn/art/2021/6/1/art_1.html")
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert(1)"));

    let (status, _, html) = get(&app, &format!("/docs/{}", enc(&seed_doc().id))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("三、强化科技引领功能,提高产业链现代化水平"));
    assert!(html.contains("牵头：高新区处"));
    assert!(html.contains("相似文件"));

    let (status, _, html) = get(&app, &format!("/?q={}", enc("\"未闭合"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("引号没有闭合"), "{html}");
    // Whatever a user types is escaped wherever the templates put it.
    let evil = enc("\"><script>alert(2)</script>");
    for uri in [
        format!("/?q={evil}"),
        format!("/?q=x&region={evil}"),
        format!("/benefits?q={evil}&beneficiary={}", enc("高企")),
        format!("/docs/{}?q={evil}", enc(&seed_doc().id)),
    ] {
        let (_, _, html) = get(&app, &uri).await;
        assert!(!html.contains("<script>alert(2)"), "{uri}");
        assert!(html.contains("&lt;script&gt;alert(2)"), "{uri}");
    }
    let (status, _, _) = get(&app, "/docs/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn benefits_listing_and_page() {
    let app = app();
    let uri = format!(
        "/api/benefits?beneficiary={}&region={}",
        enc("科技型中小企业"),
        enc("辽宁省")
    );
    let (status, body) = get_json(&app, &uri).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let seed = body["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["doc_number"] == "辽科发〔2020〕6号")
        .unwrap();
    let p47 = seed["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["number"] == "47")
        .unwrap();
    assert_eq!(p47["lead_depts"][0], "企业处");
    // Synonyms work, and a keyword narrows.
    let (_, body) = get_json(
        &app,
        &format!(
            "/api/benefits?beneficiary={}&q={}",
            enc("科小"),
            enc("加计扣除")
        ),
    )
    .await;
    assert_eq!(body["total_provisions"], 2, "{body}");

    let (status, _, html) = get(
        &app,
        &format!(
            "/benefits?beneficiary={}&region={}",
            enc("科技型中小企业"),
            enc("辽宁省")
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"data-number="47""#), "{html}");
    assert!(html.contains("咨询：企业处"));
    let (status, _, html) = get(&app, "/benefits").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("企业类型") && html.contains("高新技术企业"));

    for (uri, says) in [
        (
            format!("/api/benefits?beneficiary={}", enc("火星人")),
            "未知的适用对象",
        ),
        ("/api/benefits?limit=0".to_string(), "每页文件数"),
        ("/api/benefits?colour=red".to_string(), "未知参数"),
        (format!("/api/search?status={}", enc("永久")), "有效性"),
        ("/api/search?as_of=someday".to_string(), "YYYY-MM-DD"),
    ] {
        let (status, body) = get_json(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(
            body["message"].as_str().unwrap().contains(says),
            "{uri}: {body}"
        );
    }
    let (status, body) = get_json(
        &app,
        &format!(
            "/api/search?level=provision&beneficiary={}&benefit={}",
            enc("高企"),
            enc("资金奖励")
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["facets"]["status"].is_array());
}

#[tokio::test]
async fn regression_issue_15_invalid_utf8_ids_are_json_400() {
    let app = app();
    for uri in ["/api/docs/%FF", "/api/docs/%ED%A0%80/similar"] {
        let (status, body) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["code"], "invalid_id", "{uri}");
        assert!(
            body["message"].as_str().unwrap().contains("文件编号"),
            "{uri}"
        );
    }
    let (status, content_type, body) = get(&app, "/docs/%ED%A0%80").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(body.contains("文件编号"));
}

#[tokio::test]
async fn facets_parameter_selects_the_facets_counted() {
    let app = app();
    let (status, body) =
        get_json(&app, "/api/search?q=%E4%BC%81%E4%B8%9A&facets=issuer,year").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body["facets"]["issuer"].as_array().unwrap().is_empty());
    assert!(body["facets"]["region"].as_array().unwrap().is_empty());
    let (_, none) = get_json(&app, "/api/search?q=%E4%BC%81%E4%B8%9A&facets=").await;
    assert!(none["facets"]["issuer"].as_array().unwrap().is_empty());
    assert!(none["total"].as_u64().unwrap() > 0);
    let (status, bad) = get_json(&app, "/api/search?q=x&facets=colour").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad["message"].as_str().unwrap().contains("colour"));
}

#[tokio::test]
async fn issue_14_documents_hits_and_benefits_carry_the_same_metadata() {
    let app = app();
    let id = seed_doc().id;
    let (_, doc) = get_json(&app, &format!("/api/docs/{}", enc(&id))).await;
    let (_, search) = get_json(&app, &format!("/api/search?q={}", enc("辽科发〔2020〕6号"))).await;
    let hit = &search["hits"][0];
    assert_eq!(hit["doc_id"], id.as_str());
    let (_, benefits) = get_json(
        &app,
        &format!("/api/benefits?beneficiary={}", enc("科技型中小企业")),
    )
    .await;
    let listed = benefits["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["doc_id"] == id.as_str())
        .unwrap();
    for key in ["region", "doc_type", "status", "benefits"] {
        assert!(!doc[key].is_null(), "/api/docs lacks {key}");
        assert!(!hit[key].is_null(), "a hit lacks {key}");
        assert!(!listed[key].is_null(), "/api/benefits lacks {key}");
        if key != "benefits" {
            assert_eq!(doc[key], hit[key], "{key}");
            assert_eq!(doc[key], listed[key], "{key}");
        }
    }
    assert_eq!(doc["region"], "辽宁省");
    let doc_benefits = doc["benefits"].as_array().unwrap();
    assert!(!doc_benefits.is_empty());
    for b in listed["benefits"].as_array().unwrap() {
        assert!(doc_benefits.contains(b), "{b}");
    }
    // The document's provisions carry their own 惠企 classes.
    let p47 = doc["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["provision_number"] == "47")
        .unwrap();
    assert!(!p47["benefits"].as_array().unwrap().is_empty(), "{p47}");
}

#[tokio::test]
async fn issue_14_a_provision_number_has_one_name_everywhere() {
    let app = app();
    let (_, search) = get_json(
        &app,
        &format!("/api/search?q={}&level=provision", enc("独角兽")),
    )
    .await;
    assert_eq!(search["hits"][0]["provision_number"], "30");
    let (_, docs) = get_json(&app, &format!("/api/search?q={}", enc("独角兽"))).await;
    let matched = &docs["hits"][0]["matched_provisions"][0];
    assert_eq!(matched["provision_number"], "30", "{matched}");
    let (_, benefits) = get_json(
        &app,
        &format!("/api/benefits?beneficiary={}", enc("科技型中小企业")),
    )
    .await;
    for d in benefits["documents"].as_array().unwrap() {
        for p in d["provisions"].as_array().unwrap() {
            assert!(p["provision_number"].is_string(), "{p}");
            // The old name stays, deprecated, for clients written against it.
            assert_eq!(p["provision_number"], p["number"]);
        }
    }
    let (_, doc) = get_json(&app, &format!("/api/docs/{}", enc(&seed_doc().id))).await;
    assert!(doc["provisions"][0]["provision_number"].is_string());
}

#[tokio::test]
async fn issue_14_one_paging_scheme() {
    let app = app();
    let beneficiary = enc("科技型中小企业");
    let (status, all) = get_json(&app, &format!("/api/benefits?beneficiary={beneficiary}")).await;
    assert_eq!(status, StatusCode::OK);
    let total = all["total_documents"].as_u64().unwrap();
    assert!(total >= 2, "{all}");
    assert_eq!(all["page"], 1);
    assert_eq!(all["size"], 50);
    let (_, first) = get_json(
        &app,
        &format!("/api/benefits?beneficiary={beneficiary}&size=1&page=1"),
    )
    .await;
    let (_, second) = get_json(
        &app,
        &format!("/api/benefits?beneficiary={beneficiary}&size=1&page=2"),
    )
    .await;
    assert_eq!(first["documents"].as_array().unwrap().len(), 1);
    assert_eq!(second["documents"].as_array().unwrap().len(), 1);
    assert_eq!(second["page"], 2);
    assert_eq!(second["total_documents"], total);
    assert_ne!(
        first["documents"][0]["doc_id"],
        second["documents"][0]["doc_id"]
    );
    assert_eq!(
        first["documents"][0]["doc_id"],
        all["documents"][0]["doc_id"]
    );
    assert_eq!(
        second["documents"][0]["doc_id"],
        all["documents"][1]["doc_id"]
    );
    // The 惠企 page pages the same way.
    let (_, _, html) = get(&app, &format!("/benefits?beneficiary={beneficiary}&size=1")).await;
    assert!(
        html.contains(&format!(
            r#"<a href="/benefits?beneficiary={beneficiary}&amp;size=1&amp;page=2">下一页</a>"#
        )),
        "{html}"
    );
    // `limit`, the old name, still works as `size`.
    let (_, limited) = get_json(
        &app,
        &format!("/api/benefits?beneficiary={beneficiary}&limit=1"),
    )
    .await;
    assert_eq!(limited["documents"], first["documents"]);
    assert_eq!(limited["size"], 1);
    // Search says its page and size back too.
    let (_, search) = get_json(&app, "/api/search?size=1&page=2").await;
    assert_eq!(
        (search["page"].as_u64(), search["size"].as_u64()),
        (Some(2), Some(1))
    );
    // Facets take `size` (and the old `limit`).
    let (_, facets) = get_json(&app, "/api/facets?field=year&size=1").await;
    assert_eq!(facets["values"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn issue_14_every_facet_field_and_every_year() {
    let app = app_with_years();
    let (_, search) = get_json(&app, "/api/search").await;
    let years: Vec<&str> = search["facets"]["year"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (2010..=2025).rev().map(|y| y.to_string()).collect();
    assert_eq!(years, expected, "every year, newest first");
    let (_, facets) = get_json(&app, "/api/facets?field=year").await;
    assert_eq!(facets["values"].as_array().unwrap().len(), 16);
    for field in zhengce_index::FacetField::ALL {
        let (status, body) = get_json(&app, &format!("/api/facets?field={}", field.as_str())).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", field.as_str());
    }
    let (_, status) = get_json(&app, "/api/facets?field=status").await;
    assert!(!status["values"].as_array().unwrap().is_empty());
    // The page lists every year too, the ones past the first few under 更多.
    let (_, _, html) = get(&app, "/").await;
    for year in 2010..=2025 {
        assert!(html.contains(&format!("<span>{year}</span>")), "{year}");
    }
    assert!(html.contains("更多（8）"), "16 years, 8 shown");
}

#[tokio::test]
async fn issue_14_regions_and_issuers_as_people_type_them() {
    let app = app();
    for (param, typed) in [
        ("region", "辽宁"),
        ("region", "辽宁省"),
        ("issuer", "辽宁科学技术厅"),
        ("issuer", "辽宁省科学技术厅"),
    ] {
        let (status, body) = get_json(&app, &format!("/api/search?{param}={}", enc(typed))).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["total"], 1, "{param}={typed}");
        assert_eq!(body["hits"][0]["region"], "辽宁省");
    }
    // On the page the chip and the facet show the region in full, the facet as chosen.
    let (_, _, html) = get(&app, &format!("/?region={}", enc("辽宁"))).await;
    assert!(html.contains("地区：辽宁省 ✕"), "{html}");
    assert!(html.contains(r#"class="on""#) && html.contains("<span>辽宁省</span>"));
    let (_, body) = get_json(
        &app,
        &format!(
            "/api/benefits?beneficiary={}&region={}",
            enc("科技型中小企业"),
            enc("辽宁")
        ),
    )
    .await;
    assert!(
        body["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["region"] == "辽宁省"),
        "{body}"
    );
}

#[tokio::test]
async fn issue_14_pages_ignore_shared_link_parameters_the_api_does_not() {
    let app = app();
    let q = enc("独角兽");
    for extra in [
        "from=singlemessage&isappinstalled=0",
        "utm_source=wechat&utm_medium=social",
    ] {
        let (status, _, html) = get(&app, &format!("/?q={q}&{extra}")).await;
        assert_eq!(status, StatusCode::OK, "{extra}");
        assert!(html.contains("共 1 条结果"), "{extra}");
        assert!(
            !html.contains("singlemessage") && !html.contains("utm_"),
            "{extra}"
        );
        let (status, _, _) = get(&app, &format!("/benefits?{extra}")).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _, html) = get(&app, &format!("/docs/{}?{extra}", enc(&seed_doc().id))).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("辽科发〔2020〕6号"));
        let (status, body) = get_json(&app, &format!("/api/search?q={q}&{extra}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["code"], "unknown_parameter");
    }
    // An impossible date typed on the page is a Chinese error, not a crash.
    let (status, _, html) = get(&app, "/?from=2021-02-29").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("“2021-02-29”不是有效日期"), "{html}");
    let (status, _, html) = get(&app, "/?page=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("页码从 1 开始"));
    let (status, _, html) = get(&app, &format!("/benefits?beneficiary={}", enc("火星人"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("未知的适用对象"));
}

#[tokio::test]
async fn issue_14_provisions_link_to_their_anchor_with_the_terms_marked() {
    let app = app();
    let id = seed_doc().id;
    let link = format!("/docs/{}?q={}#p-30", pages_segment(&id), enc("独角兽"));
    let (_, _, html) = get(&app, &format!("/?q={}&level=provision", enc("独角兽"))).await;
    assert!(html.contains(&format!(r#"href="{link}""#)), "{html}");
    // Matched provisions under a document hit are links too.
    let (_, _, html) = get(&app, &format!("/?q={}", enc("独角兽"))).await;
    assert!(
        html.contains(&format!(r#"<a class="num" href="{link}">30</a>"#)),
        "{html}"
    );
    // The document page has the anchor, marks the terms, and shows status and tags.
    let (status, _, html) = get(&app, &format!("/docs/{}?q={}", enc(&id), enc("独角兽"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<div class="prov" id="p-30">"#));
    assert!(html.contains("<mark>独角兽</mark>"));
    assert!(
        html.contains(r#"id="doc-status">有效性：<span class="badge"#),
        "{html}"
    );
    assert!(html.contains(r#"<span class="tag benefit">"#));
    assert!(
        html.contains(r#"value="独角兽""#),
        "the search box keeps the query"
    );
    // Without a query nothing is marked.
    let (_, _, html) = get(&app, &format!("/docs/{}", enc(&id))).await;
    assert!(!html.contains("<mark>"));
}

fn pages_segment(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn issue_14_browsers_get_an_html_404_an_icon_and_cached_assets() {
    let app = app();
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    let (status, headers, body) = get_accepting(&app, "/no/such/page", browser).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(body.contains("页面不存在"));
    let (status, headers, _) = get_accepting(&app, "/api/nope", browser).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let (status, headers, body) = get_accepting(&app, "/favicon.ico", "image/*").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert!(body.starts_with("<svg"));
    let (_, _, html) = get(&app, "/").await;
    for asset in [
        "/static/style.css?v=",
        "/static/app.js?v=",
        "/static/favicon.svg?v=",
    ] {
        let start = html
            .find(asset)
            .unwrap_or_else(|| panic!("{asset} not linked"));
        let link = &html[start..html[start..].find('"').unwrap() + start];
        let (status, headers, body) = get_accepting(&app, link, "*/*").await;
        assert_eq!(status, StatusCode::OK, "{link}");
        assert!(!body.is_empty());
        assert!(
            headers["cache-control"]
                .to_str()
                .unwrap()
                .contains("max-age=31536000"),
            "{link}"
        );
    }
    assert!(!html.contains("<style>"), "CSS is a static file");
    let (status, _, _) = get_accepting(&app, "/static/nope.css", "*/*").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn issue_14_a_nearly_empty_index_says_how_to_load_documents() {
    let (_, _, html) = get(&app(), "/").await;
    assert!(html.contains(r#"id="newcomer""#));
    assert!(html.contains("zhengce ingest") && html.contains("zhengce reindex"));
    let (_, _, html) = get(&app(), &format!("/?q={}", enc("独角兽"))).await;
    assert!(
        !html.contains(r#"id="newcomer""#),
        "not in the way of a search"
    );
    let (_, _, html) = get(&app_with_years(), "/").await;
    assert!(
        !html.contains("本库目前只有"),
        "16 documents is past the first run"
    );
}

#[tokio::test]
async fn issue_14_openapi_describes_the_router() {
    let app = app();
    let (status, spec) = get_json(&app, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(spec["openapi"], "3.1.0");
    let paths = spec["paths"].as_object().unwrap();
    let id = enc(&seed_doc().id);
    for (path, item) in paths {
        let uri = path.replace("{id}", &id);
        let (status, _, body) = get(&app, &uri).await;
        // Every documented path is served (required parameters aside).
        assert!(
            !(status == StatusCode::NOT_FOUND && body.contains("\"no_route\"")),
            "{path} is not routed"
        );
        let params = item["get"]["parameters"].as_array().unwrap();
        let required: Vec<&str> = params
            .iter()
            .filter(|p| p["required"] == true && p["in"] == "query")
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        if required.is_empty() {
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
        }
        // Every documented query parameter is accepted, and an undocumented one refused.
        let base = if path == "/api/facets" {
            format!("{uri}?field=year")
        } else {
            format!("{uri}?")
        };
        for p in params.iter().filter(|p| p["in"] == "query") {
            let name = p["name"].as_str().unwrap();
            let (_, _, body) = get(&app, &format!("{base}&{name}=1")).await;
            assert!(
                !body.contains("unknown_parameter"),
                "{path} refuses its documented {name}: {body}"
            );
        }
        if !params.is_empty() && path.starts_with("/api/") && !path.contains("{id}") {
            let (status, _, body) = get(&app, &format!("{base}&undocumented=1")).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
            assert!(body.contains("unknown_parameter"), "{path}: {body}");
        }
    }
    // Every API route of the router is documented: the ones a client can reach.
    for route in [
        "/api/search",
        "/api/docs/{id}",
        "/api/docs/{id}/similar",
        "/api/facets",
        "/api/benefits",
        "/api/openapi.json",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(paths.contains_key(route), "{route} is not documented");
    }
    // The search parameters documented are exactly the ones the handler knows.
    let search: Vec<&str> = spec["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in search.iter() {
        let (_, body) = get_json(&app, &format!("/api/search?{name}=x")).await;
        assert_ne!(body["code"], "unknown_parameter", "{name}");
    }
}

/// Issue 10 (the house): a document's JSON and page show the facts it was indexed with
/// (here saying what its text does not), not classes and a status computed again from
/// the text; classes people type are resolved by the server before the index sees them.
#[tokio::test]
async fn regression_issue_10_documents_show_the_facts_they_were_indexed_with() {
    use zhengce_model::{Classification, DocFacts, PolicyDoc, ProvisionFacts, Validity};

    let mut doc = PolicyDoc {
        id: "given".into(),
        title: Some("关于某项工作的通知".into()),
        publish_date: Some("2021-03-01".into()),
        body: "一、做好某项工作。\n二、加强组织领导。".into(),
        ..Default::default()
    };
    doc.provisions = zhengce_parse::extract_provisions(&doc.body);
    assert_eq!(doc.provisions.len(), 2);
    let classes = Classification {
        benefits: vec!["资金奖励".into()],
        beneficiaries: vec!["高新技术企业".into()],
    };
    let facts = DocFacts {
        validity: Validity {
            valid_from: Some("2021-03-01".into()),
            repealed: true,
            ..Validity::default()
        },
        classes: classes.clone(),
        provisions: vec![
            ProvisionFacts {
                classes,
                amounts: Vec::new(),
            },
            ProvisionFacts::default(),
        ],
    };
    let index = zhengce_index::PolicyIndex::create_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    writer.upsert(&doc, &facts).unwrap();
    writer.commit().unwrap();
    let app = zhengce_server::app(zhengce_server::AppState::new(index));

    let (status, json) = get_json(&app, "/api/docs/given").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json["status"], "已失效");
    assert_eq!(json["benefits"], serde_json::json!(["资金奖励"]));
    assert_eq!(json["beneficiaries"], serde_json::json!(["高新技术企业"]));
    assert_eq!(
        json["provisions"][0]["benefits"],
        serde_json::json!(["资金奖励"])
    );
    assert_eq!(json["provisions"][1]["benefits"], serde_json::json!([]));
    assert!(json.get("facts").is_none(), "{json}");

    let (status, _, html) = get(&app, "/docs/given").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("已失效"), "{html}");
    assert!(html.contains("高新技术企业"), "{html}");

    // `高企` is resolved to the class the index holds.
    let (status, found) = get_json(
        &app,
        &format!("/api/search?level=provision&beneficiary={}", enc("高企")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["hits"][0]["id"], "given#一");
    let (status, listed) =
        get_json(&app, &format!("/api/benefits?beneficiary={}", enc("高企"))).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    assert_eq!(listed["total_provisions"], 1, "{listed}");
}
