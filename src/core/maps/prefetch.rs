//! A cache hint shared by the tables (no dependencies: the fuzz targets compile it as is).

/// Asks the CPU to start loading the cache line holding `value`. A hint: no effect on results.
#[inline]
pub fn prefetch_read<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the pointer comes from a reference; a prefetch never faults and reads nothing
    // into the program.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
