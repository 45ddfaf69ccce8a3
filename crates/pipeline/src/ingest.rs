//! Bringing files into the index: pages (HTML or text) and JSONL corpus records.
//!
//! Reading, parsing, enriching and preparing index entries run in parallel over inputs
//! (rayon, a chunk at a time); only the hand-over to the index writer is sequential. A
//! bad input — an unreadable file, a broken page, a record that is not JSON — is
//! reported with its reason and the batch goes on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use zhengce_enrich::{RecordError, enrich, parse_record};
use zhengce_index::{PolicyIndex, Prepared, Upsert};
use zhengce_model::PolicyDoc;
use zhengce_parse::{PageInput, parse_page};

use crate::PipelineError;
use crate::versions::group_with_index;

/// Indexing time between commits during a batch: at most this much work is lost when
/// a long batch is stopped. A commit also closes the writer's segments, so committing
/// by count would cut a bulk build into more segments than its memory calls for.
const COMMIT_AFTER: std::time::Duration = std::time::Duration::from_secs(300);
/// Inputs prepared in parallel before they are handed to the writer.
const CHUNK: usize = 1024;
/// Notes kept per file in the report (the count is always complete).
const NOTES_PER_FILE: usize = 20;

/// What one input became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    Added(String),
    Replaced(String),
    Skipped { input: String, reason: String },
    Failed { input: String, reason: String },
}

/// What became of one input file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReport {
    pub file: String,
    pub added: usize,
    pub replaced: usize,
    pub skipped: usize,
    pub failed: usize,
    /// Why records were skipped, with counts.
    pub skip_reasons: BTreeMap<String, usize>,
    /// Values dropped or kept as written (first few), and how many there were.
    pub notes: Vec<String>,
    pub notes_total: usize,
}

/// The summary of an ingest run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    pub added: usize,
    pub replaced: usize,
    pub skipped: usize,
    pub failed: Vec<Failure>,
    pub files: Vec<FileReport>,
    /// Documents already indexed, not among the inputs, written again because the
    /// versions of their work changed (a new version, a version removed or moved).
    pub relinked: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub input: String,
    pub reason: String,
}

impl IngestReport {
    fn record(&mut self, file: usize, outcome: &Ingested) {
        let f = &mut self.files[file];
        match outcome {
            Ingested::Added(_) => {
                self.added += 1;
                f.added += 1;
            }
            Ingested::Replaced(_) => {
                self.replaced += 1;
                f.replaced += 1;
            }
            Ingested::Skipped { reason, .. } => {
                self.skipped += 1;
                f.skipped += 1;
                *f.skip_reasons.entry(reason.clone()).or_default() += 1;
            }
            Ingested::Failed { input, reason } => {
                f.failed += 1;
                self.failed.push(Failure {
                    input: input.clone(),
                    reason: reason.clone(),
                });
            }
        }
    }

    fn note(&mut self, file: usize, input: &str, note: &str) {
        let f = &mut self.files[file];
        f.notes_total += 1;
        if f.notes.len() < NOTES_PER_FILE {
            f.notes.push(format!("{input}: {note}"));
        }
    }
}

/// One input, parsed.
enum Parsed {
    Doc {
        input: String,
        doc: Box<PolicyDoc>,
        notes: Vec<String>,
        /// For a record, the page it was taken from (its `html_file`, resolved).
        page: Option<PathBuf>,
    },
    Skipped {
        input: String,
        reason: String,
    },
    Failed {
        input: String,
        reason: String,
    },
}

/// Ingests files and directories (recursively): `.jsonl` files are corpus records,
/// every other file a page. A path that cannot be read is reported and the others are
/// ingested. Inputs are parsed and enriched in parallel, versions of one work are
/// grouped across all inputs and the work's documents already indexed (those whose
/// links change are written again: `relinked`), then documents are prepared in parallel
/// and written,
/// with a commit every few minutes and at the end; the writer then waits for segment merges
/// so the index is left compact. `progress` is called once per input.
pub fn ingest_paths(
    paths: &[PathBuf],
    index: &PolicyIndex,
    report: &mut IngestReport,
    progress: &(dyn Fn(&Ingested) + Sync),
) -> Result<(), PipelineError> {
    // Parse everything: (file slot, parsed input).
    let mut parsed: Vec<(usize, Parsed)> = Vec::new();
    for path in paths {
        let mut files = Vec::new();
        if let Err(reason) = collect_files(path, &mut files) {
            report.files.push(FileReport {
                file: path.display().to_string(),
                ..Default::default()
            });
            let input = path.display().to_string();
            parsed.push((report.files.len() - 1, Parsed::Failed { input, reason }));
            continue;
        }
        for file in files {
            report.files.push(FileReport {
                file: file.display().to_string(),
                ..Default::default()
            });
            let slot = report.files.len() - 1;
            parsed.extend(parse_file(&file).into_iter().map(|p| (slot, p)));
        }
    }

    skip_pages_of_records(&mut parsed);

    // The writer first: it brings the index's reader to the last commit, which the
    // versions are grouped with.
    let mut writer = index.writer()?;

    // Versions of one work, across every input and what the index holds of the work.
    let mut docs: Vec<&mut PolicyDoc> = parsed
        .iter_mut()
        .filter_map(|(_, p)| match p {
            Parsed::Doc { doc, .. } => Some(&mut **doc),
            _ => None,
        })
        .collect();
    let regrouped = group_with_index(index, &mut docs, &[])?;
    tracing::debug!(groups = regrouped.groups, "versions grouped");

    let mut last_commit = std::time::Instant::now();
    for chunk in parsed.chunks(CHUNK) {
        // Index entries prepared in parallel, handed to the writer in input order.
        let prepared: Vec<Option<Result<Prepared, String>>> = chunk
            .par_iter()
            .map(|(_, p)| match p {
                Parsed::Doc { doc, .. } => Some(
                    index
                        .prepare(doc, &zhengce_benefits::derive(doc))
                        .map_err(|e| e.to_string()),
                ),
                _ => None,
            })
            .collect();
        for ((slot, p), prepared) in chunk.iter().zip(prepared) {
            let outcome = match (p, prepared) {
                (Parsed::Doc { input, notes, .. }, Some(prepared)) => {
                    for note in notes {
                        report.note(*slot, input, note);
                    }
                    match prepared {
                        Ok(prepared) => {
                            let id = prepared.id().to_string();
                            match writer.upsert_prepared(prepared)? {
                                Upsert::Added => Ingested::Added(id),
                                Upsert::Replaced => Ingested::Replaced(id),
                            }
                        }
                        Err(reason) => Ingested::Failed {
                            input: input.clone(),
                            reason,
                        },
                    }
                }
                (Parsed::Skipped { input, reason }, _) => Ingested::Skipped {
                    input: input.clone(),
                    reason: reason.clone(),
                },
                (Parsed::Failed { input, reason }, _) => Ingested::Failed {
                    input: input.clone(),
                    reason: reason.clone(),
                },
                (Parsed::Doc { input, .. }, None) => Ingested::Failed {
                    input: input.clone(),
                    reason: "internal: the document was not prepared".into(),
                },
            };
            progress(&outcome);
            report.record(*slot, &outcome);
        }
        if last_commit.elapsed() >= COMMIT_AFTER {
            writer.commit()?;
            last_commit = std::time::Instant::now();
        }
    }
    // Indexed versions of the run's works whose links changed, with the facts they
    // were indexed with.
    for stored in &regrouped.rewrites {
        writer.upsert(&stored.doc, &stored.facts)?;
        report.relinked += 1;
    }
    writer.finish()?;
    Ok(())
}

/// Every input of one file, parsed and enriched (records in parallel).
fn parse_file(file: &Path) -> Vec<Parsed> {
    let name = file.display().to_string();
    if file.extension().is_none_or(|e| e != "jsonl") {
        return vec![parse_page_file(file)];
    }
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            return vec![Parsed::Failed {
                input: name,
                reason: format!("cannot read: {e}"),
            }];
        }
    };
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    lines
        .par_iter()
        .map(|(n, line)| parse_line(file, &format!("{name}:{}", n + 1), line))
        .collect()
}

fn parse_line(file: &Path, input: &str, line: &str) -> Parsed {
    let input = input.to_string();
    match parse_record(line) {
        Ok(record) => {
            let mut doc = record.doc;
            enrich(&mut doc);
            Parsed::Doc {
                input,
                doc: Box::new(doc),
                notes: record.notes,
                page: record_page(file, record.page.as_deref()),
            }
        }
        Err(e @ RecordError::Unidentifiable) => Parsed::Skipped {
            input,
            reason: e.to_string(),
        },
        Err(e) => Parsed::Failed {
            input,
            reason: e.to_string(),
        },
    }
}

fn parse_page_file(file: &Path) -> Parsed {
    let input = file.display().to_string();
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            return Parsed::Failed {
                input,
                reason: format!("cannot read: {e}"),
            };
        }
    };
    let page = PageInput {
        url: None,
        http_charset: None,
        source: Some("file"),
    };
    match parse_page(&bytes, &page) {
        Ok(mut doc) => {
            enrich(&mut doc);
            Parsed::Doc {
                input,
                doc: Box::new(doc),
                notes: Vec::new(),
                page: None,
            }
        }
        Err(e) => Parsed::Failed {
            input,
            reason: e.to_string(),
        },
    }
}

/// The page a record of `file` was taken from (`html_file`, relative to the corpus root:
/// the folder above the record's `docs/`).
fn record_page(file: &Path, page: Option<&str>) -> Option<PathBuf> {
    let root = file.parent()?.parent()?;
    std::fs::canonicalize(root.join(page?)).ok()
}

/// A page that a record of the same ingest was taken from is skipped, so one document is
/// not indexed twice (once untitled, from the page; once with the record's metadata):
/// the record is kept, since it has what the page lacks (title, 文号, dates, URL). So is
/// such a page that cannot be parsed (an empty or image-only capture): its document is
/// the record's, and the ingest has not failed to load it.
fn skip_pages_of_records(parsed: &mut [(usize, Parsed)]) {
    let pages: std::collections::HashMap<PathBuf, (String, String)> = parsed
        .iter()
        .filter_map(|(_, p)| match p {
            Parsed::Doc {
                input,
                doc,
                page: Some(page),
                ..
            } => Some((page.clone(), (doc.id.clone(), input.clone()))),
            _ => None,
        })
        .collect();
    if pages.is_empty() {
        return;
    }
    for (_, p) in parsed.iter_mut() {
        let input = match p {
            Parsed::Doc {
                input, page: None, ..
            }
            | Parsed::Failed { input, .. } => input,
            _ => continue,
        };
        let Some((id, record)) = std::fs::canonicalize(&*input)
            .ok()
            .and_then(|path| pages.get(&path))
        else {
            continue;
        };
        *p = Parsed::Skipped {
            input: input.clone(),
            reason: format!("the page of a record ingested with it ({id}, {record})"),
        };
    }
}

fn collect_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| format!("cannot read directory: {e}"))?
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
