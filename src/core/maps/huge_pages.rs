//! Transparent huge pages for a load's large arrays, on Linux: the kernel maps a 2 MiB page with
//! one page fault where 4 KiB pages take 512. A cold load's builder filled ~33 MB of fresh memory
//! through ~9,800 faults of ~1.6 µs each here; in huge pages it takes a few dozen (bench/README.md,
//! "The cold path").
//!
//! Only where it costs nothing else:
//! - The system hands out huge pages on request only (`madvise` mode, the usual default): with
//!   `always` it uses them for large arrays anyway, with `never` not at all.
//! - Free memory already holds several times the arrays' size in free 2 MiB blocks: a request
//!   for a huge page the kernel does not have makes the fault wait for memory to be compacted.
//! - Each array is a mapping of its own (a reservation past glibc's largest mmap threshold,
//!   32 MiB on 64-bit, mallopt(3); virtual memory only, nothing is touched past what rows fill),
//!   so the advice leaves with the array when it is freed: it never stays on the allocator's heap,
//!   where later, unrelated allocations would get huge pages they do not fill.

use crate::core::error::{try_reserve, CodedError};

/// Size of a transparent huge page on x86-64 and arm64 Linux with 4 KiB pages (the only case
/// advised: `hpage_pmd_size` says so).
#[cfg_attr(
    not(all(target_os = "linux", target_pointer_width = "64")),
    allow(dead_code)
)]
const HUGE_PAGE: usize = 2 << 20;

/// An advised array reserves at least this much, so that glibc (and musl) give it a mapping of
/// its own: above glibc's largest dynamic mmap threshold (32 MiB on 64-bit).
const OWN_MAPPING_BYTES: usize = (32 << 20) + 4096;

/// Arrays smaller than this are never advised: less than one huge page of them to gain.
const MIN_ARRAY_BYTES: usize = HUGE_PAGE;

/// Free 2 MiB blocks must hold this many times the arrays' size.
#[cfg_attr(
    not(all(target_os = "linux", target_pointer_width = "64")),
    allow(dead_code)
)]
const FREE_MARGIN: usize = 4;

/// Whether a load's large arrays go into transparent huge pages: decided once per load from the
/// system's settings and free memory, then used for each array it reserves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HugePages {
    advise: bool,
}

impl HugePages {
    /// Ordinary pages, as on every system but Linux.
    pub const NO: HugePages = HugePages { advise: false };

    /// For arrays of `bytes` bytes in all (see the module's conditions).
    pub fn for_arrays(bytes: usize) -> HugePages {
        #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
        {
            let read = |path: &str| std::fs::read_to_string(path).ok();
            let sys = "/sys/kernel/mm/transparent_hugepage";
            let advise = bytes >= MIN_ARRAY_BYTES
                && read(&format!("{sys}/hpage_pmd_size"))
                    .as_deref()
                    .map(str::trim)
                    == Some("2097152")
                && read(&format!("{sys}/enabled")).is_some_and(|s| selected(&s) == Some("madvise"))
                && read("/proc/buddyinfo")
                    .is_some_and(|s| free_block_bytes(&s) / FREE_MARGIN >= bytes);
            HugePages { advise }
        }
        #[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
        {
            let _ = bytes;
            HugePages::NO
        }
    }

    /// Reserves room for `n` elements in the empty `v` (`E_NO_MEMORY` when the memory cannot be
    /// had): where huge pages are advised and the array is large enough, as a mapping of its own
    /// in huge pages; otherwise exactly `n`.
    pub fn reserve<T>(self, v: &mut Vec<T>, n: usize, what: &str) -> Result<(), CodedError> {
        let size = size_of::<T>().max(1);
        if !self.advise || n.saturating_mul(size) < MIN_ARRAY_BYTES {
            return try_reserve(v, n, what);
        }
        try_reserve(v, n.max(OWN_MAPPING_BYTES.div_ceil(size)), what)?;
        advise(v);
        Ok(())
    }
}

/// The selected value of a sysfs choice such as `always [madvise] never`.
#[cfg_attr(
    not(all(target_os = "linux", target_pointer_width = "64")),
    allow(dead_code)
)]
fn selected(choices: &str) -> Option<&str> {
    let start = choices.find('[')? + 1;
    let len = choices[start..].find(']')?;
    Some(&choices[start..start + len])
}

/// Bytes of free memory in blocks of 2 MiB or more (order 9 and up with 4 KiB pages), in all zones
/// of `/proc/buddyinfo`.
#[cfg_attr(
    not(all(target_os = "linux", target_pointer_width = "64")),
    allow(dead_code)
)]
fn free_block_bytes(buddyinfo: &str) -> usize {
    buddyinfo
        .lines()
        .filter_map(|line| line.split_once("zone"))
        .map(|(_, rest)| {
            rest.split_whitespace()
                .skip(1) // the zone's name
                .enumerate()
                .filter(|&(order, _)| order >= 9)
                .filter_map(|(order, count)| {
                    let count: usize = count.parse().ok()?;
                    count.checked_mul(4096 << order)
                })
                .fold(0usize, usize::saturating_add)
        })
        .fold(0, usize::saturating_add)
}

/// The 2 MiB-aligned range inside `bytes` bytes from address `start`, if it holds at least one
/// huge page: (its start, its length).
#[cfg_attr(
    not(all(target_os = "linux", target_pointer_width = "64")),
    allow(dead_code)
)]
fn huge_range(start: usize, bytes: usize) -> Option<(usize, usize)> {
    let end = start.checked_add(bytes)?;
    let first = start.checked_next_multiple_of(HUGE_PAGE)?;
    let last = end / HUGE_PAGE * HUGE_PAGE;
    (last > first).then(|| (first, last - first))
}

/// Asks the kernel to map the 2 MiB-aligned part of `v`'s allocation (its whole capacity) with
/// huge pages.
#[cfg_attr(
    not(all(target_os = "linux", target_pointer_width = "64")),
    allow(unused_variables)
)]
fn advise<T>(v: &mut Vec<T>) {
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    if let Some((start, len)) = huge_range(
        v.as_mut_ptr() as usize,
        v.capacity().saturating_mul(size_of::<T>()),
    ) {
        // SAFETY: `start..start + len` lies inside the allocation `v` owns (its capacity, from its
        // pointer), on 4 KiB boundaries as `madvise` requires. MADV_HUGEPAGE only changes the
        // size of the pages the kernel maps there: nothing is freed, moved or zeroed, so every
        // byte written keeps its value and the allocator's view of the block stands. The answer
        // is ignored: a kernel without huge pages (EINVAL) keeps 4 KiB pages.
        unsafe {
            madvise(start as *mut std::ffi::c_void, len, MADV_HUGEPAGE);
        }
    }
}

/// `MADV_HUGEPAGE` on x86-64 and arm64 (asm-generic).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
const MADV_HUGEPAGE: std::ffi::c_int = 14;

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
extern "C" {
    fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: std::ffi::c_int)
        -> std::ffi::c_int;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_is_the_whole_huge_pages_inside_the_block() {
        const H: usize = HUGE_PAGE;
        // A block from 4 KiB past a huge page boundary, 10 MiB long: the 4 huge pages after
        // that boundary (the first and the last partial ones left out).
        assert_eq!(huge_range(H + 4096, 10 << 20), Some((2 * H, 4 * H)));
        // Aligned at both ends: all of it.
        assert_eq!(huge_range(4 * H, 3 * H), Some((4 * H, 3 * H)));
        // No whole huge page inside: nothing.
        assert_eq!(huge_range(H + 4096, H), None);
        assert_eq!(huge_range(H, H - 4096), None);
        assert_eq!(huge_range(4096, 0), None);
        // At the top of the address space: nothing, not an overflow.
        assert_eq!(huge_range(usize::MAX - 4095, 8192), None);
        assert_eq!(huge_range(usize::MAX - H - 4095, H), None);
    }

    #[test]
    fn the_settings_and_free_memory_are_read_as_the_kernel_writes_them() {
        assert_eq!(selected("always [madvise] never\n"), Some("madvise"));
        assert_eq!(selected("[always] madvise never"), Some("always"));
        assert_eq!(selected("always madvise never"), None);
        let buddyinfo = "Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 \n\
                         Node 0, zone   Normal  71118  36194  16978  12781   5105   1769    542    276     64    347   1800 \n";
        // Orders 9 and 10: (1 + 3) + (347 + 1800) blocks of 2 and 4 MiB.
        let mib = (1 + 347) * 2 + (3 + 1800) * 4;
        assert_eq!(free_block_bytes(buddyinfo), mib << 20);
        assert_eq!(free_block_bytes(""), 0);
        assert_eq!(free_block_bytes("Node 0, zone Normal 1 x 3"), 0);
    }

    #[test]
    fn small_arrays_and_no_advice_reserve_exactly() {
        let mut v: Vec<u64> = Vec::new();
        HugePages::NO.reserve(&mut v, 1 << 20, "test").unwrap();
        assert_eq!(v.capacity(), 1 << 20);
        let mut small: Vec<u64> = Vec::new();
        HugePages { advise: true }
            .reserve(&mut small, 1000, "test")
            .unwrap();
        assert_eq!(small.capacity(), 1000);
        let mut unit: Vec<()> = Vec::new();
        HugePages { advise: true }
            .reserve(&mut unit, 5, "test")
            .unwrap();
        assert!(unit.capacity() >= 5);
    }

    /// The `VmFlags` of the mapping in `/proc/self/smaps` that holds `addr`, if one does.
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    fn flags_at(addr: usize) -> Option<String> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let mut inside = false;
        for line in smaps.lines() {
            let range = line.split_whitespace().next().unwrap_or("");
            if let Some((a, b)) = range.split_once('-') {
                if let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16))
                {
                    inside = a <= addr && addr < b;
                    continue;
                }
            }
            if let (true, Some(flags)) = (inside, line.strip_prefix("VmFlags:")) {
                return Some(flags.trim().to_owned());
            }
        }
        None
    }

    #[test]
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    fn an_advised_array_keeps_its_values_and_takes_the_advice_away_when_freed() {
        let huge = |flags: &Option<String>| {
            flags
                .as_deref()
                .is_some_and(|f| f.split_whitespace().any(|f| f == "hg"))
        };
        // A 24 MiB block freed raises glibc's mmap threshold to 24 MiB: a 12 MiB block would
        // now come from its heap, unless reserved as a mapping of its own.
        drop(std::hint::black_box(vec![1u8; 24 << 20]));
        // 12 MiB of u64s, written before the advice and read back after it.
        let n = 12 << 17;
        let mut v: Vec<u64> = Vec::new();
        HugePages { advise: true }
            .reserve(&mut v, n, "test")
            .unwrap();
        assert!(v.capacity() * 8 >= OWN_MAPPING_BYTES);
        v.extend(0..n as u64);
        advise(&mut v);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64));
        let (start, _) = huge_range(v.as_ptr() as usize, v.capacity() * 8).unwrap();
        // The advice is on its memory, where the kernel has huge pages at all.
        let thp = std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists();
        assert_eq!(huge(&flags_at(start)), thp);
        // Freed, the array's memory goes back to the system with the advice: nothing at that
        // address keeps it (an array on the allocator's heap would leave it there).
        drop(v);
        assert!(!huge(&flags_at(start)));
    }
}
