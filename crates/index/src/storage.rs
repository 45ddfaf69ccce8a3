//! Where an index lives: a read-only view of its directory for serving, the check of
//! every file against its checksum, and what its segments look like.

use std::io;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

use crate::{IndexError, PolicyIndex, Result};

/// An index directory that is only ever read: every write is refused, and tantivy's
/// lock files (which a reader takes while it opens segments) are not created. Serving
/// then works on a read-only mount or as a user who may not write the index; the writer
/// of the nightly job replaces segments atomically through `meta.json`, which a reader
/// follows.
#[derive(Debug, Clone)]
pub(crate) struct ReadOnlyDirectory(MmapDirectory);

impl ReadOnlyDirectory {
    pub(crate) fn open(dir: &Path) -> Result<ReadOnlyDirectory> {
        Ok(ReadOnlyDirectory(MmapDirectory::open(dir)?))
    }
}

fn read_only(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("{} is opened read-only", path.display()),
    )
}

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        Err(DeleteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        Err(OpenWriteError::IoError {
            io_error: Arc::new(read_only(path)),
            filepath: path.to_path_buf(),
        })
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, _data: &[u8]) -> io::Result<()> {
        Err(read_only(path))
    }

    fn sync_directory(&self) -> io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        // Readers lock `meta.json` only to keep a writer's garbage collection from
        // deleting files they are opening; mapped files stay readable once opened, and a
        // reload that loses that race fails and keeps the previous searcher.
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(callback)
    }
}

/// The shape of an index: what `/metrics`, `zhengce check` and the nightly report show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SegmentStats {
    /// Searchable segments.
    pub segments: usize,
    /// Entries stored (documents, provisions and their sources), deleted ones included.
    pub entries: u64,
    /// Entries deleted (replaced or removed) but still taking space until a merge.
    pub deleted: u64,
    /// Bytes of the segments' files.
    pub bytes: u64,
}

impl SegmentStats {
    /// The share of stored entries that are deleted, 0 for an empty index.
    pub fn deleted_share(&self) -> f64 {
        if self.entries == 0 {
            0.0
        } else {
            self.deleted as f64 / self.entries as f64
        }
    }
}

impl PolicyIndex {
    /// The segments of the last commit, their entries and their size on disk.
    pub fn segment_stats(&self) -> Result<SegmentStats> {
        let directory = self.index.directory();
        let metas = self.index.load_metas()?;
        let mut stats = SegmentStats::default();
        for meta in &metas.segments {
            stats.segments += 1;
            stats.entries += u64::from(meta.max_doc());
            stats.deleted += u64::from(meta.num_deleted_docs());
        }
        // Every file a segment may have; those it does not have are skipped. On disk,
        // the files' sizes; in RAM, their contents.
        for path in metas.list_segment_files() {
            stats.bytes += match &self.dir {
                Some(dir) => std::fs::metadata(dir.join(&path)).map_or(0, |m| m.len()),
                None => directory
                    .get_file_handle(&path)
                    .map_or(0, |h| h.len() as u64),
            };
        }
        Ok(stats)
    }

    /// Checks every file of the last commit against the checksum tantivy wrote in its
    /// footer (a missing or truncated file fails too). A damaged index is
    /// [`IndexError::Damaged`], naming the files. This reads the whole index once, on
    /// disk with plain reads rather than through the searcher's memory maps, so a check
    /// leaves the serving process's resident memory as it was.
    pub fn verify(&self) -> Result<SegmentStats> {
        let damage = match &self.dir {
            Some(dir) => damage_on_disk(&self.index, dir),
            None => damage(&self.index),
        };
        match damage {
            Some(damaged) => Err(IndexError::Damaged(damaged)),
            None => self.segment_stats(),
        }
    }

    /// Merges every segment into one and removes the files nothing refers to any more:
    /// what a night of upserts leaves behind (many segments, deleted entries) compacted
    /// on demand. Returns the shape before and after.
    pub fn optimize(&self) -> Result<(SegmentStats, SegmentStats)> {
        let before = self.segment_stats()?;
        let mut writer = self.writer()?;
        writer.merge_all()?;
        writer.finish()?;
        Ok((before, self.segment_stats()?))
    }
}

/// [`damage`] for an index in `dir`, reading its files with plain reads: tantivy's own
/// check reads them through the memory maps the searcher shares, which would leave the
/// whole index resident in a serving process.
pub(crate) fn damage_on_disk(index: &tantivy::Index, dir: &Path) -> Option<String> {
    let metas = match index.load_metas() {
        Ok(metas) => metas,
        Err(e) => return Some(format!("meta.json: {e}")),
    };
    let mut damaged: Vec<String> = metas
        .list_segment_files()
        .into_iter()
        .map(|name| dir.join(name))
        // Every component a segment may have; the ones it does not have are absent.
        .filter(|path| path.exists())
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().into_owned();
            match checksum_matches(&path) {
                Ok(true) => None,
                Ok(false) => Some(format!("{name} (checksum mismatch)")),
                Err(e) => Some(format!("{name} ({e})")),
            }
        })
        .collect();
    damaged.sort();
    (!damaged.is_empty()).then(|| damaged.join(", "))
}

/// The magic number that ends every file tantivy writes.
const FOOTER_MAGIC: u32 = 1337;

/// Whether the body of the tantivy file at `path` matches the CRC32 in its footer. A file
/// ends with `body · footer JSON {"version", "crc"} · footer length (u32 LE) · 1337 (u32
/// LE)`; anything else is an error that says what is wrong.
fn checksum_matches(path: &Path) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let invalid = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len < 8 {
        return Err(invalid("shorter than a footer"));
    }
    let mut tail = [0u8; 8];
    file.seek(SeekFrom::Start(len - 8))?;
    file.read_exact(&mut tail)?;
    let footer_len = u64::from(u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]));
    let magic = u32::from_le_bytes([tail[4], tail[5], tail[6], tail[7]]);
    if magic != FOOTER_MAGIC || footer_len + 8 > len {
        return Err(invalid("no valid footer"));
    }
    let body_len = len - 8 - footer_len;
    let mut footer = vec![0u8; footer_len as usize];
    file.seek(SeekFrom::Start(body_len))?;
    file.read_exact(&mut footer)?;
    let crc = serde_json::from_slice::<serde_json::Value>(&footer)
        .ok()
        .and_then(|f| f["crc"].as_u64())
        .ok_or_else(|| invalid("unreadable footer"))?;
    file.seek(SeekFrom::Start(0))?;
    let mut hasher = crc32fast::Hasher::new();
    let mut body = file.take(body_len);
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = body.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(u64::from(hasher.finalize()) == crc)
}

/// The files of `index`'s last commit that fail their checksum (or cannot be read), in
/// one line; `None` when all are sound.
pub(crate) fn damage(index: &tantivy::Index) -> Option<String> {
    let mut damaged: Vec<String> = match index.validate_checksum() {
        Ok(files) => files
            .iter()
            .map(|p| format!("{} (checksum mismatch)", p.display()))
            .collect(),
        Err(e) => vec![format!("unreadable file: {e}")],
    };
    damaged.sort();
    (!damaged.is_empty()).then(|| damaged.join(", "))
}
