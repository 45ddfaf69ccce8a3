//! Ingest and query benchmark over the shared corpus.
//!
//! `cargo bench --bench ingest` ingests every body-bearing record of
//! `../shared/corpus/docs` into a fresh index RUNS times and reports the median time and
//! the index size, then the median latency of a set of queries, and what the policy-term
//! dictionary changes in jieba's segmentation.

use std::path::Path;
use std::time::Instant;

use zhengce_analysis::{POLICY_TERMS, load_jieba};
use zhengce_index::{Level, PolicyIndex, SearchRequest};
use zhengce_pipeline::{IngestReport, ingest_paths};

const RUNS: usize = 3;
const QUERIES: &[&str] = &[
    "独角兽",
    "科技型中小企业",
    "高企",
    "一带一路",
    "卡脖子",
    "国办发〔2019〕3号",
    "奖励性后补助",
    "生态环境 保护",
    "\"深化改革\"",
    "中医药 OR 中药",
    "财政补贴 -农业",
    "知识产权",
];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn dir_size(path: &Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/docs");
    if !corpus.is_dir() {
        eprintln!(
            "skipped: the shared corpus is absent at {}",
            corpus.display()
        );
        return;
    }
    let mut times = Vec::new();
    let mut last = None;
    for run in 0..RUNS {
        let dir = std::env::temp_dir().join(format!("zhengce-bench-{}-{run}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = PolicyIndex::open_or_create(&dir).unwrap();
        let mut report = IngestReport::default();
        let started = Instant::now();
        ingest_paths(std::slice::from_ref(&corpus), &index, &mut report, &|_| {}).unwrap();
        let secs = started.elapsed().as_secs_f64();
        println!(
            "run {run}: {secs:.2}s, added {}, skipped {}, failed {}, index {:.0} MiB",
            report.added,
            report.skipped,
            report.failed.len(),
            dir_size(&dir) as f64 / 1048576.0
        );
        times.push(secs);
        if let Some(old) = last.replace(dir) {
            let _ = std::fs::remove_dir_all(old);
        }
    }
    println!("ingest median over {RUNS} runs: {:.2}s", median(times));

    let dir = last.unwrap();
    let index = PolicyIndex::open_or_create(&dir).unwrap();
    for level in [Level::Doc, Level::Provision] {
        let mut latencies = Vec::new();
        for _ in 0..5 {
            for q in QUERIES {
                let mut request = SearchRequest::new(q);
                request.level = level;
                let started = Instant::now();
                index.search(&request).unwrap();
                latencies.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        println!(
            "{level:?} query latency: median {:.1} ms over {} searches",
            median(latencies.clone()),
            latencies.len()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);

    // What the policy dictionary changes: how often its terms come out of jieba whole.
    let plain = load_jieba(false);
    let policy = load_jieba(true);
    let text: String = std::fs::read_to_string(corpus.join("govcn_sql.jsonl")).unwrap();
    let terms: Vec<&str> = POLICY_TERMS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let whole = |jieba: &jieba_rs::Jieba| {
        let words = jieba.cut(&text, true);
        terms
            .iter()
            .map(|t| words.iter().filter(|w| w.word == *t).count())
            .sum::<usize>()
    };
    let occurrences: usize = terms.iter().map(|t| text.matches(t).count()).sum();
    println!(
        "policy terms in govcn_sql bodies: {occurrences} occurrences; kept whole by jieba: {} without the dictionary, {} with it",
        whole(&plain),
        whole(&policy)
    );
}
