//! Bringing files into the index: pages (HTML or text) and JSONL corpus records.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;
use zhengce_model::{PolicyDoc, normalize_doc_number};
use zhengce_parse::{PageInput, content_id, doc_id, extract_provisions, parse_page};

use crate::{IndexError, IndexWriter, Result, Upsert};

/// Documents per commit during a batch.
const COMMIT_EVERY: usize = 2000;

/// What one input became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    Added(String),
    Replaced(String),
    Skipped { input: String, reason: String },
    Failed { input: String, reason: String },
}

/// The summary of an ingest run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    pub added: usize,
    pub replaced: usize,
    pub skipped: usize,
    pub failed: Vec<Failure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub input: String,
    pub reason: String,
}

impl IngestReport {
    fn record(&mut self, outcome: &Ingested) {
        match outcome {
            Ingested::Added(_) => self.added += 1,
            Ingested::Replaced(_) => self.replaced += 1,
            Ingested::Skipped { .. } => self.skipped += 1,
            Ingested::Failed { input, reason } => self.failed.push(Failure {
                input: input.clone(),
                reason: reason.clone(),
            }),
        }
    }
}

/// Ingests a file or a directory (recursively): `.jsonl` files are corpus records, every
/// other file a page. Commits in batches and at the end; a failing input is reported and
/// the batch goes on. `progress` is called once per input.
pub fn ingest_path(
    path: &Path,
    writer: &mut IndexWriter,
    report: &mut IngestReport,
    progress: &mut dyn FnMut(&Ingested),
) -> Result<()> {
    let mut files = Vec::new();
    collect_files(path, &mut files)?;
    let mut since_commit = 0;
    for file in files {
        let is_jsonl = file.extension().is_some_and(|e| e == "jsonl");
        let outcomes = if is_jsonl {
            ingest_jsonl(&file, writer, progress)?
        } else {
            let o = ingest_page(&file, writer)?;
            progress(&o);
            vec![o]
        };
        for o in &outcomes {
            report.record(o);
        }
        since_commit += outcomes.len();
        if since_commit >= COMMIT_EVERY {
            writer.commit()?;
            since_commit = 0;
        }
    }
    writer.commit()
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let io = |source| IndexError::Io {
        path: path.display().to_string(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for entry in entries {
        collect_files(&entry, out)?;
    }
    Ok(())
}

fn upserted(writer: &mut IndexWriter, doc: &PolicyDoc) -> Result<Ingested> {
    Ok(match writer.upsert(doc)? {
        Upsert::Added => Ingested::Added(doc.id.clone()),
        Upsert::Replaced => Ingested::Replaced(doc.id.clone()),
    })
}

fn ingest_page(file: &Path, writer: &mut IndexWriter) -> Result<Ingested> {
    let input = file.display().to_string();
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            return Ok(Ingested::Failed {
                input,
                reason: e.to_string(),
            });
        }
    };
    let page = PageInput {
        url: None,
        http_charset: None,
        source: Some("file"),
    };
    match parse_page(&bytes, &page) {
        Ok(doc) => upserted(writer, &doc),
        Err(e) => Ok(Ingested::Failed {
            input,
            reason: e.to_string(),
        }),
    }
}

fn ingest_jsonl(
    file: &Path,
    writer: &mut IndexWriter,
    progress: &mut dyn FnMut(&Ingested),
) -> Result<Vec<Ingested>> {
    let text = std::fs::read_to_string(file).map_err(|source| IndexError::Io {
        path: file.display().to_string(),
        source,
    })?;
    let mut outcomes = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let input = format!("{}:{}", file.display(), n + 1);
        let outcome = match serde_json::from_str::<Value>(line)
            .map_err(|e| format!("invalid JSON: {e}"))
            .and_then(|v| record_to_doc(&v))
        {
            Ok(Some(doc)) => upserted(writer, &doc)?,
            Ok(None) => Ingested::Skipped {
                input,
                reason: "record has no body".into(),
            },
            Err(reason) => Ingested::Failed { input, reason },
        };
        progress(&outcome);
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// A corpus record (`id, url, title, doc_number, issuer, publish_date, written_date, body`,
/// other fields ignored) as a document; `Ok(None)` for a record without a body. The body
/// goes through the same provision extraction as a page.
pub fn record_to_doc(record: &Value) -> std::result::Result<Option<PolicyDoc>, String> {
    let obj = record.as_object().ok_or("record is not a JSON object")?;
    let text = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let Some(body) = text("body") else {
        return Ok(None);
    };
    let url = text("url");
    let id = text("id").unwrap_or_else(|| {
        url.as_deref()
            .map(|u| doc_id(Some(u), &body))
            .unwrap_or_else(|| content_id(&body))
    });
    let date = |k: &str| text(k).filter(|d| d.len() == 10 && d.as_bytes()[4] == b'-');
    let provisions = extract_provisions(&body);
    Ok(Some(PolicyDoc {
        id,
        url,
        title: text("title"),
        doc_number: text("doc_number").map(|n| normalize_doc_number(&n).unwrap_or(n)),
        issuer: text("issuer").map(|i| i.trim_matches('\u{200b}').to_string()),
        publish_date: date("publish_date"),
        written_date: date("written_date"),
        addressees: Vec::new(),
        body,
        provisions,
        attachments: Vec::new(),
        source: text("source"),
    }))
}
