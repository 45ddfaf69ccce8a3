//! Test helpers shared by the zhengce crates: where the seed page and the shared corpus
//! are, the rule for tests that need the corpus, and a mock portal for crawler tests.
//!
//! The corpus lives beside the repository in `../shared/corpus` and is never copied in.
//! A test that needs it calls [`corpus_dir`]: when the corpus is absent the test is
//! skipped with a printed reason, unless `ZHENGCE_REQUIRE_CORPUS=1` (set by `.ci/run`),
//! in which case it fails.
//!
//! ```no_run
//! let Some(corpus) = zhengce_testkit::corpus_dir() else { return };
//! assert!(corpus.join("docs").is_dir());
//! ```

mod portal;

use std::path::{Path, PathBuf};

pub use portal::{DOCUMENTS, GBK_START, MockPage, MockPortal, document_html, gbk_site};

/// The repository root (this crate lives in `crates/testkit`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/testkit is two levels below the repository root")
        .to_path_buf()
}

/// The seed page kept in `seeds/`.
pub fn seed_path() -> PathBuf {
    repo_root().join("seeds").join("000_da3f5c9ac6127705.txt")
}

/// `../shared/corpus`, or `None` (with a printed reason) when it is absent.
///
/// # Panics
/// When the corpus is absent and `ZHENGCE_REQUIRE_CORPUS=1`.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ZHENGCE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("..").join("shared").join("corpus"));
    if dir.join("MANIFEST.md").is_file() {
        return Some(dir);
    }
    if std::env::var("ZHENGCE_REQUIRE_CORPUS").as_deref() == Ok("1") {
        panic!(
            "the shared corpus is required (ZHENGCE_REQUIRE_CORPUS=1) but {} is absent",
            dir.display()
        );
    }
    eprintln!("skipped: the shared corpus is absent at {}", dir.display());
    None
}
