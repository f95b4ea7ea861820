//! Page faults taken while the builder would wait anyway: writing one element per 4 KiB page of
//! an array's reserved, still unused capacity makes the kernel map that page now, so the rows that
//! fill it later do not stop for it. A cold load takes ~7,000 such faults in the builder's arrays
//! (bench/README.md, "The cold path").

const PAGE: usize = 4096;

/// Where the touching of one array has got to: an element index.
#[derive(Default, Clone, Copy)]
pub struct Touched(usize);

/// Touches the pages of `v`'s spare capacity from `at` (or `v`'s length, if further) on, at most
/// `*pages` of them, taking what it used from `*pages`. True once the whole capacity is touched.
/// The values written are never read: the elements stay outside `v`'s length.
pub fn touch_spare<T: Copy>(v: &mut Vec<T>, at: &mut Touched, pages: &mut usize, zero: T) -> bool {
    if size_of::<T>() == 0 {
        return true; // no memory behind it
    }
    let stride = (PAGE / size_of::<T>()).max(1);
    let len = v.len();
    let spare = v.spare_capacity_mut();
    let mut i = at.0.max(len);
    while i < len + spare.len() {
        if *pages == 0 {
            at.0 = i;
            return false;
        }
        // black_box: the write must happen although nothing reads it.
        std::hint::black_box(spare[i - len].write(zero));
        *pages -= 1;
        i += stride;
    }
    at.0 = i;
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touches_each_page_of_the_spare_capacity_once_and_changes_nothing_visible() {
        let mut v: Vec<u32> = Vec::with_capacity(10_000);
        v.extend(0..100);
        let mut at = Touched::default();
        let mut steps = 0;
        loop {
            let mut pages = 3;
            let done = touch_spare(&mut v, &mut at, &mut pages, 0);
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
        // Touched already: nothing left; and an empty or zero-sized array is done at once.
        let mut pages = 5;
        assert!(touch_spare(&mut v, &mut at, &mut pages, 0));
        assert_eq!(pages, 5);
        assert!(touch_spare(
            &mut Vec::<u8>::new(),
            &mut Touched::default(),
            &mut pages,
            0
        ));
        assert!(touch_spare(
            &mut Vec::<()>::with_capacity(5),
            &mut Touched::default(),
            &mut pages,
            ()
        ));
    }
}
