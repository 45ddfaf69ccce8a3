//! The tantivy index of zhengce: documents and their provisions, searched together.
//!
//! One index holds an entry per document (`level` = `doc`) and per provision
//! (`level` = `provision`, id `{doc_id}#{number}`); every provision carries its document's
//! metadata, so both levels filter and facet alike. Text is indexed twice (see
//! `zhengce-analysis`): jieba words rank, CJK bigrams guarantee that any string found
//! verbatim in a title or body finds its document.
//!
//! ```
//! use zhengce_index::{PolicyIndex, SearchRequest};
//! use zhengce_model::PolicyDoc;
//!
//! let index = PolicyIndex::create_in_ram().unwrap();
//! let mut writer = index.writer().unwrap();
//! let doc = PolicyDoc {
//!     id: "doc-1".into(),
//!     title: Some("关于加快培育瞪羚独角兽企业的通知".into()),
//!     issuer: Some("辽宁省科学技术厅".into()),
//!     region: Some("辽宁省".into()),
//!     publish_date: Some("2020-04-10".into()),
//!     body: "对新培育的瞪羚独角兽企业给予奖励性后补助。".into(),
//!     ..Default::default()
//! };
//! // What the text implies (validity, 惠企 classes, amounts) is derived outside the index.
//! let facts = zhengce_benefits::derive(&doc);
//! writer.upsert(&doc, &facts).unwrap();
//! writer.commit().unwrap();
//!
//! let response = index.search(&SearchRequest::new("独角兽")).unwrap();
//! assert_eq!(response.total, 1);
//! assert_eq!(response.hits[0].region.as_deref(), Some("辽宁省"));
//! assert_eq!(response.hits[0].snippet.marked().next(), Some("独角兽"));
//! assert!(response.hits[0].snippet.to_html().contains("<mark>独角兽</mark>"));
//! ```

mod benefits;
mod build;
mod collect;
mod contains;
mod hits;
mod join;
mod query;
mod ranking;
mod request;
mod schema;
mod search;
mod snippet;
mod source;
mod storage;
mod writer;

use std::path::Path;

use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy};
use zhengce_analysis::{BIGRAMS, BigramTokenizer, WORDS, WordTokenizer};

pub use benefits::{
    BenefitDoc, BenefitProvision, BenefitsRequest, BenefitsResponse, MAX_PROVISIONS,
};
pub use hits::{Hit, MatchedProvision, highlight, highlight_terms_of};
pub use query::{Clause, MAX_QUERY_CHARS, ParsedQuery, QueryField, parse_query};
pub use ranking::Ranking;
pub use request::{
    FacetField, Invalid, Level, MAX_PAGE_SIZE, MAX_QUERY_TERMS, MAX_RESULT_WINDOW, SearchRequest,
    Sort, today_in_china,
};
pub use schema::Fields;
pub use search::{Cancel, FacetValue, Facets, SearchResponse};
pub use snippet::{SNIPPET_CHARS, Snippet, escape_html, snippet};
pub use source::StoredDoc;
pub use storage::SegmentStats;
pub use writer::{IndexWriter, Prepared, Upsert};

/// Errors of the index. [`IndexError::BadQuery`] and [`IndexError::BadRequest`] are the
/// user's to fix; the others are internal.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The query string cannot be parsed.
    #[error("malformed query: {0}")]
    BadQuery(String),
    /// A search parameter is out of range or unknown.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index directory cannot be opened.
    #[error("cannot open index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// Reading an input failed.
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The index was built with another schema (an older version): rebuild it into a new
    /// directory, the old one is left untouched.
    #[error(
        "the index was built by another version of zhengce (field {0:?} differs); rebuild it into a new directory with `zhengce ingest` or `zhengce reindex`"
    )]
    SchemaMismatch(String),
    /// A stored document is not what this version writes.
    #[error("corrupt stored document: {0}")]
    Corrupt(String),
    /// There is no index in the directory (build one with `zhengce ingest`).
    #[error(
        "no index in {0}: build one with `zhengce ingest --index {0} PATH…` or `zhengce reindex`"
    )]
    NoIndex(String),
    /// The directory holds files but no `meta.json`: not an index this version can open,
    /// and never overwritten.
    #[error(
        "{0} holds files but no index meta.json (a damaged or foreign index); it is left untouched: restore meta.json from a backup, or rebuild into another directory"
    )]
    NoMeta(String),
    /// Files of the index are missing or do not match their checksums (disk damage, a
    /// partial copy): restore a backup or rebuild.
    #[error(
        "the index is damaged: {0}; restore it from a backup or rebuild it with `zhengce ingest` / `zhengce reindex` into a new directory"
    )]
    Damaged(String),
    /// The index was opened read-only, for searching.
    #[error("the index is opened read-only")]
    ReadOnly,
    /// The search was given up (its time ran out or its client left).
    #[error("the search was cancelled")]
    Cancelled,
    /// The facts given with a document were not derived from it (see
    /// [`PolicyIndex::prepare`]).
    #[error("facts do not fit the document: {0}")]
    FactsMismatch(String),
}

pub type Result<T, E = IndexError> = std::result::Result<T, E>;

/// Whether `dir` holds anything besides tantivy's lock files.
fn has_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.filter_map(|e| e.ok()).any(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            !name.starts_with('.') && !name.ends_with(".lock")
        })
    })
}

/// `dir` when it holds an index; [`IndexError::NoIndex`] or [`IndexError::NoMeta`] when
/// it does not, with nothing created.
fn existing_index(dir: &Path) -> Result<&Path> {
    if !dir.is_dir() {
        return Err(IndexError::NoIndex(dir.display().to_string()));
    }
    let exists = dir.join("meta.json").is_file();
    if !exists {
        return Err(if has_files(dir) {
            IndexError::NoMeta(dir.display().to_string())
        } else {
            IndexError::NoIndex(dir.display().to_string())
        });
    }
    Ok(dir)
}

/// An open index: the schema's fields, a reader that follows commits, and the analysis.
#[derive(Clone)]
pub struct PolicyIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// The directory it lives in (none in RAM).
    dir: Option<std::path::PathBuf>,
    /// Opened with [`PolicyIndex::open_read_only`]: writers are refused.
    read_only: bool,
    /// The facet values of each segment, by ordinal (segments never change).
    facet_names: std::sync::Arc<collect::FacetNames>,
}

impl PolicyIndex {
    /// Opens the existing index in `dir`; never creates or alters anything. A directory
    /// without an index is [`IndexError::NoIndex`].
    pub fn open(dir: &Path) -> Result<PolicyIndex> {
        let directory = MmapDirectory::open(existing_index(dir)?)?;
        PolicyIndex::wrap_checked(Index::open(directory)?, dir, false)
    }

    /// Opens the existing index in `dir` for searching only: nothing in the directory is
    /// written, not even a lock file, so a read-only mount or a user without write
    /// access can serve it. A writer of this index fails; searches follow the commits
    /// another process makes.
    pub fn open_read_only(dir: &Path) -> Result<PolicyIndex> {
        let directory = storage::ReadOnlyDirectory::open(existing_index(dir)?)?;
        PolicyIndex::wrap_checked(Index::open(directory)?, dir, true)
    }

    /// Opens the index in `dir`, creating it (and the directory) when there is none. A
    /// directory that holds files but no index (segments without `meta.json`) is refused
    /// and left untouched: creating an index there would let tantivy delete them.
    pub fn open_or_create(dir: &Path) -> Result<PolicyIndex> {
        match PolicyIndex::open(dir) {
            Err(IndexError::NoIndex(_)) => {}
            other => return other,
        }
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let directory = MmapDirectory::open(dir)?;
        let index = Index::create(
            directory,
            schema::schema(),
            tantivy::IndexSettings::default(),
        )?;
        PolicyIndex::wrap(index, Some(dir), false)
    }

    /// A fresh index in memory, for tests.
    pub fn create_in_ram() -> Result<PolicyIndex> {
        PolicyIndex::wrap(Index::create_in_ram(schema::schema()), None, false)
    }

    /// [`wrap`](Self::wrap) for an index on disk: when its segments cannot be opened, a
    /// checksum check tells damage ([`IndexError::Damaged`]) from other failures.
    fn wrap_checked(index: Index, dir: &Path, read_only: bool) -> Result<PolicyIndex> {
        match PolicyIndex::wrap(index.clone(), Some(dir), read_only) {
            Err(IndexError::Tantivy(e)) => Err(storage::damage_on_disk(&index, dir)
                .map_or(IndexError::Tantivy(e), IndexError::Damaged)),
            other => other,
        }
    }

    fn wrap(index: Index, dir: Option<&Path>, read_only: bool) -> Result<PolicyIndex> {
        // An index written by another version of the schema is refused, not misread.
        let expected = schema::schema();
        let found = index.schema();
        let differs = expected.fields().find(|(_, entry)| {
            found
                .get_field(entry.name())
                .map(|f| found.get_field_entry(f) != *entry)
                .unwrap_or(true)
        });
        if let Some((_, entry)) = differs {
            return Err(IndexError::SchemaMismatch(entry.name().to_string()));
        }
        index.tokenizers().register(WORDS, WordTokenizer::default());
        index.tokenizers().register(BIGRAMS, BigramTokenizer);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        let fields = Fields::new(&index.schema());
        Ok(PolicyIndex {
            index,
            reader,
            fields,
            dir: dir.map(Path::to_path_buf),
            read_only,
            facet_names: Default::default(),
        })
    }

    /// A writer (one per index at a time; tantivy holds a lock). An index opened
    /// read-only has none: [`IndexError::ReadOnly`].
    pub fn writer(&self) -> Result<IndexWriter> {
        if self.read_only {
            return Err(IndexError::ReadOnly);
        }
        IndexWriter::new(self)
    }

    /// Makes the latest commit visible to searches now rather than shortly.
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }

    /// Number of documents (not provisions) in the index.
    pub fn num_docs(&self) -> Result<u64> {
        self.count_term(self.fields.level, "doc")
    }

    /// Live (not deleted) entries with `value` in `field`.
    pub(crate) fn count_term(&self, field: tantivy::schema::Field, value: &str) -> Result<u64> {
        let query = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(field, value),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let count = self
            .reader
            .searcher()
            .search(&query, &tantivy::collector::Count)?;
        Ok(count as u64)
    }

    /// When the last commit was made (seconds since the Unix epoch), if it says.
    pub fn last_commit(&self) -> Result<Option<u64>> {
        Ok(self
            .index
            .load_metas()?
            .payload
            .and_then(|p| p.parse().ok()))
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }
}
