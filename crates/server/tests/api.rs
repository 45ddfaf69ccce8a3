//! Every endpoint and every error case, through `app().oneshot`.

use axum::http::StatusCode;

use crate::common::{app, enc, get, get_json, seed_doc, state};

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
    let app = app();
    let long = "科".repeat(1001);
    let cases = [
        (
            format!("/api/search?q={}", enc("\"独角兽")),
            "bad_query",
            "quote",
        ),
        (
            format!("/api/search?q={}", enc(&long)),
            "bad_query",
            "too long",
        ),
        ("/api/search?page=0".to_string(), "bad_request", "page"),
        (
            "/api/search?page=abc".to_string(),
            "bad_request",
            "page must be a whole number",
        ),
        ("/api/search?size=101".to_string(), "bad_request", "size"),
        ("/api/search?size=0".to_string(), "bad_request", "size"),
        ("/api/search?size=-1".to_string(), "bad_request", "size"),
        (
            "/api/search?level=article".to_string(),
            "bad_request",
            "level",
        ),
        (
            "/api/search?sort=popular".to_string(),
            "bad_request",
            "sort",
        ),
        (
            "/api/search?colour=red".to_string(),
            "bad_request",
            "unknown parameter",
        ),
        (
            "/api/search?from=yesterday".to_string(),
            "bad_request",
            "date",
        ),
        ("/api/search?year=twenty".to_string(), "bad_request", "year"),
        (
            "/api/facets".to_string(),
            "bad_request",
            "field is required",
        ),
        (
            "/api/facets?field=colour".to_string(),
            "bad_request",
            "unknown facet",
        ),
        (
            "/api/facets?field=issuer&limit=0".to_string(),
            "bad_request",
            "limit",
        ),
    ];
    for (uri, code, says) in cases {
        let (status, body) = get_json(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert_eq!(body["code"], code, "{uri}");
        assert!(
            body["message"].as_str().unwrap().contains(says),
            "{uri}: {body}"
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
    for uri in ["/api/docs/nope", "/api/docs/nope/similar", "/no/such/route"] {
        let (status, body) = get_json(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(body["code"], "not_found");
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
    writer
        .upsert(&zhengce_model::PolicyDoc {
            id: "nightly".into(),
            title: Some("夜间重建测试通知".into()),
            body: "夜间重建后新增的文件。".into(),
            ..Default::default()
        })
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
    assert!(html.contains("quote is not closed"));
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
            "unknown beneficiary",
        ),
        ("/api/benefits?limit=0".to_string(), "limit"),
        ("/api/benefits?colour=red".to_string(), "unknown parameter"),
        (format!("/api/search?status={}", enc("永久")), "status"),
        ("/api/search?as_of=someday".to_string(), "as_of"),
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
        assert_eq!(body["code"], "bad_request", "{uri}");
        assert!(
            body["message"].as_str().unwrap().contains("document id"),
            "{uri}"
        );
    }
    let (status, content_type, body) = get(&app, "/docs/%ED%A0%80").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(body.contains("document id"));
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
