//! The raw page store: every fetched page's bytes and what came with them, so parsing
//! can run again without fetching.
//!
//! A page lives in two files named by the SHA-256 of its URL (`pages/<hex>.json` and
//! `pages/<hex>.body`): nothing in a URL can make the store write outside its directory.
//! Files are written to a temporary name and renamed, so a crash never leaves half a page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{CrawlError, Result};

/// Whether a page lists documents or is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// A start page or a page reached through pagination.
    List,
    /// A page linked from a list: a document.
    Detail,
}

/// What the store keeps about a page besides its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPage {
    pub url: String,
    pub final_url: String,
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    /// Unix seconds.
    pub fetched_at: u64,
    /// SHA-256 of the body, hex.
    pub content_hash: String,
    /// The charset of the HTTP `Content-Type`, passed on to the parser.
    pub charset: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub kind: PageKind,
    /// Consecutive visits that found the page gone (404/410).
    #[serde(default)]
    pub gone_count: u32,
    /// The `content_hash` last indexed, and the document id it was indexed under.
    #[serde(default)]
    pub indexed_hash: Option<String>,
    #[serde(default)]
    pub indexed_id: Option<String>,
    /// When the page is next due (Unix seconds); 0 = at once.
    #[serde(default)]
    pub next_visit: u64,
    /// Consecutive visits that found the content unchanged (the revisit backoff).
    #[serde(default)]
    pub unchanged_visits: u32,
    /// The name of the site that fetched the page.
    #[serde(default)]
    pub site: Option<String>,
}

/// The store's lock file, held by one crawl or re-index at a time; released on drop
/// (and by the system if the process dies).
#[derive(Debug)]
pub struct StoreLock {
    _file: std::fs::File,
    pub path: PathBuf,
}

/// A directory of stored pages.
#[derive(Debug, Clone)]
pub struct PageStore {
    dir: PathBuf,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of `bytes`, hex.
pub fn content_hash(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

impl PageStore {
    pub fn open(dir: &Path) -> Result<PageStore> {
        let pages = dir.join("pages");
        std::fs::create_dir_all(&pages).map_err(|source| CrawlError::Io {
            path: pages.display().to_string(),
            source,
        })?;
        Ok(PageStore {
            dir: dir.to_path_buf(),
        })
    }

    fn path(&self, url: &str, ext: &str) -> PathBuf {
        self.dir
            .join("pages")
            .join(format!("{}.{ext}", content_hash(url.as_bytes())))
    }

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CrawlError + '_ {
        move |source| CrawlError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, bytes).map_err(Self::io(&tmp))?;
        std::fs::rename(&tmp, path).map_err(Self::io(path))
    }

    /// The store's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Takes the store's lock file (`DIR/lock`), or fails at once with
    /// [`CrawlError::Locked`] when another run holds it.
    pub fn lock(&self) -> Result<StoreLock> {
        use fs4::fs_std::FileExt;
        use std::io::{Read, Seek, Write};
        let path = self.dir.join("lock");
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(Self::io(&path))?;
        if !FileExt::try_lock_exclusive(&file).map_err(Self::io(&path))? {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            return Err(CrawlError::Locked {
                path: path.display().to_string(),
                holder: holder.trim().to_string(),
            });
        }
        let written = file
            .set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| writeln!(file, "pid {}", std::process::id()));
        written.map_err(Self::io(&path))?;
        Ok(StoreLock { _file: file, path })
    }

    /// What the store has for `url`.
    pub fn get(&self, url: &str) -> Result<Option<StoredPage>> {
        let path = self.path(url, "json");
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| CrawlError::Store(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(CrawlError::Io {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    /// The stored bytes of `url`.
    pub fn body(&self, url: &str) -> Result<Vec<u8>> {
        let path = self.path(url, "body");
        std::fs::read(&path).map_err(Self::io(&path))
    }

    /// Saves a page: body first, then its record.
    pub fn put(&self, page: &StoredPage, body: Option<&[u8]>) -> Result<()> {
        if let Some(body) = body {
            Self::write_atomic(&self.path(&page.url, "body"), body)?;
        }
        let json = serde_json::to_vec_pretty(page).map_err(|e| CrawlError::Store(e.to_string()))?;
        Self::write_atomic(&self.path(&page.url, "json"), &json)
    }

    /// Every stored page record, in URL order.
    pub fn all(&self) -> Result<Vec<StoredPage>> {
        let dir = self.dir.join("pages");
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(Self::io(&dir))? {
            let path = entry.map_err(Self::io(&dir))?.path();
            if path.extension().is_some_and(|e| e == "json") {
                let bytes = std::fs::read(&path).map_err(Self::io(&path))?;
                let page: StoredPage = serde_json::from_slice(&bytes)
                    .map_err(|e| CrawlError::Store(format!("{}: {e}", path.display())))?;
                out.push(page);
            }
        }
        out.sort_by(|a, b| a.url.cmp(&b.url));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_cannot_escape_the_store() {
        let dir = std::env::temp_dir().join(format!("zhengce-store-{}", std::process::id()));
        let store = PageStore::open(&dir).unwrap();
        let url = "http://h/../../../../etc/passwd";
        let page = StoredPage {
            url: url.into(),
            final_url: url.into(),
            status: 200,
            headers: BTreeMap::new(),
            fetched_at: 0,
            content_hash: content_hash(b"x"),
            charset: None,
            etag: None,
            last_modified: None,
            kind: PageKind::Detail,
            gone_count: 0,
            indexed_hash: None,
            indexed_id: None,
            next_visit: 0,
            unchanged_visits: 0,
            site: None,
        };
        store.put(&page, Some(b"x")).unwrap();
        let files: Vec<_> = std::fs::read_dir(dir.join("pages"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 2);
        assert!(
            files
                .iter()
                .all(|f| f.parent().unwrap() == dir.join("pages"))
        );
        assert_eq!(store.get(url).unwrap().unwrap(), page);
        assert_eq!(store.body(url).unwrap(), b"x");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn one_lock_holder_at_a_time() {
        let dir = std::env::temp_dir().join(format!("zhengce-store-lock-{}", std::process::id()));
        let store = PageStore::open(&dir).unwrap();
        let held = store.lock().unwrap();
        let again = PageStore::open(&dir).unwrap().lock().unwrap_err();
        assert!(
            matches!(&again, CrawlError::Locked { holder, .. } if holder == &format!("pid {}", std::process::id())),
            "{again}"
        );
        drop(held);
        assert!(store.lock().is_ok(), "released on drop");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
