//! Tests of [`super`]: exact bytes from the page cache and from disk, the local store's and
//! lance's answers where this store does not answer, and the table of open files.

use super::open_files::close_later;
use super::*;
use object_store::ObjectStoreExt;
use std::fs::File;
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
        // As /proc/self/fd names it (a temp dir reached through a symbolic link).
        TempDir(std::fs::canonicalize(&dir).unwrap())
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
    !store.no_cached_reads.load(Ordering::Relaxed)
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

/// The files of this process's descriptors whose path starts with `dir`.
fn open_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter(|target| target.starts_with(dir))
        .collect()
}

/// Waits up to two seconds for the closes handed to blocking threads.
async fn until_closed(dir: &std::path::Path, left: usize) -> Vec<std::path::PathBuf> {
    for _ in 0..200 {
        let open = open_under(dir);
        if open.len() <= left {
            return open;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    open_under(dir)
}

/// Bytes 3..7 of each file, in order.
async fn read_each(store: &PageCacheStore, files: impl Iterator<Item = &Path>, bytes: &[u8]) {
    for location in files {
        let got = store.get_range(location, 3..7).await.unwrap();
        assert_eq!(&got[..], &bytes[3..7]);
    }
}

#[tokio::test]
async fn a_bounded_number_of_files_stay_open_and_all_are_closed() {
    let dir = TempDir::new("many");
    let bytes = pattern(100);
    let files: Vec<Path> = (0..OPEN_FILES + 8)
        .map(|i| dir.file(&format!("f{i}"), &bytes).1)
        .collect();
    let store = new_store();
    read_each(&store, files.iter(), &bytes).await;
    // The 8 read first were evicted: their descriptors are gone, the others kept.
    assert_eq!(until_closed(&dir.0, OPEN_FILES).await.len(), OPEN_FILES);
    read_each(&store, files.iter().rev(), &bytes).await;
    {
        // The most recently read first, each once.
        let open = store.lock_open();
        let kept: Vec<&Path> = open.iter().map(|(p, _)| p).collect();
        let newest: Vec<&Path> = files.iter().take(OPEN_FILES).collect();
        assert_eq!(kept, newest);
    }
    drop(store);
    assert_eq!(
        until_closed(&dir.0, 0).await,
        Vec::<std::path::PathBuf>::new()
    );
}

/// tokio panics when it cannot start a blocking thread (here: a stack no system gives), with
/// the task left in its queue: the files are closed where the panic was caught, at once.
#[test]
fn files_are_closed_in_place_when_no_thread_can_be_had() {
    let dir = TempDir::new("nothread");
    let (path, _) = dir.file("f", &pattern(100));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .thread_stack_size(1 << 46)
        .build()
        .unwrap();
    runtime.block_on(async {
        close_later(vec![File::open(&path).unwrap(), File::open(&path).unwrap()]);
        assert_eq!(open_under(&dir.0), Vec::<std::path::PathBuf>::new());
    });
}
