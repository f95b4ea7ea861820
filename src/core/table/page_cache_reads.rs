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
use std::collections::VecDeque;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Bytes this process read through [`PageCacheReads`] (from the page cache or a blocking read).
static READ_BYTES: AtomicU64 = AtomicU64::new(0);

/// Bytes this process read through [`PageCacheReads`] so far: tests and benches check that a
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
    /// The kernel or the file system refused `RWF_NOWAIT`: every read goes to a blocking thread.
    no_cached_reads: AtomicBool,
    /// Bytes read from the page cache on the calling thread (for tests: which path served a read).
    #[cfg(test)]
    cached_bytes: std::sync::atomic::AtomicUsize,
}

#[derive(Debug)]
struct OpenFile {
    file: File,
    meta: ObjectMeta,
}

impl PageCacheStore {
    pub fn new(inner: Arc<dyn ObjectStore>) -> Self {
        PageCacheStore {
            inner,
            paths: LocalFileSystem::new(),
            open: Mutex::new(VecDeque::new()),
            no_cached_reads: AtomicBool::new(false),
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
            let file = File::open(&path).ok()?;
            let md = file.metadata().ok().filter(|md| md.is_file())?;
            let meta = ObjectMeta {
                location: object,
                last_modified: md.modified().map(Into::into).unwrap_or_default(),
                size: md.len(),
                e_tag: None,
                version: None,
            };
            Some(Arc::new(OpenFile { file, meta }))
        })
        .await
        .ok()??;
        let mut open = self.lock_open();
        // Another request may have opened it meanwhile: that one is kept, this one closed.
        if let Some((_, kept)) = open.iter().find(|(p, _)| p == location) {
            let kept = Arc::clone(kept);
            drop(open);
            close_later(vec![opened]);
            return Some(kept);
        }
        open.push_front((location.clone(), Arc::clone(&opened)));
        let keep = OPEN_FILES.min(open.len());
        let evicted: Vec<Arc<OpenFile>> = open.drain(keep..).map(|(_, f)| f).collect();
        drop(open);
        close_later(evicted);
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
        let result = GetResult {
            payload: GetResultPayload::Stream(Box::pin(futures::stream::empty())),
            meta: opened.meta.clone(),
            range: 0..opened.meta.size,
            attributes: Default::default(),
            extensions: Default::default(),
        };
        release(opened);
        Ok(result)
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
        let cached =
            if self.no_cached_reads.load(Ordering::Relaxed) || !kernel_reads_without_waiting() {
                0
            } else {
                match read_cached(&opened.file, &mut buf, range.start) {
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
                file.file
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
        let result = GetResult {
            payload: GetResultPayload::Stream(Box::pin(futures::stream::once(async { Ok(bytes) }))),
            meta: opened.meta.clone(),
            range,
            attributes: Default::default(),
            extensions: Default::default(),
        };
        release(opened);
        Ok(result)
    }
}

/// Lets go of a file a request used: closed on a blocking thread when it was evicted from the
/// table of open files meanwhile (this was its last holder).
fn release(file: Arc<OpenFile>) {
    if Arc::strong_count(&file) == 1 {
        close_later(vec![file]);
    }
}

/// What a read from the page cache gave.
enum Cached {
    /// This many bytes from the start of the buffer (fewer than asked: the rest is not in memory).
    Read(usize),
    /// Nothing without waiting for the disk (or an error a blocking read will report).
    NotNow,
    /// The kernel or the file system cannot read without waiting: never ask again.
    Unsupported,
}

fn read_cached(file: &File, buf: &mut [u8], offset: u64) -> Cached {
    use std::os::fd::AsRawFd;
    let Ok(offset) = libc::c_long::try_from(offset) else {
        return Cached::NotNow;
    };
    let iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // Through `syscall`: glibc's `preadv2` wrapper is newer (2.26) than the floor this addon
    // links against (2.17). The offset goes in as its low word; the high word is 0 (the kernel
    // ignores it on 64-bit targets).
    // SAFETY: `iov` describes `buf`, which is valid for writes of `buf.len()` bytes and borrowed
    // mutably for the whole call, so nothing else reads or writes it meanwhile; the kernel writes
    // at most `iov_len` bytes into it and reads nothing from it. `file` owns its descriptor and
    // outlives the call. Every argument is passed as a `c_long`, the width the kernel reads.
    let n = unsafe {
        libc::syscall(
            libc::SYS_preadv2,
            file.as_raw_fd() as libc::c_long,
            &iov as *const libc::iovec as libc::c_long,
            1 as libc::c_long,
            offset,
            0 as libc::c_long,
            libc::RWF_NOWAIT as libc::c_long,
        )
    };
    if n >= 0 {
        return Cached::Read((n as usize).min(buf.len()));
    }
    match std::io::Error::last_os_error().raw_os_error() {
        // A file system without non-blocking buffered reads, or a sandbox refusing the call.
        Some(libc::ENOSYS | libc::EOPNOTSUPP | libc::EINVAL | libc::EPERM) => Cached::Unsupported,
        _ => Cached::NotNow,
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
        close_later(files.into_iter().map(|(_, f)| f).collect());
    }
}

/// Closes `files` on a blocking thread where there is a runtime (a close may wait: a network
/// file system flushing, a FUSE server answering), else here. Any still in use by a read are
/// closed when that read ends.
fn close_later(files: Vec<Arc<OpenFile>>) {
    if files.is_empty() {
        return;
    }
    match tokio::runtime::Handle::try_current() {
        Ok(runtime) => {
            runtime.spawn_blocking(move || drop(files));
        }
        Err(_) => drop(files),
    }
}

/// The running kernel reads from the page cache without ever waiting on the disk (Linux 5.9:
/// `RWF_NOWAIT` also keeps the read from starting a read-ahead), as `/proc` says.
fn kernel_reads_without_waiting() -> bool {
    static NEW_ENOUGH: OnceLock<bool> = OnceLock::new();
    *NEW_ENOUGH.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/osrelease")
            .ok()
            .and_then(|release| kernel_at_least(&release, (5, 9)))
            .unwrap_or(false)
    })
}

/// Whether a kernel release string (`6.1.0-18-amd64`, `5.4.0`) names `min` or later.
fn kernel_at_least(release: &str, min: (u32, u32)) -> Option<bool> {
    let mut parts = release.trim().split(['.', '-']);
    let major: u32 = parts.next()?.parse().ok()?;
    let minor: u32 = parts.next()?.parse().ok()?;
    Some((major, minor) >= min)
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::ObjectStoreExt;
    use std::io::Write;

    /// Bytes that differ from page to page, so a read from the wrong offset cannot pass.
    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i ^ (i >> 8) ^ (i >> 16)) as u8).collect()
    }

    /// A directory of the test's own, removed with it.
    struct TempDir(std::path::PathBuf);
    impl TempDir {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir().join(format!("lhm-pcr-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
        /// A data file of a table (`data/<name>.lance`), written through to the disk so that its
        /// pages can be dropped from memory.
        fn file(&self, name: &str, bytes: &[u8]) -> (std::path::PathBuf, Path) {
            self.write(&format!("data/{name}.lance"), bytes)
        }
        fn write(&self, relative: &str, bytes: &[u8]) -> (std::path::PathBuf, Path) {
            let path = self.0.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let mut f = File::create(&path).unwrap();
            f.write_all(bytes).unwrap();
            f.sync_all().unwrap();
            let location = Path::from_absolute_path(&path).unwrap();
            (path, location)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn new_store() -> PageCacheStore {
        PageCacheStore::new(Arc::new(LocalFileSystem::new()))
    }

    /// Drops the pages of `path` from the page cache: all of them, or those of the MiB blocks
    /// from `skip` on (GNU dd reads them, then drops what it read).
    fn evict(path: &std::path::Path, skip_mib: Option<u64>) {
        let mut dd = std::process::Command::new("dd");
        dd.arg(format!("if={}", path.display())).args([
            "of=/dev/null",
            "iflag=nocache",
            "status=none",
            "bs=1M",
        ]);
        match skip_mib {
            None => dd.arg("count=0"),
            Some(skip) => dd.arg(format!("skip={skip}")),
        };
        assert!(dd.status().unwrap().success());
    }

    /// Whether this machine reads from the page cache without a blocking thread: Linux 5.9 or
    /// later, on a file system that supports it (ext4, xfs, btrfs; not tmpfs here). Where not,
    /// the tests still check that every read is exact, all of it through blocking reads.
    async fn cached_reads_work(store: &PageCacheStore, location: &Path) -> bool {
        store.get_range(location, 0..1).await.unwrap();
        kernel_reads_without_waiting() && !store.no_cached_reads.load(Ordering::Relaxed)
    }

    const RANGES: [(u64, u64); 5] = [
        (0, 1),
        (4095, 4097),
        (1000, 300_000),
        (2_000_000, 4_194_304),
        (0, 4_194_304),
    ];

    #[tokio::test]
    async fn ranges_read_from_the_page_cache_are_exact() {
        let dir = TempDir::new("cached");
        let bytes = pattern(4 << 20);
        let (file, location) = dir.file("cached", &bytes);
        std::fs::read(&file).unwrap(); // in the page cache now
        let store = new_store();
        let supported = cached_reads_work(&store, &location).await;
        let before = store.cached_bytes.load(Ordering::Relaxed);
        let mut asked = 0;
        for (a, b) in RANGES {
            let got = store.get_range(&location, a..b).await.unwrap();
            assert_eq!(&got[..], &bytes[a as usize..b as usize], "{a}..{b}");
            asked += (b - a) as usize;
        }
        // Served where the scan runs, without a blocking thread.
        let cached = store.cached_bytes.load(Ordering::Relaxed) - before;
        assert_eq!(cached, if supported { asked } else { 0 });
    }

    #[tokio::test]
    async fn what_the_page_cache_lacks_is_read_on_a_blocking_thread() {
        let dir = TempDir::new("evicted");
        let bytes = pattern(4 << 20);
        let (file, location) = dir.file("evicted", &bytes);
        let supported = cached_reads_work(&new_store(), &location).await;
        // Nothing in memory: every byte comes from a blocking read.
        evict(&file, None);
        let store = new_store();
        let got = store.get_range(&location, 0..(4 << 20)).await.unwrap();
        assert_eq!(&got[..], &bytes[..]);
        assert_eq!(store.cached_bytes.load(Ordering::Relaxed), 0);
        // The first 2 MiB in memory, the rest not: the read goes on where the memory stops.
        std::fs::read(&file).unwrap();
        evict(&file, Some(2));
        let store = new_store();
        let got = store.get_range(&location, 100..(4 << 20)).await.unwrap();
        assert_eq!(&got[..], &bytes[100..]);
        let cached = store.cached_bytes.load(Ordering::Relaxed);
        if supported {
            assert!(cached > 0 && cached <= (2 << 20) - 100, "{cached}");
        } else {
            assert_eq!(cached, 0);
        }
        // Once the kernel has refused, every read is a blocking one, and exact.
        let store = new_store();
        store.no_cached_reads.store(true, Ordering::Relaxed);
        for (a, b) in RANGES {
            let got = store.get_range(&location, a..b).await.unwrap();
            assert_eq!(&got[..], &bytes[a as usize..b as usize], "{a}..{b}");
        }
        assert_eq!(store.cached_bytes.load(Ordering::Relaxed), 0);
    }

    #[tokio::test]
    async fn errors_are_the_ones_of_lances_local_reader() {
        let dir = TempDir::new("errors");
        let (file, location) = dir.file("short", &pattern(10_000));
        let store = new_store();
        /// The store and the operating system's error kind of a failed read.
        fn what(e: object_store::Error) -> (&'static str, std::io::ErrorKind) {
            match e {
                object_store::Error::Generic { store, source } => {
                    let io = source
                        .downcast_ref::<std::io::Error>()
                        .expect("an OS error");
                    (store, io.kind())
                }
                other => panic!("{other:?}"),
            }
        }
        // Past the end (a damaged table): what lance's own local reader answers, never fewer
        // bytes than asked, and no memory taken for a length the file cannot have.
        let lance_reader = lance_io::local::LocalObjectReader::open(&location, 4096, None)
            .await
            .unwrap();
        for range in [9_990..10_010, 20_000..20_001] {
            let ours = store.get_range(&location, range.clone()).await.unwrap_err();
            let theirs = lance_io::traits::Reader::get_range(
                lance_reader.as_ref(),
                range.start as usize..range.end as usize,
            )
            .await
            .unwrap_err();
            assert_eq!(what(ours), what(theirs), "{range:?}");
        }
        let huge = store.get_range(&location, 0..u64::MAX).await.unwrap_err();
        assert_eq!(
            what(huge),
            ("LocalFileSystem", std::io::ErrorKind::UnexpectedEof)
        );
        // A file that is not there, and a directory: the local store's own answers.
        for name in ["gone.lance", "dir.lance"] {
            let path = file.with_file_name(name);
            if name.starts_with("dir") {
                std::fs::create_dir(&path).unwrap();
            }
            let location = Path::from_absolute_path(&path).unwrap();
            let ours = store.get_range(&location, 0..10).await.unwrap_err();
            let local = LocalFileSystem::new()
                .get_range(&location, 0..10)
                .await
                .unwrap_err();
            assert_eq!(ours.to_string(), local.to_string());
            let ours = store.head(&location).await.unwrap_err();
            let local = LocalFileSystem::new().head(&location).await.unwrap_err();
            assert_eq!(ours.to_string(), local.to_string());
        }
        // The size from the file kept open; whole-file reads are the local store's.
        assert_eq!(store.head(&location).await.unwrap().size, 10_000);
        let all = store.get(&location).await.unwrap().bytes().await.unwrap();
        assert_eq!(all.len(), 10_000);
    }

    #[tokio::test]
    async fn only_data_files_are_served_here() {
        let dir = TempDir::new("others");
        let bytes = pattern(10_000);
        let store = new_store();
        for relative in [
            "_versions/1.manifest",
            "_deletions/0-1-2.arrow",
            "data/x.txt",
            "x.lance",
        ] {
            let (_, location) = dir.write(relative, &bytes);
            // A range past the end, which the local store shortens and lance's local reader
            // refused: the local store's answer.
            let ours = store.get_range(&location, 9_990..10_010).await.unwrap();
            let local = LocalFileSystem::new()
                .get_range(&location, 9_990..10_010)
                .await
                .unwrap();
            assert_eq!(ours, local, "{relative}");
            assert_eq!(store.head(&location).await.unwrap().size, 10_000);
        }
        assert!(store.lock_open().is_empty());
        assert_eq!(store.cached_bytes.load(Ordering::Relaxed), 0);
        let (_, data) = dir.file("d", &bytes);
        assert_eq!(store.head(&data).await.unwrap().size, 10_000);
        assert_eq!(store.lock_open().len(), 1);
    }

    #[tokio::test]
    async fn a_bounded_number_of_files_stay_open() {
        let dir = TempDir::new("many");
        let bytes = pattern(100);
        let files: Vec<Path> = (0..OPEN_FILES + 8)
            .map(|i| dir.file(&format!("f{i}"), &bytes).1)
            .collect();
        let store = new_store();
        for location in files.iter().chain(files.iter().rev()) {
            let got = store.get_range(location, 3..7).await.unwrap();
            assert_eq!(&got[..], &bytes[3..7]);
        }
        let open = store.lock_open();
        assert_eq!(open.len(), OPEN_FILES);
        // The most recently read first, each once.
        let kept: Vec<&Path> = open.iter().map(|(p, _)| p).collect();
        let newest: Vec<&Path> = files.iter().take(OPEN_FILES).collect();
        assert_eq!(kept, newest);
    }

    #[test]
    fn a_directory_name_stays_one_path_through_the_uri() {
        let dir = std::path::Path::new("/tmp/a #1 %41 ?x=é/t.lance");
        let uri = store_uri(dir).unwrap();
        let url = url::Url::parse(&uri).unwrap();
        assert_eq!(url.scheme(), "file-object-store");
        // What lance's local store provider makes of it (`extract_path`).
        let path = Path::from_url_path(url.path()).unwrap();
        assert_eq!(path, Path::from_absolute_path(dir).unwrap());
        assert_eq!(store_uri(std::path::Path::new("relative/t.lance")), None);
    }

    #[test]
    fn only_the_local_tables_store_is_wrapped() {
        let local: Arc<dyn ObjectStore> = Arc::new(LocalFileSystem::new());
        // Another base of the same table, on another store: left as it is.
        let other = PageCacheReads.wrap("s3$bucket", Arc::clone(&local));
        assert!(Arc::ptr_eq(&other, &local));
        let wrapped = PageCacheReads.wrap(SCHEME, Arc::clone(&local));
        assert!(!Arc::ptr_eq(&wrapped, &local));
        assert!(wrapped.to_string().starts_with("PageCacheStore("));
    }

    #[test]
    fn kernel_releases() {
        assert_eq!(kernel_at_least("6.18.44-fc-v1272", (5, 9)), Some(true));
        assert_eq!(kernel_at_least("5.9.0", (5, 9)), Some(true));
        assert_eq!(
            kernel_at_least("5.8.18-100.fc31.x86_64", (5, 9)),
            Some(false)
        );
        assert_eq!(
            kernel_at_least("4.18.0-553.el8_10.x86_64\n", (5, 9)),
            Some(false)
        );
        assert_eq!(kernel_at_least("5", (5, 9)), None);
        assert_eq!(kernel_at_least("", (5, 9)), None);
    }
}
