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

use crate::common::state;

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
