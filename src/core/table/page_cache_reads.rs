//! A local table's byte ranges read on the scan's own thread when the operating system holds
//! them in memory, and on a blocking thread only when the disk has to be read (Linux only: the
//! module is not built elsewhere, where lance's own local reader stays).
//!
//! lance reads every range of a local file on a blocking thread (`spawn_blocking`): two thread
//! wake-ups per read, ~400 reads in a 450k-row load. When the file's pages are in the page cache
//! (every load but the first after the files were written or evicted), the read is a copy that
//! never waits: `preadv2` with `RWF_NOWAIT` does it where the scan runs, and says "would block"
//! (or stops short) where the disk must be read; the rest of that range then goes to a blocking
//! thread, as lance's own reader does. So a slow disk or a network file system never holds the
//! scan's thread, and an abort still ends the call while such a read waits. Only from Linux 5.9,
//! where such a read also never starts a read-ahead of its own (before, it could wait on the
//! disk for one); files are closed on a blocking thread too.
//!
//! lance takes this path for the `file-object-store` scheme, which sends every read through the
//! object-store interface (where this wrapper sits) instead of lance's direct local reader. Only
//! the table's data files (`data/*.lance`, what lance's local reader read) are served here: their
//! ranged reads, and their sizes from the file kept open (one open a file, not one per request).
//! Manifests, deletion files, listings and whole-file reads go to the local store unchanged, and
//! so does any request for a file that cannot be opened (the store answers with its own error).
//! A read's errors are the ones lance's local reader gave: the operating system's, in an
//! `object_store` error of the local file store (a range past the end of a file is
//! `UnexpectedEof`, a damaged table). lance's reader for this interface tries a failed read four
//! times before it reports it (its local reader did not retry); the error is the same.

use super::nowait_read::{kernel_reads_without_waiting, read_cached, Cached};
use async_trait::async_trait;
use bytes::Bytes;
use futures::stream::BoxStream;
use lance_io::object_store::WrappingObjectStore;
use object_store::list::PaginatedListStore;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{
    CopyOptions, GetOptions, GetRange, GetResult, GetResultPayload, ListResult, MultipartUpload,
    ObjectMeta, ObjectStore, PutMultipartOptions, PutOptions, PutPayload, PutResult, RenameOptions,
    Result,
};
use open_files::{close_all, open_for_reads, OpenFile};
use std::collections::VecDeque;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Bytes this process read through [`PageCacheReads`] (from the page cache or a blocking read).
static READ_BYTES: AtomicU64 = AtomicU64::new(0);

/// Bytes this process read through [`PageCacheReads`] so far: the load tests check with it that a
/// local load took this path.
pub fn read_bytes() -> u64 {
    READ_BYTES.load(Ordering::Relaxed)
}

/// The URI under which lance opens the local table at `dir` with its reads going through
/// [`PageCacheReads`]; `None` for a path that is not absolute.
pub fn store_uri(dir: &std::path::Path) -> Option<String> {
    // `file-object-store:` is not a special scheme for URL parsing: the path goes in already
    // percent-encoded (a `#`, `?` or `%` in a directory name stays part of the path), and lance
    // decodes it back (`Path::from_url_path`).
    let url = url::Url::from_file_path(dir).ok()?;
    Some(format!("{SCHEME}://{}", url.path()))
}

/// lance's scheme for a local path read through the object-store interface (its store prefix too).
const SCHEME: &str = "file-object-store";

/// Wraps lance's local object store so that its ranged reads are served as the module says.
#[derive(Debug, Default)]
pub struct PageCacheReads;

impl WrappingObjectStore for PageCacheReads {
    /// Only the local store of [`store_uri`]'s scheme: lance applies the wrapper to every store
    /// of the table, and the other bases of a table of several may be on an object store.
    fn wrap(&self, store_prefix: &str, original: Arc<dyn ObjectStore>) -> Arc<dyn ObjectStore> {
        if store_prefix == SCHEME {
            Arc::new(PageCacheStore::new(original))
        } else {
            original
        }
    }

    /// Listings are the local store's own: kept as they are.
    fn wrap_paginated(
        &self,
        _store_prefix: &str,
        original: Arc<dyn PaginatedListStore>,
    ) -> Option<Arc<dyn PaginatedListStore>> {
        Some(original)
    }
}

/// Files kept open between requests: lance opens every data file of a scan (their sizes and
/// footers) before it reads their pages, so a table of up to this many fragments is opened once
/// (64 against 16: 94 opens a load instead of 162 on a 45-fragment table, 0.95 of the CPU time,
/// bench/README); a table of many more holds no more descriptors than this.
const OPEN_FILES: usize = 64;

/// The local store, with ranged reads served from the page cache where it has them.
#[derive(Debug)]
pub struct PageCacheStore {
    inner: Arc<dyn ObjectStore>,
    /// Turns an object path into a file path by the local store's own rule.
    paths: LocalFileSystem,
    /// The most recently read files, the newest first.
    open: Mutex<VecDeque<(Path, Arc<OpenFile>)>>,
    /// Every read goes to a blocking thread: the kernel is older than 5.9, or it or the file
    /// system refused `RWF_NOWAIT`.
    no_cached_reads: AtomicBool,
    /// Bytes read from the page cache on the calling thread (for tests: which path served a read).
    #[cfg(test)]
    cached_bytes: std::sync::atomic::AtomicUsize,
}

impl PageCacheStore {
    pub fn new(inner: Arc<dyn ObjectStore>) -> Self {
        PageCacheStore {
            inner,
            paths: LocalFileSystem::new(),
            open: Mutex::new(VecDeque::new()),
            no_cached_reads: AtomicBool::new(!kernel_reads_without_waiting()),
            #[cfg(test)]
            cached_bytes: Default::default(),
        }
    }

    /// The open file at `location`: kept from an earlier request, or opened on a blocking
    /// thread (a lookup on a cold or remote file system may wait). `None` when it cannot be
    /// opened as a regular file: the request then goes to the local store, which answers with
    /// its own error.
    async fn file(&self, location: &Path) -> Option<Arc<OpenFile>> {
        if let Some(f) = self.kept(location) {
            return Some(f);
        }
        let path = self.paths.path_to_filesystem(location).ok()?;
        let object = location.clone();
        let opened = tokio::task::spawn_blocking(move || {
            let file = open_for_reads(&path).ok()?;
            let md = file.metadata().ok().filter(|md| md.is_file())?;
            let meta = ObjectMeta {
                location: object,
                last_modified: md.modified().map(Into::into).unwrap_or_default(),
                size: md.len(),
                e_tag: None,
                version: None,
            };
            Some(Arc::new(OpenFile {
                file: Some(file),
                meta,
            }))
        })
        .await
        .ok()??;
        let mut open = self.lock_open();
        // Another request may have opened it meanwhile: that one is kept, this one closed.
        if let Some((_, kept)) = open.iter().find(|(p, _)| p == location) {
            let kept = Arc::clone(kept);
            drop(open);
            drop(opened);
            return Some(kept);
        }
        open.push_front((location.clone(), Arc::clone(&opened)));
        let keep = OPEN_FILES.min(open.len());
        let evicted: Vec<Arc<OpenFile>> = open.drain(keep..).map(|(_, f)| f).collect();
        drop(open);
        close_all(evicted);
        Some(opened)
    }

    fn kept(&self, location: &Path) -> Option<Arc<OpenFile>> {
        let mut open = self.lock_open();
        let i = open.iter().position(|(p, _)| p == location)?;
        let entry = open.remove(i)?;
        let file = Arc::clone(&entry.1);
        open.push_front(entry);
        Some(file)
    }

    fn lock_open(&self) -> std::sync::MutexGuard<'_, VecDeque<(Path, Arc<OpenFile>)>> {
        // The list only caches open files: one a panicking thread left is still a valid list.
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The size of the file at `location` (a `head` request), from the file kept open.
    async fn size_of(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        let Some(opened) = self.file(location).await else {
            return self.inner.get_opts(location, options).await;
        };
        Ok(GetResult {
            payload: GetResultPayload::Stream(Box::pin(futures::stream::empty())),
            meta: opened.meta.clone(),
            range: 0..opened.meta.size,
            attributes: Default::default(),
            extensions: Default::default(),
        })
    }

    /// Bytes `range` of the file at `location`, exactly (past the end of the file:
    /// `UnexpectedEof`, as lance's local reader).
    async fn read(
        &self,
        location: &Path,
        range: std::ops::Range<u64>,
        options: GetOptions,
    ) -> Result<GetResult> {
        let Some(opened) = self.file(location).await else {
            return self.inner.get_opts(location, options).await;
        };
        // Past the end of the file (a damaged table): the error a read there gives, before any
        // memory is taken for a length the file cannot have.
        if range.end > opened.meta.size {
            return Err(local_error(std::io::ErrorKind::UnexpectedEof.into()));
        }
        let len = usize::try_from(range.end - range.start)
            .map_err(|_| local_error(std::io::ErrorKind::InvalidInput.into()))?;
        let mut buf = vec![0u8; len];
        let cached = if self.no_cached_reads.load(Ordering::Relaxed) {
            0
        } else {
            match read_cached(opened.file(), &mut buf, range.start) {
                Cached::Read(n) => n,
                Cached::NotNow => 0,
                Cached::Unsupported => {
                    self.no_cached_reads.store(true, Ordering::Relaxed);
                    0
                }
            }
        };
        #[cfg(test)]
        self.cached_bytes.fetch_add(cached, Ordering::Relaxed);
        let buf = if cached < len {
            let file = Arc::clone(&opened);
            let start = range.start + cached as u64;
            tokio::task::spawn_blocking(move || {
                file.file()
                    .read_exact_at(&mut buf[cached..], start)
                    .map(|()| buf)
            })
            .await
            .map_err(std::io::Error::other)
            .and_then(|r| r)
            .map_err(local_error)?
        } else {
            buf
        };
        READ_BYTES.fetch_add(len as u64, Ordering::Relaxed);
        let bytes = Bytes::from(buf);
        Ok(GetResult {
            payload: GetResultPayload::Stream(Box::pin(futures::stream::once(async { Ok(bytes) }))),
            meta: opened.meta.clone(),
            range,
            attributes: Default::default(),
            extensions: Default::default(),
        })
    }
}

/// An I/O error as lance's local reader reports it.
fn local_error(e: std::io::Error) -> object_store::Error {
    object_store::Error::Generic {
        store: "LocalFileSystem",
        source: Box::new(e),
    }
}

/// A table's data file (`<table>/data/<name>.lance`): what the scan reads, through lance's local
/// reader before. Manifests, deletion files and the rest go to the local store as they did.
fn is_data_file(location: &Path) -> bool {
    let mut parts = location.parts().rev();
    let (Some(name), Some(dir)) = (parts.next(), parts.next()) else {
        return false;
    };
    dir.as_ref() == "data" && name.as_ref().ends_with(".lance")
}

impl std::fmt::Display for PageCacheStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PageCacheStore({})", self.inner)
    }
}

#[async_trait]
impl ObjectStore for PageCacheStore {
    async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        let conditional = options.if_match.is_some()
            || options.if_none_match.is_some()
            || options.if_modified_since.is_some()
            || options.if_unmodified_since.is_some()
            || options.version.is_some();
        if conditional || !is_data_file(location) {
            return self.inner.get_opts(location, options).await;
        }
        match (&options.range, options.head) {
            (Some(GetRange::Bounded(r)), false) if r.start < r.end => {
                let r = r.clone();
                self.read(location, r, options).await
            }
            (None, true) => self.size_of(location, options).await,
            _ => self.inner.get_opts(location, options).await,
        }
    }

    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> Result<PutResult> {
        self.inner.put_opts(location, payload, opts).await
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        opts: PutMultipartOptions,
    ) -> Result<Box<dyn MultipartUpload>> {
        self.inner.put_multipart_opts(location, opts).await
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, Result<Path>>,
    ) -> BoxStream<'static, Result<Path>> {
        self.inner.delete_stream(locations)
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
        self.inner.list(prefix)
    }

    fn list_with_offset(
        &self,
        prefix: Option<&Path>,
        offset: &Path,
    ) -> BoxStream<'static, Result<ObjectMeta>> {
        self.inner.list_with_offset(prefix, offset)
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
        self.inner.list_with_delimiter(prefix).await
    }

    async fn copy_opts(&self, from: &Path, to: &Path, options: CopyOptions) -> Result<()> {
        self.inner.copy_opts(from, to, options).await
    }

    async fn rename_opts(&self, from: &Path, to: &Path, options: RenameOptions) -> Result<()> {
        self.inner.rename_opts(from, to, options).await
    }
}

impl Drop for PageCacheStore {
    fn drop(&mut self) {
        let files = std::mem::take(&mut *self.lock_open());
        close_all(files.into_iter().map(|(_, f)| f));
    }
}

mod open_files;
#[cfg(test)]
mod tests;
