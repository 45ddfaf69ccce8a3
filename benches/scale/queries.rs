//! The queries, how each engine is asked them over HTTP, and the two measurements: latency
//! per class with one client, throughput with several.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use reqwest::Url;
use reqwest::blocking::Client;
use serde_json::Value;

/// Kinds of query, reported separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    OneWord,
    TwoWords,
    DocNumber,
    Phrase,
    Filtered,
    AllFacets,
    Provision,
    DeepPage,
}

impl Class {
    pub const ALL: [Class; 8] = [
        Class::OneWord,
        Class::TwoWords,
        Class::DocNumber,
        Class::Phrase,
        Class::Filtered,
        Class::AllFacets,
        Class::Provision,
        Class::DeepPage,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Class::OneWord => "one word",
            Class::TwoWords => "two words",
            Class::DocNumber => "文号",
            Class::Phrase => "phrase",
            Class::Filtered => "filtered",
            Class::AllFacets => "all facets",
            Class::Provision => "provision level",
            Class::DeepPage => "deep page (50)",
        }
    }
}

/// A filter on one facet, the same for both engines.
#[derive(Debug, Clone, Copy)]
pub enum Filter {
    Issuer(&'static str),
    Year(u16),
    Region(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct Query {
    pub class: Class,
    pub text: &'static str,
    pub filter: Option<Filter>,
}

const fn q(class: Class, text: &'static str) -> Query {
    Query {
        class,
        text,
        filter: None,
    }
}

const fn f(text: &'static str, filter: Filter) -> Query {
    Query {
        class: Class::Filtered,
        text,
        filter: Some(filter),
    }
}

/// The fixed query list. The 文号 are real: the first five are in the shared corpus
/// (`govcn_sql`), the others only in metadata records, hence only in the synthetic corpus.
pub const QUERIES: &[Query] = &[
    q(Class::OneWord, "独角兽"),
    q(Class::OneWord, "知识产权"),
    q(Class::OneWord, "科技型中小企业"),
    q(Class::OneWord, "一带一路"),
    q(Class::OneWord, "营商环境"),
    q(Class::OneWord, "乡村振兴"),
    q(Class::OneWord, "安全生产"),
    q(Class::OneWord, "中医药"),
    q(Class::TwoWords, "生态环境 保护"),
    q(Class::TwoWords, "财政 补贴"),
    q(Class::TwoWords, "数字经济 发展"),
    q(Class::TwoWords, "医疗 保险"),
    q(Class::TwoWords, "人才 引进"),
    q(Class::TwoWords, "农村 土地"),
    q(Class::TwoWords, "疫情 防控"),
    q(Class::TwoWords, "职业 教育"),
    q(Class::DocNumber, "国发〔2019〕5号"),
    q(Class::DocNumber, "国办发〔2019〕6号"),
    q(Class::DocNumber, "国发〔2018〕42号"),
    q(Class::DocNumber, "国办发〔2018〕128号"),
    q(Class::DocNumber, "国办函〔2004〕71号"),
    q(Class::DocNumber, "粤府〔2023〕68号"),
    q(Class::DocNumber, "粤办函〔2023〕267号"),
    q(Class::DocNumber, "云政办发〔2023〕41号"),
    q(Class::Phrase, "\"深化改革\""),
    q(Class::Phrase, "\"高质量发展\""),
    q(Class::Phrase, "\"放管服\""),
    q(Class::Phrase, "\"依法行政\""),
    q(Class::Phrase, "\"创新驱动发展战略\""),
    q(Class::Phrase, "\"公共服务体系\""),
    f("改革", Filter::Issuer("国务院办公厅")),
    f("监督管理", Filter::Issuer("国务院")),
    f("中医", Filter::Issuer("北京市中医管理局")),
    f("创新", Filter::Year(2019)),
    f("环境", Filter::Year(2020)),
    f("企业", Filter::Year(2023)),
    f("政府", Filter::Region("广东省")),
    f("服务", Filter::Region("北京市")),
    q(Class::AllFacets, "科技创新"),
    q(Class::AllFacets, "监督管理"),
    q(Class::AllFacets, "改革"),
    q(Class::AllFacets, "补助"),
    q(Class::AllFacets, "食品安全"),
    q(Class::AllFacets, "人民政府"),
    q(Class::Provision, "奖励性后补助"),
    q(Class::Provision, "资金"),
    q(Class::Provision, "高新技术企业"),
    q(Class::Provision, "法律责任"),
    q(Class::Provision, "罚款"),
    q(Class::Provision, "培训"),
    q(Class::DeepPage, "管理"),
    q(Class::DeepPage, "发展"),
    q(Class::DeepPage, "企业"),
    q(Class::DeepPage, "国家"),
    q(Class::DeepPage, "工作"),
    q(Class::DeepPage, "服务"),
];

/// Results per page, as the search page shows.
const PAGE_SIZE: usize = 10;
/// The deep page.
const DEEP_PAGE: usize = 50;
/// Values per facet: what zhengce returns.
const FACET_VALUES: usize = 30;
/// The facets asked for, except in the "all facets" class.
const FACETS: &str = "issuer,year";
/// Facets of the "all facets" class in Groonga (the columns it has).
const ALL_GROONGA_FACETS: &str = "issuer,year,region,doc_type";
/// Upper bound on the requests of one throughput client (the time limit comes first).
const MAX_REQUESTS_PER_CLIENT: usize = 1_000_000;

/// One engine's HTTP search endpoint and how a query is put to it.
#[derive(Debug, Clone)]
pub enum Target {
    /// `/api/search`; `facets` when the server accepts the `facets` parameter.
    Zhengce { base: String, facets: bool },
    /// `/d/select` on the `Entries` table.
    Groonga { base: String },
}

impl Target {
    pub fn url(&self, query: &Query) -> anyhow::Result<Url> {
        match self {
            Target::Zhengce { base, facets } => {
                let mut params = vec![("q", query.text.to_string())];
                match query.class {
                    Class::Provision => params.push(("level", "provision".into())),
                    Class::DeepPage => params.push(("page", DEEP_PAGE.to_string())),
                    _ => {}
                }
                match query.filter {
                    Some(Filter::Issuer(v)) => params.push(("issuer", v.into())),
                    Some(Filter::Year(v)) => params.push(("year", v.to_string())),
                    Some(Filter::Region(v)) => params.push(("region", v.into())),
                    None => {}
                }
                if *facets && query.class != Class::AllFacets {
                    params.push(("facets", FACETS.into()));
                }
                Ok(Url::parse_with_params(
                    &format!("{base}/api/search"),
                    &params,
                )?)
            }
            Target::Groonga { base } => {
                let provision = query.class == Class::Provision;
                let mut filter = format!(
                    "level == \"{}\"",
                    if provision { "provision" } else { "doc" }
                );
                match query.filter {
                    Some(Filter::Issuer(v)) => filter += &format!(" && issuer == {}", quoted(v)),
                    Some(Filter::Year(v)) => filter += &format!(" && year == {v}"),
                    Some(Filter::Region(v)) => filter += &format!(" && region == {}", quoted(v)),
                    None => {}
                }
                let page = if query.class == Class::DeepPage {
                    DEEP_PAGE
                } else {
                    1
                };
                let drilldown = if query.class == Class::AllFacets {
                    ALL_GROONGA_FACETS
                } else {
                    FACETS
                };
                let params = [
                    ("table", "Entries".to_string()),
                    (
                        "match_columns",
                        if provision {
                            "body"
                        } else {
                            "title * 2 || body || doc_number"
                        }
                        .into(),
                    ),
                    ("query", query.text.into()),
                    ("filter", filter),
                    ("sort_keys", "-_score,_id".into()),
                    ("offset", ((page - 1) * PAGE_SIZE).to_string()),
                    ("limit", PAGE_SIZE.to_string()),
                    (
                        "output_columns",
                        "_id,_score,doc_id,title,doc_number,issuer,year,snippet_html(body)".into(),
                    ),
                    ("drilldown", drilldown.into()),
                    ("drilldown_sort_keys", "-_nsubrecs".into()),
                    ("drilldown_limit", FACET_VALUES.to_string()),
                    // Groonga caches select answers by default; zhengce caches nothing.
                    ("cache", "no".into()),
                ];
                Ok(Url::parse_with_params(
                    &format!("{base}/d/select"),
                    &params,
                )?)
            }
        }
    }

    /// The number of matches an answer reports.
    fn total(&self, body: &[u8]) -> anyhow::Result<u64> {
        let answer: Value = serde_json::from_slice(body).context("the answer is not JSON")?;
        let total = match self {
            Target::Zhengce { .. } => answer["total"].as_u64(),
            // [[rc, start, elapsed], [[[n_hits], [columns…], rows…], drilldowns…]]
            Target::Groonga { .. } => answer[1][0][0][0].as_u64(),
        };
        total.with_context(|| format!("no total in {}", String::from_utf8_lossy(body)))
    }
}

/// A Groonga script string literal.
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One GET: milliseconds and body; anything but 200 is an error.
fn get(client: &Client, url: Url) -> anyhow::Result<(f64, Vec<u8>)> {
    let started = Instant::now();
    let response = client
        .get(url.clone())
        .send()
        .with_context(|| format!("GET {url}"))?;
    let status = response.status();
    let body = response.bytes().with_context(|| format!("GET {url}"))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body);
        bail!(
            "GET {url}: {status}: {}",
            text.chars().take(300).collect::<String>()
        );
    }
    Ok((ms, body.to_vec()))
}

/// Whether zhengce accepts `facets=` (the server answers 400 to unknown parameters).
pub fn zhengce_takes_facets(client: &Client, base: &str) -> anyhow::Result<bool> {
    let url = Url::parse_with_params(
        &format!("{base}/api/search"),
        &[("q", "政策"), ("facets", FACETS)],
    )?;
    let status = client.get(url).send().context("probe facets")?.status();
    match status.as_u16() {
        200 => Ok(true),
        400 => Ok(false),
        other => bail!("zhengce answered {other} to the facets probe"),
    }
}

/// The documents zhengce reports at `/healthz`.
pub fn zhengce_documents(client: &Client, base: &str) -> anyhow::Result<u64> {
    let (_, body) = get(client, Url::parse(&format!("{base}/healthz"))?)?;
    let health: Value = serde_json::from_slice(&body)?;
    health["documents"]
        .as_u64()
        .context("no documents in /healthz")
}

/// Fails unless every Groonga select was computed (none answered from its cache).
pub fn groonga_ensure_uncached(client: &Client, base: &str) -> anyhow::Result<()> {
    let (_, body) = get(client, Url::parse(&format!("{base}/d/status"))?)?;
    let status: Value = serde_json::from_slice(&body)?;
    let rate = status[1]["cache_hit_rate"]
        .as_f64()
        .context("no cache_hit_rate in /d/status")?;
    anyhow::ensure!(
        rate == 0.0,
        "groonga answered from its cache (hit rate {rate})"
    );
    Ok(())
}

/// Latency in milliseconds of every request of one pass, by class.
pub type Latencies = BTreeMap<Class, Vec<f64>>;

/// Runs every query `reps` times in a row with one client; also returns the total
/// matches each class found (summed over its queries, from the first repetition).
pub fn latency_pass(
    client: &Client,
    target: &Target,
    reps: usize,
) -> anyhow::Result<(Latencies, BTreeMap<Class, u64>)> {
    let mut latencies = Latencies::new();
    let mut totals = BTreeMap::new();
    for query in QUERIES {
        for rep in 0..reps {
            let (ms, body) = get(client, target.url(query)?)?;
            latencies.entry(query.class).or_default().push(ms);
            if rep == 0 {
                *totals.entry(query.class).or_default() += target.total(&body)?;
            }
        }
    }
    Ok((latencies, totals))
}

/// What several clients together achieved.
#[derive(Debug, Clone, Copy, Default)]
pub struct Throughput {
    pub qps: f64,
    pub p99_ms: f64,
    pub requests: usize,
    pub errors: usize,
}

/// `clients` threads, each with its own connection, run the mixed query list (each from a
/// different starting point) for `duration`.
pub fn throughput(
    target: &Target,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Throughput> {
    let started = Instant::now();
    let deadline = started + duration;
    let results: Vec<anyhow::Result<(Vec<f64>, usize)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|c| {
                scope.spawn(move || -> anyhow::Result<(Vec<f64>, usize)> {
                    let client = super::http_client()?;
                    let mut latencies = Vec::new();
                    let mut errors = 0;
                    let offset = c * QUERIES.len() / clients;
                    for n in 0..MAX_REQUESTS_PER_CLIENT {
                        if Instant::now() >= deadline {
                            break;
                        }
                        let query = &QUERIES[(offset + n) % QUERIES.len()];
                        match get(&client, target.url(query)?) {
                            Ok((ms, _)) => latencies.push(ms),
                            Err(_) => errors += 1,
                        }
                    }
                    Ok((latencies, errors))
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a throughput client panicked"))
            .collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut all = Vec::new();
    let mut errors = 0;
    for result in results {
        let (latencies, e) = result?;
        all.extend(latencies);
        errors += e;
    }
    Ok(Throughput {
        qps: all.len() as f64 / elapsed,
        requests: all.len(),
        errors,
        p99_ms: percentile(&mut all, 99.0),
    })
}

/// Nearest-rank percentile; 0 for no samples.
pub fn percentile(samples: &mut [f64], p: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * samples.len() as f64).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}
