//! Page faults taken while the builder would wait anyway: writing one element per 4 KiB page of
//! an array's reserved, still unused capacity makes the kernel map that page now, so the rows that
//! fill it later do not stop for it. A cold load takes ~7,000 such faults in the builder's arrays
//! (bench/README.md, "The cold path").

const PAGE: usize = 4096;

/// How far past an array's length its pages are touched at most: the rows of ~30 batches of a
/// service's table. A reservation is an estimate (24 bytes of id text and a digest per row, where
/// short ids and chunked bases need less), so once rows came in, touching also stops at the
/// length they project ([`RowsSeen`]).
pub const WINDOW_BYTES: usize = 8 << 20;

/// Where the touching of one array has got to: the array's memory (its address) and an element
/// index in it. An array that moved to new memory (grew, or was sized anew) starts over.
#[derive(Default, Clone, Copy)]
pub struct Touched {
    base: usize,
    at: usize,
}

/// Rows pushed so far and rows expected in all: an array is touched no further than its length
/// grown at the rate so far (its whole reservation before the first row).
#[derive(Clone, Copy)]
pub struct RowsSeen {
    pub done: u64,
    pub expected: u64,
}

impl RowsSeen {
    /// The length an array of `len` elements reaches by the last row, at the rate so far.
    fn projected(self, len: usize, capacity: usize) -> usize {
        if self.done == 0 {
            return capacity;
        }
        let left = self.expected.saturating_sub(self.done) as u128;
        let more = len as u128 * left / self.done as u128;
        len.saturating_add(more.min(usize::MAX as u128) as usize)
    }
}

/// Touches the pages of `v`'s spare capacity from `at` (or `v`'s length, if further) on, up to
/// [`WINDOW_BYTES`] past its length and no further than the length `rows` projects, at most
/// `*pages` of them, taking what it used from `*pages`. True once that much is touched. The
/// values written are never read: the elements stay outside `v`'s length.
pub fn touch_spare<T: Copy>(
    v: &mut Vec<T>,
    at: &mut Touched,
    rows: RowsSeen,
    pages: &mut usize,
    zero: T,
) -> bool {
    if size_of::<T>() == 0 {
        return true; // no memory behind it
    }
    let base = v.as_ptr() as usize;
    if at.base != base {
        *at = Touched { base, at: 0 };
    }
    let stride = (PAGE / size_of::<T>()).max(1);
    let len = v.len();
    let spare = v.spare_capacity_mut();
    let capacity = len + spare.len();
    let end = capacity
        .min(len + WINDOW_BYTES / size_of::<T>())
        .min(rows.projected(len, capacity));
    let mut i = at.at.max(len);
    while i < end {
        if *pages == 0 {
            at.at = i;
            return false;
        }
        // black_box: the write must happen although nothing reads it.
        std::hint::black_box(spare[i - len].write(zero));
        *pages -= 1;
        i += stride;
    }
    at.at = i;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Before the first row: the whole reservation (within the window) may be touched.
    const START: RowsSeen = RowsSeen {
        done: 0,
        expected: 1,
    };

    #[test]
    fn touches_each_page_of_the_spare_capacity_once_and_changes_nothing_visible() {
        let mut v: Vec<u32> = Vec::with_capacity(10_000);
        v.extend(0..100);
        let mut at = Touched::default();
        let mut steps = 0;
        loop {
            let mut pages = 3;
            let done = touch_spare(&mut v, &mut at, START, &mut pages, 0);
            steps += 1;
            if done {
                break;
            }
            assert_eq!(pages, 0);
        }
        // 9,900 spare u32s from index 100, a page (1,024 u32s) apart: 10 writes, 3 per step.
        assert_eq!(steps, 4);
        assert_eq!(v.len(), 100);
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u32));
        v.extend(100..10_000);
        assert_eq!(v[9_999], 9_999);
        // Never further than the window past the length: a large reservation is touched as
        // the length moves on.
        let mut big: Vec<u8> = Vec::with_capacity(3 * WINDOW_BYTES);
        let mut at_big = Touched::default();
        let mut pages = usize::MAX;
        assert!(touch_spare(&mut big, &mut at_big, START, &mut pages, 0));
        assert_eq!(usize::MAX - pages, WINDOW_BYTES / PAGE);
        big.resize(WINDOW_BYTES / 2, 1);
        let mut pages = usize::MAX;
        assert!(touch_spare(&mut big, &mut at_big, START, &mut pages, 0));
        assert_eq!(usize::MAX - pages, WINDOW_BYTES / 2 / PAGE);
        // Once rows came in, no further than the length they project: 1/4 of the rows filled
        // 1 MiB, so 4 MiB in all.
        let mut w: Vec<u8> = Vec::with_capacity(3 * WINDOW_BYTES);
        w.resize(1 << 20, 1);
        let mut at_w = Touched::default();
        let mut pages = usize::MAX;
        let quarter = RowsSeen {
            done: 25,
            expected: 100,
        };
        assert!(touch_spare(&mut w, &mut at_w, quarter, &mut pages, 0));
        assert_eq!(usize::MAX - pages, (3 << 20) / PAGE);
        // An array that moved to new memory is touched anew from its length.
        let mut moved: Vec<u32> = Vec::with_capacity(10_000);
        moved.extend(0..100);
        let mut at_moved = Touched::default();
        let mut pages = usize::MAX;
        assert!(touch_spare(&mut moved, &mut at_moved, START, &mut pages, 0));
        // (The same array after a move: its first 100 elements, in memory of its own.)
        let mut elsewhere: Vec<u32> = Vec::with_capacity(50_000);
        elsewhere.extend(0..100);
        let mut pages = usize::MAX;
        assert!(touch_spare(
            &mut elsewhere,
            &mut at_moved,
            START,
            &mut pages,
            0
        ));
        assert_eq!(
            usize::MAX - pages,
            (elsewhere.capacity() - 100).div_ceil(1024)
        );
        assert_eq!(moved.len(), 100);
        // Touched already: nothing left; and an empty or zero-sized array is done at once.
        let mut pages = 5;
        assert!(touch_spare(&mut v, &mut at, START, &mut pages, 0));
        assert_eq!(pages, 5);
        assert!(touch_spare(
            &mut Vec::<u8>::new(),
            &mut Touched::default(),
            START,
            &mut pages,
            0
        ));
        assert!(touch_spare(
            &mut Vec::<()>::with_capacity(5),
            &mut Touched::default(),
            START,
            &mut pages,
            ()
        ));
    }
}
