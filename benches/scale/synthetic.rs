//! The synthetic corpus: real sentences, titles, issuers, dates, 文号 and department notes
//! recombined by a seeded PRNG into numbered documents the provision parser splits.
//!
//! Every document takes its head (title, issuer, 文号, dates) from one real record, so
//! those agree with each other; its body is a short preamble, numbered provisions made of
//! 1–3 real sentences (a third of them closed by a real `牵头处室` note of the seed page),
//! and a closing signature with the date. Three layouts, as in real documents:
//! 工作要点 (`一、` sections over `1.` items numbered through the document), 办法
//! (`第一章` over `第一条`) and 意见 (`一、` sections over `（一）` items).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use anyhow::Context;
use regex::Regex;
use serde_json::{Value, json};

/// The PRNG seed: the same seed and corpus give the same documents, byte for byte.
const SEED: u64 = 0x7a68_656e_6763_6521;
/// Provisions per document, uniform (mean 45, so 22,800 documents give ≈ 1.03 M).
const PROVISIONS: RangeInclusive<u64> = 32..=58;
/// Sentences per provision.
const SENTENCES: RangeInclusive<u64> = 1..=3;
/// Sentences kept in the pool, in characters.
const SENTENCE_CHARS: RangeInclusive<usize> = 12..=160;
/// Longest sentence used as a section heading, in characters.
const HEADING_CHARS: usize = 30;

/// SplitMix64: tiny, seeded and stable (no dependency whose algorithm may change).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `range` (the modulo bias is negligible for these ranges).
    pub fn range(&mut self, range: RangeInclusive<u64>) -> u64 {
        range.start() + self.next_u64() % (range.end() - range.start() + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// The metadata of one real record.
struct Head {
    title: String,
    issuer: Option<String>,
    doc_number: Option<String>,
    publish_date: Option<String>,
    written_date: Option<String>,
}

/// The real material documents are made of.
pub struct Pools {
    sentences: Vec<String>,
    headings: Vec<String>,
    heads: Vec<Head>,
    notes: Vec<String>,
}

impl Pools {
    /// Reads the pools from the corpus files (in the given order) and the seed page.
    pub fn read(files: &[PathBuf], seed_page: &str) -> anyhow::Result<Pools> {
        // A numbering marker at the start of a line, as the provision parser knows them.
        let marker = Regex::new(
            r"^\s*(?:第[一二三四五六七八九十百零〇两\d]+[编章节条]|[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,3}\s*[、.．)）]|[①-⑳])\s*",
        )?;
        let mut pools = Pools {
            sentences: Vec::new(),
            headings: Vec::new(),
            heads: Vec::new(),
            notes: Regex::new(r"[（(]牵头处室[:：][^)）]*[)）]")?
                .find_iter(seed_page)
                .map(|m| m.as_str().to_string())
                .collect(),
        };
        for file in files {
            let reader = BufReader::new(
                File::open(file).with_context(|| format!("open {}", file.display()))?,
            );
            for line in reader.lines() {
                let line = line.with_context(|| format!("read {}", file.display()))?;
                let Ok(record) = serde_json::from_str::<Value>(&line) else {
                    continue;
                };
                pools.add_record(&record, &marker);
            }
        }
        anyhow::ensure!(
            !pools.sentences.is_empty() && !pools.headings.is_empty() && !pools.heads.is_empty(),
            "the corpus gave no sentences, headings or titles to build documents from"
        );
        anyhow::ensure!(
            !pools.notes.is_empty(),
            "the seed page has no 牵头处室 notes"
        );
        Ok(pools)
    }

    fn add_record(&mut self, record: &Value, marker: &Regex) {
        let text = |key: &str| {
            record
                .get(key)
                .and_then(Value::as_str)
                .map(|s| s.trim().trim_matches('\u{200b}').trim())
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let Some(title) = text("title") {
            let issuer = text("issuer").or_else(|| issuer_from_title(&title));
            self.heads.push(Head {
                title,
                issuer,
                doc_number: text("doc_number"),
                publish_date: text("publish_date"),
                written_date: text("written_date"),
            });
        }
        let Some(body) = text("body") else { return };
        for line in body.lines() {
            let line = line.trim();
            if line.starts_with(['#', '|', '<', '!', '-', '*', '>']) || line.starts_with("附件") {
                continue;
            }
            let line = marker.replace(line, "");
            for sentence in line.split_inclusive('。') {
                let sentence = sentence.trim();
                let chars = sentence.chars().count();
                if !sentence.ends_with('。')
                    || !SENTENCE_CHARS.contains(&chars)
                    || marker.is_match(sentence)
                {
                    continue;
                }
                if chars <= HEADING_CHARS {
                    self.headings
                        .push(sentence.trim_end_matches('。').to_string());
                }
                self.sentences.push(sentence.to_string());
            }
        }
    }

    /// Writes `docs` documents as JSONL records to `path`.
    pub fn write(&self, docs: usize, path: &Path) -> anyhow::Result<()> {
        let file = File::create(path).with_context(|| format!("create {}", path.display()))?;
        let mut out = BufWriter::new(file);
        let mut rng = Rng::new(SEED);
        for n in 0..docs {
            serde_json::to_writer(&mut out, &self.document(&mut rng, n))?;
            out.write_all(b"\n")?;
        }
        out.flush()
            .with_context(|| format!("write {}", path.display()))
    }

    fn document(&self, rng: &mut Rng, n: usize) -> Value {
        let head = rng.pick(&self.heads);
        let provisions = rng.range(PROVISIONS) as usize;
        let mut body = Vec::new();
        body.push(self.sentences(rng, 1..=3));
        match rng.range(0..=2) {
            0 => self.work_plan(rng, provisions, &mut body),
            1 => self.measures(rng, provisions, &mut body),
            _ => self.opinions(rng, provisions, &mut body),
        }
        // The signature; its standalone date line closes the last provision.
        if let Some(issuer) = &head.issuer {
            body.push(issuer.clone());
        }
        if let Some(date) = head.publish_date.as_deref().and_then(han_date) {
            body.push(date);
        }
        json!({
            "id": format!("synthetic:{n:06}"),
            "source": "synthetic",
            "title": head.title,
            "doc_number": head.doc_number,
            "issuer": head.issuer,
            "publish_date": head.publish_date,
            "written_date": head.written_date,
            "body": body.join("\n"),
        })
    }

    /// 工作要点: `一、` sections over `1.` items numbered through the whole document.
    fn work_plan(&self, rng: &mut Rng, provisions: usize, body: &mut Vec<String>) {
        let mut item = 0;
        for (section, size) in sections(rng, provisions, 3..=8).into_iter().enumerate() {
            body.push(format!(
                "{}、{}",
                han(section + 1),
                rng.pick(&self.headings)
            ));
            for _ in 0..size {
                item += 1;
                body.push(format!("{item}.{}", self.provision(rng)));
            }
        }
    }

    /// 办法: `第一章` chapters over `第一条` articles numbered through the document.
    fn measures(&self, rng: &mut Rng, provisions: usize, body: &mut Vec<String>) {
        let mut article = 0;
        for (chapter, size) in sections(rng, provisions, 3..=7).into_iter().enumerate() {
            body.push(format!(
                "第{}章　{}",
                han(chapter + 1),
                rng.pick(&self.headings)
            ));
            for _ in 0..size {
                article += 1;
                body.push(format!("第{}条　{}", han(article), self.provision(rng)));
            }
        }
    }

    /// 意见: `一、` sections over `（一）` items numbered within each section.
    fn opinions(&self, rng: &mut Rng, provisions: usize, body: &mut Vec<String>) {
        for (section, size) in sections(rng, provisions, 3..=8).into_iter().enumerate() {
            body.push(format!(
                "{}、{}",
                han(section + 1),
                rng.pick(&self.headings)
            ));
            for item in 1..=size {
                body.push(format!("（{}）{}", han(item), self.provision(rng)));
            }
        }
    }

    /// A provision's text: real sentences, a third of them with a department note.
    fn provision(&self, rng: &mut Rng) -> String {
        let mut text = self.sentences(rng, SENTENCES);
        if rng.chance(33) {
            text.push_str(rng.pick(&self.notes).as_str());
        }
        text
    }

    fn sentences(&self, rng: &mut Rng, count: RangeInclusive<u64>) -> String {
        let n = rng.range(count);
        (0..n).map(|_| rng.pick(&self.sentences).as_str()).collect()
    }
}

/// `provisions` split into a random number of sections in `count`, sizes as even as can be.
fn sections(rng: &mut Rng, provisions: usize, count: RangeInclusive<u64>) -> Vec<usize> {
    let k = (rng.range(count) as usize).min(provisions).max(1);
    (0..k)
        .map(|s| provisions / k + usize::from(s < provisions % k))
        .collect()
}

/// The issuer a title names before `关于` (`广东省人民政府关于…` → `广东省人民政府`).
fn issuer_from_title(title: &str) -> Option<String> {
    const BODIES: [&str; 9] = [
        "人民政府",
        "办公厅",
        "办公室",
        "委员会",
        "政府",
        "厅",
        "局",
        "部",
        "院",
    ];
    let (before, _) = title.split_once("关于")?;
    let chars = before.chars().count();
    ((2..=30).contains(&chars) && BODIES.iter().any(|b| before.ends_with(b)))
        .then(|| before.to_string())
}

/// A number below 1000 in Chinese numerals, as documents number their parts (`四十五`).
fn han(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (hundreds, tens, ones) = (n / 100, n / 10 % 10, n % 10);
    let mut out = String::new();
    if hundreds > 0 {
        out.push_str(DIGITS[hundreds]);
        out.push('百');
        if tens == 0 && ones > 0 {
            out.push('零');
        }
    }
    if tens > 0 {
        if !(tens == 1 && hundreds == 0) {
            out.push_str(DIGITS[tens]);
        }
        out.push('十');
    }
    if ones > 0 || n == 0 {
        out.push_str(DIGITS[ones]);
    }
    out
}

/// `2023-09-25` → `2023年9月25日`.
fn han_date(date: &str) -> Option<String> {
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    Some(format!("{year}年{month}月{day}日"))
}
