//! Draws provisions to label from the shared corpus, deterministically.
//!
//! `cargo run -p zhengce-benefits --example sample -- [CORPUS_DIR] [EXCLUDE.jsonl]...`
//!
//! Provisions are extracted with `zhengce_parse::extract_provisions` from the `body` of every
//! record of the body-bearing sources, skipping the documents of every `EXCLUDE` file (the
//! labelled sets already made, so a new set only holds documents no rule was written
//! against). `gccmpd` bodies had their line breaks stripped by their source, so a line
//! break is put back before each numbered marker first.
//!
//! Each source gets a quota, filled from three strata in a fixed order (FNV hash of
//! id and number): provisions with words of support, provisions with words that look like
//! support but usually are not (penalties, prohibitions, duties, purposes, definitions),
//! and the rest; at most three provisions per document. Prints JSONL with empty label
//! lists, ready to be labelled.
//!
//! `ZHENGCE_SAMPLE_SCALE` (default 1) scales every source's quota and `ZHENGCE_SAMPLE_FOCUS`
//! (default 9) sets the provisions drawn for each kind of support, for a smaller set.
//! `ZHENGCE_SAMPLE_PER_DOC` (default 3) sets the most provisions per document, and
//! `ZHENGCE_SAMPLE_SEED` (default none) salts the hash, for a draw of other provisions
//! from documents an earlier draw used (training data: only the test files need excluding).
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use regex::Regex;
use serde_json::{Value, json};

/// (source, provisions, share from the support stratum, share from the look-alike stratum)
const QUOTAS: [(&str, usize, f64, f64); 6] = [
    ("lawrefbook", 120, 0.5, 0.4),
    ("govcn_sql", 55, 0.55, 0.3),
    ("gccmpd", 50, 0.55, 0.3),
    ("bjtcm", 40, 0.55, 0.3),
    ("wikisource_reports", 40, 0.6, 0.25),
    ("jiangxi_gov", 25, 0.5, 0.3),
];
const PER_DOC: usize = 3;
/// Kinds of support drawn for on top of the quotas, `PER_FOCUS` provisions each.
const FOCUS: [&str; 7] = [
    "税收优惠|免征|减征|减免|免税|税率|退税|扣除",
    "贷款|担保|贴息|信贷|融资|保险",
    "补贴|补助|津贴",
    "奖励|资助|奖金|奖补",
    "人才|培训|培养|引进",
    "场地|用房|用地|孵化|办公",
    "认定|称号|表彰|授予|评选|命名",
];
const PER_FOCUS: usize = 9;
const MIN_CHARS: usize = 15;
const MAX_CHARS: usize = 320;

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn main() {
    let mut args = std::env::args().skip(1);
    let corpus = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus"));
    let mut excluded: HashSet<String> = HashSet::new();
    for path in args {
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let row: Value = serde_json::from_str(line).unwrap();
            excluded.insert(row["doc_id"].as_str().unwrap().to_string());
        }
    }
    let support = Regex::new(
        "奖励|奖补|补贴|补助|资助|贷款|信贷|担保|贴息|融资|税|减免|免征|优惠|基金|投资|人才|专家|培训|场地|用房|孵化|认定|称号|表彰|授予|扶持|支持|鼓励|帮助|服务",
    )
    .unwrap();
    let lookalike = Regex::new(
        "罚款|责令|处罚|不得|禁止|违反|应当|为了|为加强|为规范|是指|本条例所称|本办法所称|报告|监督|吊销|没收",
    )
    .unwrap();
    let marker = Regex::new(
        "(第[一二三四五六七八九十百零〇]+条|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])",
    )
    .unwrap();
    let env_number = |name: &str, default: f64| -> f64 {
        std::env::var(name)
            .ok()
            .map(|v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("{name}={v}: not a number"))
            })
            .unwrap_or(default)
    };
    let scale = env_number("ZHENGCE_SAMPLE_SCALE", 1.0);
    let per_focus = env_number("ZHENGCE_SAMPLE_FOCUS", PER_FOCUS as f64) as usize;
    let per_doc_most = env_number("ZHENGCE_SAMPLE_PER_DOC", PER_DOC as f64) as usize;
    let seed = std::env::var("ZHENGCE_SAMPLE_SEED").unwrap_or_default();
    let mut seen_text: HashSet<String> = HashSet::new();
    let mut all: Vec<(u64, Value)> = Vec::new();
    let mut doc_total: HashMap<String, usize> = HashMap::new();
    for (source, quota, s_share, l_share) in QUOTAS {
        let quota = (quota as f64 * scale).round() as usize;
        let path = corpus.join("docs").join(format!("{source}.jsonl"));
        // stratum → [(hash, row)]
        let mut strata: BTreeMap<u8, Vec<(u64, Value)>> = BTreeMap::new();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let rec: Value = serde_json::from_str(line).unwrap();
            let id = rec["id"].as_str().unwrap_or_default();
            let Some(body) = rec["body"].as_str() else {
                continue;
            };
            if excluded.contains(id) {
                continue;
            }
            let body = if source == "gccmpd" {
                marker.replace_all(body, "\n$1").into_owned()
            } else {
                body.to_string()
            };
            for p in zhengce_parse::extract_provisions(&body) {
                let n = p.text.chars().count();
                if !(MIN_CHARS..=MAX_CHARS).contains(&n) {
                    continue;
                }
                let stratum = if support.is_match(&p.text) {
                    0
                } else if lookalike.is_match(&p.text) {
                    1
                } else {
                    2
                };
                let h = fnv(&format!("{seed}{id}#{}", p.number));
                all.push((
                    h,
                    json!({"source": source, "doc_id": id, "number": p.number, "text": p.text,
                           "benefit": [], "beneficiary": []}),
                ));
                strata.entry(stratum).or_default().push((
                    h,
                    json!({"source": source, "doc_id": id, "number": p.number, "text": p.text,
                           "benefit": [], "beneficiary": []}),
                ));
            }
        }
        let want = [
            (quota as f64 * s_share).round() as usize,
            (quota as f64 * l_share).round() as usize,
        ];
        let want = [want[0], want[1], quota - want[0] - want[1]];
        let mut per_doc: HashMap<String, usize> = HashMap::new();
        let mut picked: HashSet<(u8, u64)> = HashSet::new();
        let mut total = 0;
        // First each stratum its share; then, for a small source, any stratum up to the
        // quota with a looser limit per document.
        for (pass, per_doc_limit) in [(0, per_doc_most), (1, 2 * per_doc_most)] {
            for (stratum, rows) in strata.iter_mut() {
                rows.sort_by_key(|(h, _)| *h);
                let mut taken = 0;
                for (h, row) in rows.iter() {
                    let enough = if pass == 0 {
                        taken == want[*stratum as usize]
                    } else {
                        total == quota
                    };
                    if enough {
                        break;
                    }
                    if picked.contains(&(*stratum, *h)) {
                        continue;
                    }
                    let doc = row["doc_id"].as_str().unwrap().to_string();
                    let text = row["text"].as_str().unwrap().to_string();
                    let count = per_doc.entry(doc).or_default();
                    if *count >= per_doc_limit || !seen_text.insert(text) {
                        continue;
                    }
                    picked.insert((*stratum, *h));
                    *count += 1;
                    *doc_total
                        .entry(row["doc_id"].as_str().unwrap().to_string())
                        .or_default() += 1;
                    taken += 1;
                    total += 1;
                    println!("{row}");
                }
            }
        }
    }
    // Then the language of support that matters, each kind from every source: the same
    // words mark real support and look-alikes (a tax levied, a loan forbidden).
    all.sort_by_key(|(h, _)| *h);
    for pattern in FOCUS {
        let re = Regex::new(pattern).unwrap();
        let mut taken = 0;
        for (_, row) in &all {
            if taken == per_focus {
                break;
            }
            let text = row["text"].as_str().unwrap();
            let doc = row["doc_id"].as_str().unwrap().to_string();
            let count = doc_total.entry(doc).or_default();
            if !re.is_match(text) || *count >= per_doc_most || !seen_text.insert(text.to_string()) {
                continue;
            }
            *count += 1;
            taken += 1;
            println!("{row}");
        }
    }
}
