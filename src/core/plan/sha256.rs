//! sha256 of texts, as lowercase hex or raw digests; large batches use every core.

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// The pool [`digests`] hashes on: its own, so that a caller that waits for it (`hashTexts`, on
/// the JS thread) never waits behind other work queued on the global pool (a `planChanges`'
/// slices). `None` if the system gives no threads: the batch is then hashed on the caller's.
static POOL: LazyLock<Option<rayon::ThreadPool>> = LazyLock::new(|| {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("lance-hashmaps-sha256-{i}"))
        .build()
        .ok()
});

/// Below this many texts, hashing on the calling thread beats handing work to the pool.
const PARALLEL_MIN: usize = 512;

/// sha256 of the UTF-8 bytes of `text`.
#[inline]
pub fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// Digests of every text, in order; in parallel for large batches (on [`POOL`]).
pub fn digests<S: AsRef<str> + Sync>(texts: &[S]) -> Vec<[u8; 32]> {
    match &*POOL {
        Some(pool) if texts.len() >= PARALLEL_MIN => pool.install(|| {
            texts
                .par_iter()
                .with_min_len(256)
                .map(|t| digest(t.as_ref()))
                .collect()
        }),
        _ => texts.iter().map(|t| digest(t.as_ref())).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_batch_does_not_wait_for_the_global_pool() {
        // Every thread of the global pool busy until the batch is hashed: had `digests` queued its
        // work there, it would wait forever.
        let threads = rayon::current_num_threads();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let released = std::sync::Arc::new(std::sync::Mutex::new(released));
        let (started, all_started) = std::sync::mpsc::channel();
        for _ in 0..threads {
            let (released, started) = (released.clone(), started.clone());
            rayon::spawn(move || {
                started.send(()).unwrap();
                let _ = released.lock().unwrap().recv();
            });
        }
        // At least one waits on the lock, the others on it too: all are busy once each started.
        for _ in 0..threads {
            all_started.recv().unwrap();
        }
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let texts: Vec<String> = (0..PARALLEL_MIN * 4).map(|i| format!("text {i}")).collect();
            done.send(digests(&texts).len()).unwrap();
        });
        let hashed = finished.recv_timeout(std::time::Duration::from_secs(20));
        for _ in 0..threads {
            let _ = release.send(());
        }
        assert_eq!(hashed, Ok(PARALLEL_MIN * 4));
    }
    use crate::core::maps::text_hash::hex_lower;

    #[test]
    fn known_vectors() {
        assert_eq!(
            hex_lower(&digest("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex_lower(&digest("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex_lower(&digest("\u{FFFD}")),
            hex_lower(&Sha256::digest([0xEF, 0xBF, 0xBD]).into())
        );
    }

    #[test]
    fn parallel_equals_sequential() {
        let texts: Vec<String> = (0..5000).map(|i| format!("text {i} ü")).collect();
        let seq: Vec<[u8; 32]> = texts.iter().map(|t| digest(t)).collect();
        assert_eq!(digests(&texts), seq);
    }
}
