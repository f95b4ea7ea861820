//! One read from the page cache that never waits on the disk (Linux: `preadv2` with
//! `RWF_NOWAIT`), for [`super::page_cache_reads`].

use std::fs::File;
use std::sync::OnceLock;

/// What a read from the page cache gave.
pub enum Cached {
    /// This many bytes from the start of the buffer (fewer than asked: the rest is not in memory).
    Read(usize),
    /// Nothing without waiting for the disk (or an error a blocking read will report).
    NotNow,
    /// The kernel or the file system cannot read without waiting: never ask again.
    Unsupported,
}

/// Reads into `buf`, from `offset` in `file`, what the page cache holds there, without waiting
/// for the disk: from the start of `buf` up to the first byte the cache lacks.
pub fn read_cached(file: &File, buf: &mut [u8], offset: u64) -> Cached {
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

/// The running kernel reads from the page cache without ever waiting on the disk (Linux 5.9:
/// `RWF_NOWAIT` also keeps the read from starting a read-ahead), as `/proc` says.
pub fn kernel_reads_without_waiting() -> bool {
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
