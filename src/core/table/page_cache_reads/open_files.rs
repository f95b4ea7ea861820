//! The data files a [`super::PageCacheStore`] keeps open: how they are opened (leaving their
//! access time alone where the process may) and closed (on a blocking thread, never in a way that
//! could panic while a panic unwinds).

use object_store::ObjectMeta;
use std::fs::File;
use std::sync::{Arc, Mutex};

/// A data file kept open, with what the local store would say of it. Dropped by whichever
/// request or eviction lets go of it last, it closes its file on a blocking thread.
#[derive(Debug)]
pub(super) struct OpenFile {
    /// There until the file is closed (taken only on the way out: [`Drop`], [`close_all`]).
    pub(super) file: Option<File>,
    pub(super) meta: ObjectMeta,
}

impl OpenFile {
    pub(super) fn file(&self) -> &File {
        self.file
            .as_ref()
            .expect("a kept file's handle is taken only when it is dropped")
    }
}

impl Drop for OpenFile {
    fn drop(&mut self) {
        close_later(self.file.take().into_iter().collect());
    }
}

/// Opens a data file for reading, leaving its access time alone where the process may (the
/// file's owner; `O_NOATIME`): a read then never writes the inode, which on ext4 could wait on
/// the journal where the scan runs. Otherwise (or where a file system refuses the flag) a plain
/// open.
pub(super) fn open_for_reads(path: &std::path::Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOATIME)
        .open(path)
        .or_else(|e| match e.kind() {
            // Missing: a plain open would say the same.
            std::io::ErrorKind::NotFound => Err(e),
            // EPERM (not the file's owner), or a file system refusing the flag.
            _ => File::open(path),
        })
}

/// Lets go of `files`: those no request holds any more are closed together on one blocking
/// thread; the others when their last request ends.
pub(super) fn close_all(files: impl IntoIterator<Item = Arc<OpenFile>>) {
    let mut unused = Vec::new();
    for f in files {
        if let Ok(mut open) = Arc::try_unwrap(f) {
            unused.extend(open.file.take());
        }
    }
    close_later(unused);
}

/// Closes `files` on a blocking thread where there is a runtime (a close may wait: a network
/// file system flushing, a FUSE server answering), else here.
pub(super) fn close_later(files: Vec<File>) {
    if files.is_empty() {
        return;
    }
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return drop(files);
    };
    let files = Arc::new(Mutex::new(Some(files)));
    let queued = Arc::clone(&files);
    // tokio panics when the system refuses it a thread, with the task already in its queue; this
    // may run in a `Drop` while a panic unwinds, where a second one would abort the host. The
    // files are then taken back and closed here; the queued task, if it ever runs, finds none.
    let spawned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        runtime.spawn_blocking(move || drop(take_files(&queued)));
    }));
    if spawned.is_err() {
        drop(take_files(&files));
    }
}

fn take_files(files: &Mutex<Option<Vec<File>>>) -> Option<Vec<File>> {
    files.lock().unwrap_or_else(|p| p.into_inner()).take()
}
