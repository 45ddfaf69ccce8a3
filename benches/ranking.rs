//! Ranking benchmark: nDCG@10, P@10 and MRR of every ranker on the judged queries of
//! `crates/index/tests/fixtures/judged/` (see its GUIDELINE.md).
//!
//! `cargo bench --bench ranking` ingests the shared corpus into a fresh index (or opens
//! the index in `$ZHENGCE_RANKING_INDEX` when that directory holds one, building it there
//! when it does not), runs every query through every ranker and prints one row per
//! ranker. A document that a ranker puts in its top 10 without a judgment makes the
//! bench fail, listing those documents: scores are never lower bounds. With
//! `-- --pool FILE` the unjudged documents are appended to FILE as judgment lines with
//! grade `?`, to be judged and moved into `judgments.tsv`. With `-- --set heldout` the
//! queries and judgments come from the frozen held-out test split in `judged/heldout/`
//! instead of the development set the rankers were tuned on.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use zhengce_index::{Cancel, PolicyIndex, Ranking, SearchRequest};
use zhengce_pipeline::{IngestReport, ingest_paths};

const DEPTH: usize = 10;

struct Query {
    id: String,
    text: String,
}

/// The judged set: the development set by default, `judged/<set>/` with `--set <set>`.
fn fixture_dir(set: Option<&str>) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/index/tests/fixtures/judged");
    set.map_or(dir.clone(), |s| dir.join(s))
}

fn read_queries(dir: &Path) -> Vec<Query> {
    let text = std::fs::read_to_string(dir.join("queries.tsv")).expect("queries.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.split('\t');
            Query {
                id: cols.next().expect("query id").to_string(),
                text: cols.next().expect("query text").to_string(),
            }
        })
        .collect()
}

/// Grades by query id, then document id.
fn read_judgments(dir: &Path) -> HashMap<String, HashMap<String, u32>> {
    let text = std::fs::read_to_string(dir.join("judgments.tsv")).unwrap_or_default();
    let mut out: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let grade = cols
            .get(2)
            .and_then(|g| g.parse::<u32>().ok())
            .filter(|g| *g <= 2)
            .unwrap_or_else(|| panic!("judgments.tsv:{}: grade must be 0, 1 or 2", n + 1));
        out.entry(cols[0].to_string())
            .or_default()
            .insert(cols[1].to_string(), grade);
    }
    out
}

/// The rankers compared: the plain BM25 reference, the engine before the ranking
/// signals, each signal added in turn, and the engine's ranker.
fn rankers() -> Vec<(&'static str, Option<Ranking>)> {
    let none = Ranking::NONE;
    let names = Ranking {
        title_names: true,
        ..none
    };
    let current = Ranking {
        current_first: true,
        ..names
    };
    let collapse = Ranking {
        collapse: true,
        ..current
    };
    let authority = Ranking {
        authority: true,
        ..collapse
    };
    let bounded = Ranking {
        word_bound_abbreviations: true,
        ..authority
    };
    vec![
        ("bm25 (plain, jieba words)", None),
        ("zhengce before", Some(none)),
        ("+ title names", Some(names)),
        ("+ current version first", Some(current)),
        ("+ versions/parts collapsed", Some(collapse)),
        ("+ authority", Some(authority)),
        ("+ word-bound abbreviations", Some(bounded)),
        ("+ originals before explainers", Some(Ranking::default())),
    ]
}

fn top_ids(index: &PolicyIndex, query: &str, ranking: Option<Ranking>) -> Vec<String> {
    match ranking {
        None => index.bm25_baseline(query, DEPTH).unwrap(),
        Some(ranking) => {
            let mut request = SearchRequest::new(query);
            request.size = DEPTH;
            request.facets = Some(vec![]);
            request.matched_provisions = 0;
            index
                .search_ranked(&request, &Cancel::new(), &ranking)
                .unwrap()
                .hits
                .into_iter()
                .map(|h| h.doc_id)
                .collect()
        }
    }
}

fn gain(grade: u32) -> f64 {
    f64::from((1u32 << grade) - 1)
}

/// nDCG@10, P@10 (grade ≥ 1) and the reciprocal rank of the first document of the best
/// grade judged for the query. With `work_of`, documents of a work already shown (an
/// older version, another part of a code, the same document listed twice) gain
/// nothing, and the ideal ranking shows each work once.
fn metrics(
    ids: &[String],
    grades: &HashMap<String, u32>,
    work_of: Option<&dyn Fn(&str) -> String>,
) -> (f64, f64, f64) {
    let work = |id: &str| work_of.map_or_else(|| id.to_string(), |f| f(id));
    let mut shown = std::collections::HashSet::new();
    let counted: Vec<u32> = ids
        .iter()
        .map(|id| {
            let g = grades.get(id).copied().unwrap_or(0);
            if shown.insert(work(id)) { g } else { 0 }
        })
        .collect();
    let dcg: f64 = counted
        .iter()
        .enumerate()
        .map(|(i, &g)| gain(g) / ((i + 2) as f64).log2())
        .sum();
    let mut best_per_work: HashMap<String, u32> = HashMap::new();
    for (id, &g) in grades {
        let best = best_per_work.entry(work(id)).or_default();
        *best = (*best).max(g);
    }
    let mut ideal: Vec<u32> = best_per_work.into_values().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(DEPTH)
        .enumerate()
        .map(|(i, &g)| gain(g) / ((i + 2) as f64).log2())
        .sum();
    let ndcg = if idcg > 0.0 { dcg / idcg } else { 0.0 };
    let p = counted.iter().filter(|&&g| g >= 1).count() as f64 / DEPTH as f64;
    let best = ideal.first().copied().unwrap_or(0);
    let rr = counted
        .iter()
        .position(|&g| best > 0 && g == best)
        .map_or(0.0, |i| 1.0 / (i + 1) as f64);
    (ndcg, p, rr)
}

/// The title without a code's part (`中华人民共和国民法典（合同编）` → `…民法典`).
fn part_of_code(title: &str) -> Option<&str> {
    let stripped = title.strip_suffix(')')?;
    let open = stripped.rfind('(')?;
    let part = &stripped[open + 1..];
    (part.chars().count() <= 8 && (part.ends_with('编') || part.ends_with('则')))
        .then(|| &title[..open])
}

/// The work of a document, as the index defines it (see `zhengce_index::Ranking`): its
/// versions group, else its title (a code's part left out), date and owner.
fn work_of(index: &PolicyIndex, works: &mut HashMap<String, String>, id: &str) -> String {
    if let Some(w) = works.get(id) {
        return w.clone();
    }
    let w = index.get_doc(id).unwrap().map_or_else(
        || id.to_string(),
        |d| {
            if !d.versions.is_empty() {
                return d
                    .versions
                    .iter()
                    .map(|v| v.id.as_str())
                    .chain([d.id.as_str()])
                    .min()
                    .unwrap_or_default()
                    .to_string();
            }
            let title: String = zhengce_analysis::normalize(d.title.as_deref().unwrap_or(id))
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let base = part_of_code(&title).unwrap_or(&title).to_string();
            match (d.date(), d.region.as_deref().or(d.issuer.as_deref())) {
                (Some(date), Some(owner)) => format!("{base}|{date}|{owner}"),
                _ => d.id.clone(),
            }
        },
    );
    works.insert(id.to_string(), w.clone());
    w
}

fn open_index() -> Option<PolicyIndex> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/docs");
    let dir = std::env::var_os("ZHENGCE_RANKING_INDEX").map(PathBuf::from);
    if let Some(dir) = &dir
        && let Ok(index) = PolicyIndex::open(dir)
    {
        println!("index: {} (reused)", dir.display());
        return Some(index);
    }
    if !corpus.is_dir() {
        eprintln!(
            "skipped: the shared corpus is absent at {}",
            corpus.display()
        );
        return None;
    }
    let dir = dir.unwrap_or_else(|| {
        std::env::temp_dir().join(format!("zhengce-ranking-{}", std::process::id()))
    });
    let index = PolicyIndex::open_or_create(&dir).unwrap();
    let mut report = IngestReport::default();
    ingest_paths(&[corpus], &index, &mut report, &|_| {}).unwrap();
    println!(
        "index: {} ({} documents ingested)",
        dir.display(),
        report.added
    );
    Some(index)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let pool = args
        .iter()
        .position(|a| a == "--pool")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let set = match args.iter().position(|a| a == "--set") {
        Some(i) => match args.get(i + 1).map(String::as_str) {
            Some(s @ "heldout") => Some(s),
            other => {
                eprintln!("error: --set takes `heldout`, got {other:?}");
                std::process::exit(2);
            }
        },
        None => None,
    };
    let dir = fixture_dir(set);
    println!("judged set: {}", dir.display());
    let queries = read_queries(&dir);
    let judgments = read_judgments(&dir);
    let Some(index) = open_index() else {
        return;
    };
    let empty = HashMap::new();
    let mut unjudged: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    let mut works: HashMap<String, String> = HashMap::new();
    for grades in judgments.values() {
        for id in grades.keys() {
            work_of(&index, &mut works, id);
        }
    }
    let mut rows = Vec::new();
    let mut doc_rows = Vec::new();
    let mut per_query: Vec<(String, Vec<f64>)> = queries
        .iter()
        .map(|q| (format!("{} {}", q.id, q.text), Vec::new()))
        .collect();
    // A query with no relevant document judged measures nothing (TREC leaves such
    // topics out); it still pools, so a ranker that finds one is judged.
    let relevant = |q: &Query| {
        judgments
            .get(&q.id)
            .is_some_and(|g| g.values().any(|&grade| grade > 0))
    };
    let evaluated = queries.iter().filter(|q| relevant(q)).count();
    for (name, ranking) in rankers() {
        let (mut ndcg, mut p, mut rr) = (0.0, 0.0, 0.0);
        let (mut doc_ndcg, mut doc_p, mut doc_rr) = (0.0, 0.0, 0.0);
        let mut times = Vec::with_capacity(queries.len());
        for (qi, q) in queries.iter().enumerate() {
            let started = std::time::Instant::now();
            let ids = top_ids(&index, &q.text, ranking);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            let grades = judgments.get(&q.id).unwrap_or(&empty);
            for id in &ids {
                if !grades.contains_key(id) {
                    unjudged
                        .entry((q.id.clone(), id.clone()))
                        .or_default()
                        .push(name);
                }
            }
            if !relevant(q) {
                continue;
            }
            for id in &ids {
                work_of(&index, &mut works, id);
            }
            let lookup = |id: &str| works.get(id).cloned().unwrap_or_else(|| id.to_string());
            let (n, pk, r) = metrics(&ids, grades, Some(&lookup));
            per_query[qi].1.push(n);
            per_query[qi].1.push(r);
            ndcg += n;
            p += pk;
            rr += r;
            let (n, pk, r) = metrics(&ids, grades, None);
            doc_ndcg += n;
            doc_p += pk;
            doc_rr += r;
        }
        let count = evaluated.max(1) as f64;
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        rows.push((name, ndcg / count, p / count, rr / count, median));
        doc_rows.push((name, doc_ndcg / count, doc_p / count, doc_rr / count));
    }
    println!(
        "{} queries ({} with a relevant document judged, averaged), top {DEPTH} of every ranker judged",
        queries.len(),
        evaluated
    );
    println!("by work (a version, part or copy of a work already shown gains nothing):");
    println!("| ranker | nDCG@10 | P@10 | MRR | median ms |");
    println!("|---|---|---|---|---|");
    for (name, ndcg, p, rr, ms) in &rows {
        println!("| {name} | {ndcg:.3} | {p:.3} | {rr:.3} | {ms:.1} |");
    }
    println!("by document (every judged document counts, duplicates included):");
    println!("| ranker | nDCG@10 | P@10 | MRR |");
    println!("|---|---|---|---|");
    for (name, ndcg, p, rr) in &doc_rows {
        println!("| {name} | {ndcg:.3} | {p:.3} | {rr:.3} |");
    }
    if args.iter().any(|a| a == "--per-query") {
        for (query, scores) in &per_query {
            let cells: Vec<String> = scores.iter().map(|s| format!("{s:.2}")).collect();
            println!("{query}\t{}", cells.join("\t"));
        }
    }
    if unjudged.is_empty() {
        return;
    }
    let text_of = |q: &str| {
        queries
            .iter()
            .find(|x| x.id == q)
            .map(|x| x.text.clone())
            .unwrap_or_default()
    };
    let mut lines = Vec::new();
    for ((q, id), by) in &unjudged {
        let doc = index.get_doc(id).unwrap();
        let describe = doc.map_or_else(String::new, |d| {
            let body: String = d.body.chars().take(60).collect();
            let line = format!(
                "{} | {} | {} | {} | {} | {}",
                d.title.as_deref().unwrap_or_default(),
                d.issuer.as_deref().unwrap_or_default(),
                d.doc_type.as_deref().unwrap_or_default(),
                d.date().unwrap_or_default(),
                if d.superseded_by.is_some() {
                    "已修订"
                } else {
                    ""
                },
                body
            );
            line.replace(['\n', '\r', '\t'], " ")
        });
        lines.push(format!(
            "{q}\t{id}\t?\t[{}] {describe} (by: {})",
            text_of(q),
            by.join(", ")
        ));
    }
    if let Some(path) = pool {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .unwrap();
        for line in &lines {
            writeln!(file, "{line}").unwrap();
        }
        println!(
            "{} unjudged documents appended to {}",
            lines.len(),
            path.display()
        );
    } else {
        for line in &lines {
            eprintln!("{line}");
        }
    }
    eprintln!(
        "error: {} documents in a top {DEPTH} are not judged; the scores above are lower bounds",
        lines.len()
    );
    std::process::exit(1);
}
