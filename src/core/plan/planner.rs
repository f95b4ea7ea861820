//! One batch planned slice by slice: each slice [`Planner::add`]ed is planned on the rayon pool at
//! once, while the caller packs the next; [`Planner::finish`] waits for every slice in order and
//! merges them; [`Planner::cancel`] gives the batch up.

use super::planned_batch::{bad, planned_batch, planned_slice, PlannedBatch, PlannedSlice, Slice};
use crate::core::error::from_panic;
use crate::core::{CodedError, ErrorCode, HashMapsData};
use futures::FutureExt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Called with the name of each site a planner's work reaches (`"plan-slice"`, a slice on the
/// pool; `"plan-finish"`, the merge on the pool), so that a test can make it panic there. A plain
/// `fn` (no state, nothing to lock): [`no_hook`] when there is no test.
pub type SiteHook = fn(&str);

/// The [`SiteHook`] that does nothing.
pub fn no_hook(_site: &str) {}

type OnPool<T> = tokio::sync::oneshot::Receiver<Result<T, CodedError>>;

/// Runs `work` on the rayon pool; its result (a panic as `E_INTERNAL`: none may unwind out of a
/// rayon task, rayon would abort the process) comes through the receiver.
fn on_pool<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, CodedError> + Send + 'static,
) -> OnPool<T> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        let done = std::panic::catch_unwind(AssertUnwindSafe(work))
            .unwrap_or_else(|p| Err(from_panic(p.as_ref())));
        let _ = tx.send(done);
    });
    rx
}

/// What a receiver of [`on_pool`] gives, or an error if its task ended without a result.
async fn from_pool<T>(rx: OnPool<T>) -> Result<T, CodedError> {
    rx.await.map_err(|_| {
        CodedError::new(
            ErrorCode::Internal,
            "a planning task ended without a result",
        )
    })?
}

/// One batch in progress: owned by one caller (its methods take `&mut self`), and `Send`.
pub struct Planner {
    data: Arc<HashMapsData>,
    force_all: bool,
    /// The slices handed to the pool, in order; `None` once finished or cancelled.
    pending: Option<Vec<OnPool<PlannedSlice>>>,
    /// Set by [`Planner::cancel`]: slices not started yet are not planned.
    cancelled: Arc<AtomicBool>,
    hook: SiteHook,
}

impl Planner {
    /// A batch over `data` (`force_all`: every item is to embed, changed or not).
    pub fn new(data: Arc<HashMapsData>, force_all: bool, hook: SiteHook) -> Self {
        Planner {
            data,
            force_all,
            pending: Some(Vec::new()),
            cancelled: Arc::new(AtomicBool::new(false)),
            hook,
        }
    }

    /// Adds a slice and starts planning it on the pool; `E_INTERNAL` once the batch was finished
    /// or cancelled.
    pub fn add(&mut self, slice: Slice) -> Result<(), CodedError> {
        let task = self.slice_task(slice);
        let Some(pending) = self.pending.as_mut() else {
            return Err(bad("the plan was already finished"));
        };
        pending.push(on_pool(task));
        Ok(())
    }

    /// What plans `slice` on the pool: nothing once the batch is cancelled.
    fn slice_task(
        &self,
        slice: Slice,
    ) -> impl FnOnce() -> Result<PlannedSlice, CodedError> + Send + 'static {
        let (data, force_all, hook) = (self.data.clone(), self.force_all, self.hook);
        let cancelled = self.cancelled.clone();
        move || {
            if cancelled.load(Ordering::Relaxed) {
                return Err(bad("the call was given up"));
            }
            hook("plan-slice");
            planned_slice(&data, &slice, force_all, true)
        }
    }

    /// Gives the batch up (the caller found a bad item after some slices were added): slices not
    /// started are not planned, and the results of the others are dropped as they come. A later
    /// [`Planner::add`] fails and a later [`Planner::finish`] gives an empty plan.
    pub fn cancel(&mut self) {
        self.cancelled.store(true, Ordering::Relaxed);
        self.pending.take();
    }

    /// The plan of every slice added, in order, merged (the ids to delete put into pieces on the
    /// pool too: no long work on the thread that polls). The future owns everything it holds,
    /// all `Send`; it never panics (a panic anywhere is `E_INTERNAL`). Once finished, the batch
    /// takes no more slices, and finishing it again gives an empty plan.
    pub fn finish(
        &mut self,
    ) -> impl Future<Output = Result<PlannedBatch, CodedError>> + Send + 'static {
        let slices = self.pending.take().unwrap_or_default();
        let (data, hook) = (self.data.clone(), self.hook);
        let cancelled = self.cancelled.clone();
        AssertUnwindSafe(async move {
            let mut parts = Vec::with_capacity(slices.len());
            let mut hex = Vec::new();
            for slice in slices {
                let (part, part_hex) = match from_pool(slice).await {
                    Ok(planned) => planned,
                    Err(e) => {
                        // The batch fails: the slices not started yet are not planned for nothing.
                        cancelled.store(true, Ordering::Relaxed);
                        return Err(e);
                    }
                };
                parts.push(part);
                hex.extend(part_hex);
            }
            from_pool(on_pool(move || {
                hook("plan-finish");
                planned_batch(&data, &parts, hex, true)
            }))
            .await
        })
        .catch_unwind()
        .map(|done| done.unwrap_or_else(|p| Err(from_panic(p.as_ref()))))
    }
}

#[cfg(test)]
mod tests {
    use super::super::planned_batch::plan_direct;
    use super::super::planned_batch::tests::{ids_of, items, maps, slice};
    use super::*;
    use futures::executor::block_on;

    fn panic_at_slice(site: &str) {
        if site == "plan-slice" {
            panic!("panic at {site}");
        }
    }

    fn panic_at_finish(site: &str) {
        if site == "plan-finish" {
            panic!("panic at {site}");
        }
    }

    /// The hashes of a batch as one text (a slice's last piece may hold fewer than 64).
    fn hex(batch: &PlannedBatch) -> String {
        batch.hex.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn slices_planned_in_order_equal_the_one_shot_plan() {
        let data = Arc::new(maps(30_000));
        // Enough changed bases that the ids to delete take more than one task (IDS_PER_TASK).
        let items = items(25_000);
        for force_all in [false, true] {
            let whole = plan_direct(&data, &slice(&items), force_all).unwrap();
            assert!(whole.plan.ids_to_delete.len() > 1 << 14 || !force_all);
            for sizes in [vec![25_000], vec![1, 999, 8192, 8192, 7616], vec![5000; 5]] {
                let mut planner = Planner::new(data.clone(), force_all, no_hook);
                let mut at = 0;
                for n in sizes {
                    planner.add(slice(&items[at..at + n])).unwrap();
                    at += n;
                }
                let batch = block_on(planner.finish()).unwrap();
                assert_eq!(batch.plan, whole.plan);
                assert_eq!(hex(&batch), hex(&whole));
                assert_eq!(batch.id_lens, whole.id_lens);
                assert_eq!(ids_of(&batch), ids_of(&whole));
                // Finished: no more slices, and finishing again plans nothing.
                let err = planner.add(slice(&items[..1])).unwrap_err();
                assert_eq!(err.message, "planChanges: the plan was already finished");
                assert_eq!(block_on(planner.finish()).unwrap(), PlannedBatch::default());
            }
        }
    }

    #[test]
    fn an_empty_planner_finishes_with_an_empty_plan() {
        let mut planner = Planner::new(Arc::new(maps(10)), false, no_hook);
        assert_eq!(block_on(planner.finish()).unwrap(), PlannedBatch::default());
    }

    #[test]
    fn cancel_drops_the_slices_and_plans_none_not_started() {
        let data = Arc::new(maps(100));
        let mut planner = Planner::new(data.clone(), false, panic_at_slice);
        // A slice not started when the batch is cancelled is not planned (it would panic here).
        let task = planner.slice_task(slice(&items(50)));
        planner.cancel();
        let err = task().err().unwrap();
        assert_eq!(err.message, "planChanges: the call was given up");
        // Slices already added are dropped: the batch takes no more and finishes empty.
        let mut planner = Planner::new(data, false, no_hook);
        planner.add(slice(&items(50))).unwrap();
        planner.add(slice(&items(70))).unwrap();
        planner.cancel();
        assert!(planner.pending.is_none());
        let err = planner.add(slice(&items(5))).unwrap_err();
        assert_eq!(err.code, ErrorCode::Internal);
        assert_eq!(block_on(planner.finish()).unwrap(), PlannedBatch::default());
    }

    #[test]
    fn a_panic_on_the_pool_is_an_internal_error_and_the_maps_stay_usable() {
        let data = Arc::new(maps(100));
        for (hook, in_slice) in [(panic_at_slice as SiteHook, true), (panic_at_finish, false)] {
            let mut planner = Planner::new(data.clone(), false, hook);
            planner.add(slice(&items(50))).unwrap();
            planner.add(slice(&items(20))).unwrap();
            let err = block_on(planner.finish()).unwrap_err();
            assert_eq!(err.code, ErrorCode::Internal);
            assert!(err
                .message
                .starts_with("internal error (a bug in lance-hashmaps"));
            assert!(err.message.contains("panic at plan-"), "{}", err.message);
            // The batch failed: a slice that had not started is not planned any more.
            assert_eq!(planner.cancelled.load(Ordering::Relaxed), in_slice);
        }
        let mut planner = Planner::new(data.clone(), false, panic_at_slice);
        planner.add(slice(&items(50))).unwrap();
        let late = planner.slice_task(slice(&items(5)));
        block_on(planner.finish()).unwrap_err();
        assert_eq!(
            late().err().unwrap().message,
            "planChanges: the call was given up"
        );
        let mut planner = Planner::new(data.clone(), false, no_hook);
        planner.add(slice(&items(50))).unwrap();
        let batch = block_on(planner.finish()).unwrap();
        assert_eq!(
            batch,
            plan_direct(&data, &slice(&items(50)), false).unwrap()
        );
    }
}
