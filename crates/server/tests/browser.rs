//! The search page in a real browser: Debian's chromium, driven through chromedriver,
//! against a server this test starts on 127.0.0.1. Screenshots go to
//! `target/screenshots/`.
//!
//! Skipped (with a printed reason) when chromedriver is missing, unless
//! `ZHENGCE_REQUIRE_BROWSER=1`, which `.ci/run` sets after installing it.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

use crate::common::{enc, state, state_with_years};

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names
        .iter()
        .flat_map(|n| std::env::split_paths(&path).map(move |dir| dir.join(n)))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn screenshots_dir() -> PathBuf {
    let dir = zhengce_testkit::repo_root()
        .join("target")
        .join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn total(client: &Client) -> String {
    client
        .wait()
        .for_element(Locator::Id("total"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn hits(client: &Client) -> usize {
    client
        .find_all(Locator::Css("article.hit"))
        .await
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_query_and_clicking_a_facet_changes_the_results() {
    let required = std::env::var("ZHENGCE_REQUIRE_BROWSER").as_deref() == Ok("1");
    let (Some(chromedriver), Some(chromium)) = (
        find_program(&["chromedriver"]),
        find_program(&["chromium", "chromium-browser", "google-chrome"]),
    ) else {
        assert!(
            !required,
            "ZHENGCE_REQUIRE_BROWSER=1 but chromium or chromedriver is missing"
        );
        eprintln!("skipped: chromium and chromedriver are not installed");
        return;
    };

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(zhengce_server::serve(listener, state(), async {
        let _ = stopped.await;
    }));

    let port = free_port();
    let _driver = Driver(
        Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile = std::env::temp_dir().join(format!("zhengce-chromium-{}", std::process::id()));
    let capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1400",
                format!("--user-data-dir={}", profile.display()),
            ]
        }
    });
    let client = ClientBuilder::rustls()
        .unwrap()
        .capabilities(capabilities.as_object().unwrap().clone())
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a chromium session");

    // A person opens the page, types a query and presses the button.
    client.goto(&site).await.unwrap();
    let box_ = client.find(Locator::Css("input[name=q]")).await.unwrap();
    box_.send_keys("奖励").await.unwrap();
    let button = client
        .find(Locator::Css("form.search button"))
        .await
        .unwrap();
    click_to_navigate(&client, button).await;
    let docs_total = total(&client).await;
    assert!(docs_total.contains("共 2 条结果"), "{docs_total}");
    assert_eq!(hits(&client).await, 2);

    // Switches to provisions (条款).
    let tab = client
        .find(Locator::Css("#level a:nth-child(2)"))
        .await
        .unwrap();
    click_to_navigate(&client, tab).await;
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("level=provision")
    );
    let provisions_total = total(&client).await;
    assert_ne!(provisions_total, docs_total);
    let before = hits(&client).await;
    std::fs::write(
        screenshots_dir().join("search.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    // Clicks the 牵头处室 facet 企业处: the list narrows to exactly its count.
    let facet = client
        .find(Locator::XPath(
            "//div[@data-facet='lead_dept']//a[span[1]='企业处']",
        ))
        .await
        .unwrap();
    let count: usize = facet
        .find(Locator::Css(".n"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .parse()
        .unwrap();
    click_to_navigate(&client, facet).await;
    let after_total = total(&client).await;
    assert!(
        after_total.contains(&format!("共 {count} 条结果")),
        "{after_total}"
    );
    assert_eq!(hits(&client).await, count.min(10));
    assert_ne!(hits(&client).await, before);
    // The filter shows as a removable chip and lives in the URL.
    let chip = client
        .find(Locator::Css(".chips .chip"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        chip.contains("牵头处室") && chip.contains("企业处"),
        "{chip}"
    );
    let url = client.current_url().await.unwrap();
    assert!(
        url.query().unwrap_or_default().contains("lead_dept="),
        "{url}"
    );
    for tag in client
        .find_all(Locator::Css("article.hit .tag"))
        .await
        .unwrap()
    {
        let text = tag.text().await.unwrap();
        assert!(
            !text.starts_with("牵头") || text.contains("企业处"),
            "{text}"
        );
    }
    std::fs::write(
        screenshots_dir().join("facet.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    // A document page from a result.
    let link = client.find(Locator::Css("article.hit h3 a")).await.unwrap();
    click_to_navigate(&client, link).await;
    client
        .wait()
        .for_element(Locator::Css("table.info"))
        .await
        .unwrap();
    std::fs::write(
        screenshots_dir().join("document.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    // The 惠企政策 page: an enterprise says what it is and where, and sees provision 47
    // and whom to ask.
    client.goto(&format!("{site}/benefits")).await.unwrap();
    client
        .find(Locator::XPath(
            "//select[@id='beneficiary']/option[@value='科技型中小企业']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client
        .find(Locator::XPath(
            "//select[@id='region']/option[@value='辽宁省']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let submit = client.find(Locator::Css("form.pick button")).await.unwrap();
    click_to_navigate(&client, submit).await;
    let p47 = client
        .wait()
        .for_element(Locator::Css(r#"li[data-number="47"]"#))
        .await
        .unwrap();
    assert!(p47.text().await.unwrap().contains("企业处"));
    std::fs::write(
        screenshots_dir().join("benefits.png"),
        client.screenshot().await.unwrap(),
    )
    .unwrap();

    phone(&client, &site).await;
    shared_links_anchors_and_errors(&client, &site).await;

    // Every year in the 年份 facet, on a second server over sixteen years of documents.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let years_site = format!("http://{}", listener.local_addr().unwrap());
    let (stop_years, stopped_years) = tokio::sync::oneshot::channel::<()>();
    let years_server = tokio::spawn(zhengce_server::serve(listener, state_with_years(), async {
        let _ = stopped_years.await;
    }));
    every_year(&client, &years_site).await;
    let _ = stop_years.send(());
    years_server.await.unwrap().unwrap();

    client.close().await.unwrap();
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    let _ = std::fs::remove_dir_all(profile);
}

/// Clicks an element that loads a new page, and waits until the new page has loaded.
async fn click_to_navigate(client: &Client, element: fantoccini::elements::Element) {
    let before = client.current_url().await.unwrap();
    element.click().await.unwrap();
    let started = Instant::now();
    loop {
        let now = client.current_url().await.unwrap();
        let ready = client
            .execute("return document.readyState", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string));
        if now != before && ready.as_deref() == Some("complete") {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no navigation from {before}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn js_f64(client: &Client, script: &str) -> f64 {
    client
        .execute(script, vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap_or_else(|| panic!("{script}: not a number"))
}

/// Nothing on the current page is wider than the window (`what` names the page).
async fn assert_fits_the_screen(client: &Client, what: &str) {
    let overflow = js_f64(
        client,
        "return document.documentElement.scrollWidth - window.innerWidth",
    )
    .await;
    assert!(
        overflow <= 0.0,
        "{what} is {overflow}px wider than the screen"
    );
}

async fn screenshot(client: &Client, name: &str) {
    std::fs::write(
        screenshots_dir().join(name),
        client.screenshot().await.unwrap(),
    )
    .unwrap();
}

/// A phone (390×844): the first result is on the first screen, the facets fold into a
/// button that opens them, nothing is wider than the screen.
async fn phone(client: &Client, site: &str) {
    client.set_window_size(390, 844).await.unwrap();
    client
        .goto(&format!("{site}/?q={}", enc("奖励")))
        .await
        .unwrap();
    total(client).await;
    let width = js_f64(client, "return window.innerWidth").await;
    let height = js_f64(client, "return window.innerHeight").await;
    assert!(width <= 400.0, "the viewport is a phone's: {width}");
    let first_top = js_f64(
        client,
        "return document.querySelector('article.hit').getBoundingClientRect().top",
    )
    .await;
    assert!(
        first_top + 40.0 < height,
        "the first result starts at {first_top}px, below the first screen ({height}px)"
    );
    assert_fits_the_screen(client, "the page").await;
    let facets_shown = js_f64(
        client,
        "return document.querySelector('aside .facets').offsetHeight",
    )
    .await;
    assert_eq!(facets_shown, 0.0, "facets fold away on a phone");
    screenshot(client, "phone-results.png").await;
    client
        .find(Locator::Css("label.ft-btn"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let opened = js_f64(
        client,
        "return document.querySelector('aside .facets').offsetHeight",
    )
    .await;
    assert!(
        opened > 100.0,
        "the 筛选 button opens the facets ({opened}px)"
    );
    let clipped = js_f64(
        client,
        "return Math.max(...[...document.querySelectorAll('aside .facet')].map(f => f.getBoundingClientRect().right)) - window.innerWidth",
    )
    .await;
    assert!(clipped <= 0.0, "a facet card sticks out {clipped}px");
    screenshot(client, "phone-facets.png").await;
    // The document page on a phone: nothing wider than the screen either.
    client
        .goto(&format!(
            "{site}/docs/{}",
            enc(&crate::common::seed_doc().id)
        ))
        .await
        .unwrap();
    assert_fits_the_screen(client, "the document page").await;
    // And the 惠企政策 page with its results.
    client
        .goto(&format!(
            "{site}/benefits?beneficiary={}&region={}",
            enc("科技型中小企业"),
            enc("辽宁")
        ))
        .await
        .unwrap();
    client
        .wait()
        .for_element(Locator::Css(r#"li[data-number="47"]"#))
        .await
        .unwrap();
    assert_fits_the_screen(client, "the 惠企政策 page").await;
    screenshot(client, "phone-benefits.png").await;
    client.set_window_size(1280, 1400).await.unwrap();
}

/// A link shared through WeChat opens; a matched provision leads to its anchor, marked;
/// a malformed query says why in Chinese.
async fn shared_links_anchors_and_errors(client: &Client, site: &str) {
    client
        .goto(&format!(
            "{site}/?q={}&from=singlemessage&isappinstalled=0&utm_source=wechat",
            enc("独角兽")
        ))
        .await
        .unwrap();
    let shared = total(client).await;
    assert!(shared.contains("共 1 条结果"), "{shared}");
    assert!(client.find(Locator::Css(".error")).await.is_err());
    screenshot(client, "wechat-link.png").await;

    let provision = client.find(Locator::Css("ul.provs a.num")).await.unwrap();
    click_to_navigate(client, provision).await;
    let url = client.current_url().await.unwrap();
    assert_eq!(url.fragment(), Some("p-30"), "{url}");
    client
        .wait()
        .for_element(Locator::Css("#p-30"))
        .await
        .unwrap();
    let target = client
        .execute(
            "var t = document.querySelector(':target'); return t ? t.id : null",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(target, "p-30");
    // Scrolled to: the provision is on screen, and the query's terms are marked in it.
    let top = js_f64(
        client,
        "return document.getElementById('p-30').getBoundingClientRect().top",
    )
    .await;
    let height = js_f64(client, "return window.innerHeight").await;
    assert!((0.0..height).contains(&top), "provision 30 at {top}px");
    let marked = client
        .find(Locator::Css("#p-30 mark"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(marked, "独角兽");
    let status = client
        .find(Locator::Id("doc-status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.starts_with("有效性："), "{status}");
    screenshot(client, "provision-anchor.png").await;

    client
        .goto(&format!("{site}/?q={}", enc("\"未闭合")))
        .await
        .unwrap();
    let error = client
        .wait()
        .for_element(Locator::Css(".error"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(error.contains("引号没有闭合"), "{error}");
    screenshot(client, "error.png").await;
}

/// The 年份 facet lists every year, newest first; 更多 opens the rest.
async fn every_year(client: &Client, site: &str) {
    client.goto(site).await.unwrap();
    total(client).await;
    let more = client
        .find(Locator::Css("div[data-facet='year'] details.more summary"))
        .await
        .unwrap();
    more.click().await.unwrap();
    let mut years = Vec::new();
    for a in client
        .find_all(Locator::Css("div[data-facet='year'] li a span:first-child"))
        .await
        .unwrap()
    {
        years.push(a.text().await.unwrap());
    }
    let expected: Vec<String> = (2010..=2025).rev().map(|y| y.to_string()).collect();
    assert_eq!(years, expected);
    screenshot(client, "years.png").await;
}
