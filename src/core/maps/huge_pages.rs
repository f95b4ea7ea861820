//! Transparent huge pages for the builder's large arrays, on Linux: the kernel maps a 2 MiB page
//! with one page fault where 4 KiB pages take 512. A cold load's builder filled ~33 MB of fresh
//! memory through ~9,800 faults of ~1.6 µs each here; with huge pages it takes ~16 faults for the
//! same memory (bench/README.md, "The cold path").
//!
//! The advice covers the 2 MiB-aligned part of an allocation (an allocator's large blocks start
//! on a 4 KiB boundary). Where transparent huge pages are off (`never`), or no huge page is free,
//! the kernel keeps using 4 KiB pages: the advice never changes what the memory holds.

/// Size of a huge page on x86-64 and arm64 Linux (4 KiB base pages).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const HUGE_PAGE: usize = 2 << 20;

/// Asks the kernel to back the 2 MiB-aligned part of `v`'s allocation (its whole capacity) with
/// transparent huge pages. A hint: no effect on `v`'s contents, and none on other systems.
pub fn advise_huge_pages<T>(v: &mut Vec<T>) {
    #[cfg(target_os = "linux")]
    {
        let bytes = v.capacity().saturating_mul(size_of::<T>());
        if let Some((start, len)) = huge_range(v.as_mut_ptr() as usize, bytes) {
            // SAFETY: `start..start + len` lies inside the allocation `v` owns (its capacity, from
            // its pointer), on 4 KiB boundaries as `madvise` requires. MADV_HUGEPAGE only changes
            // the size of the pages the kernel maps there: nothing is freed, moved or zeroed, so
            // every byte written keeps its value and the allocator's view of the block stands.
            // The answer is ignored: a kernel without huge pages (EINVAL) keeps 4 KiB pages.
            unsafe {
                madvise(start as *mut std::ffi::c_void, len, MADV_HUGEPAGE);
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = v;
}

/// The 2 MiB-aligned range inside `bytes` bytes from address `start`, if it holds at least one
/// huge page: (its start, its length).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn huge_range(start: usize, bytes: usize) -> Option<(usize, usize)> {
    let end = start.checked_add(bytes)?;
    let first = start.checked_next_multiple_of(HUGE_PAGE)?;
    let last = end / HUGE_PAGE * HUGE_PAGE;
    (last > first).then(|| (first, last - first))
}

#[cfg(target_os = "linux")]
const MADV_HUGEPAGE: std::ffi::c_int = 14;

#[cfg(target_os = "linux")]
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
    fn the_advice_leaves_every_value_in_place() {
        // Written before and after the advice, read back after: large, small, empty and
        // zero-sized arrays alike.
        let mut big: Vec<u64> = Vec::with_capacity(1 << 20);
        big.extend(0..1000);
        advise_huge_pages(&mut big);
        big.extend(1000..(1 << 20));
        assert!(big.iter().enumerate().all(|(i, &x)| x == i as u64));
        let mut small = vec![7u8; 100];
        advise_huge_pages(&mut small);
        assert_eq!(small, vec![7u8; 100]);
        advise_huge_pages(&mut Vec::<u32>::new());
        let mut unit = vec![(); 5];
        advise_huge_pages(&mut unit);
        assert_eq!(unit.len(), 5);
    }
}
