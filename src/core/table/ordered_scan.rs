//! Ordered scans of the two columns over ranges of fragments, and the ranges read ahead while an
//! earlier one is passed on: together they give the batches of one scan of the whole table, in
//! its order.

use crate::core::error::CodedError;
use futures::StreamExt;
use lance::table::format::Fragment;

/// Rows per range of fragments at most, unless one fragment has more; and the most rows of a
/// range read ahead that wait in memory, whatever its fragments' size (~15 MB of the two columns
/// of a service's table).
pub(super) const RANGE_ROWS: usize = 1 << 17;

/// The bytes a scan's reads may fetch ahead of its decoding: about two ranges of the two columns
/// of a service's table.
const IO_BUFFER_BYTES: u64 = 32 << 20;

/// `fragments`, in order, cut into at most `n` ranges of about as many rows each (no range
/// empty; one range when there is one fragment).
pub(super) fn fragment_ranges(fragments: Vec<Fragment>, n: usize) -> Vec<Vec<Fragment>> {
    let n = n.min(fragments.len()).max(1);
    let rows = |f: &Fragment| f.physical_rows.unwrap_or(1).max(1);
    let total: usize = fragments.iter().map(rows).sum();
    let mut out: Vec<Vec<Fragment>> = Vec::with_capacity(n);
    let mut current = Vec::new();
    let mut taken = 0usize;
    let count = fragments.len();
    for (i, f) in fragments.into_iter().enumerate() {
        taken += rows(&f);
        current.push(f);
        // Close this range once it holds its share, or when each range left needs one of the
        // fragments left.
        let left = count - i - 1;
        let ranges_left = n - out.len() - 1;
        if ranges_left > 0 && (left == ranges_left || taken * n >= total * (out.len() + 1)) {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// An ordered scan of the two columns over `fragments` (all of them when `None`).
pub(super) async fn ordered_scan(
    ds: &lance::Dataset,
    projection: &[String],
    batch_size: usize,
    fragments: Option<Vec<Fragment>>,
) -> lance::Result<lance::dataset::scanner::DatasetRecordBatchStream> {
    let mut scanner = ds.scan();
    scanner.project(projection)?;
    scanner.batch_size(batch_size);
    // What lance fetches ahead of the decoding, whether or not the batches are taken (2 GiB by
    // default): a range read ahead keeps fetching while its batches wait.
    scanner.io_buffer_size(IO_BUFFER_BYTES);
    if let Some(fragments) = fragments {
        scanner.with_fragments(fragments);
    }
    scanner.try_into_stream().await
}

type Batch = lance::Result<arrow_array::RecordBatch>;

/// A range of fragments being read ahead on the runtime, its batches kept in order until the
/// ranges before it are passed on: at most [`RANGE_ROWS`] decoded rows wait, and lance fetches
/// at most [`IO_BUFFER_BYTES`] ahead of its decoding. Dropped, it stops the read.
pub(super) struct ReadAhead {
    pub(super) batches: tokio::sync::mpsc::Receiver<Batch>,
    task: tokio::task::JoinHandle<()>,
}

impl ReadAhead {
    /// Once its batches have run out: the panic that ended the read early, if one did.
    pub(super) async fn panicked(&mut self) -> Option<CodedError> {
        match (&mut self.task).await {
            Err(e) if e.is_panic() => Some(crate::core::error::from_panic(&*e.into_panic())),
            _ => None,
        }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(super) fn read_ahead(
    ds: lance::Dataset,
    projection: Vec<String>,
    batch_size: usize,
    fragments: Vec<Fragment>,
) -> ReadAhead {
    let (tx, batches) = tokio::sync::mpsc::channel(RANGE_ROWS.div_ceil(batch_size.max(1)));
    let task = tokio::spawn(async move {
        let mut stream = match ordered_scan(&ds, &projection, batch_size, Some(fragments)).await {
            Ok(s) => s,
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
        };
        while let Some(batch) = stream.next().await {
            let failed = batch.is_err();
            // The receiver is gone: the load stopped.
            if tx.send(batch).await.is_err() || failed {
                return;
            }
        }
    });
    ReadAhead { batches, task }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragments(rows: &[usize]) -> Vec<Fragment> {
        rows.iter()
            .enumerate()
            .map(|(i, &r)| {
                let mut f = Fragment::new(i as u64);
                f.physical_rows = Some(r);
                f
            })
            .collect()
    }

    fn ids(ranges: &[Vec<Fragment>]) -> Vec<Vec<u64>> {
        ranges
            .iter()
            .map(|r| r.iter().map(|f| f.id).collect())
            .collect()
    }

    #[test]
    fn ranges_keep_the_order_and_split_by_rows() {
        assert_eq!(
            ids(&fragment_ranges(fragments(&[]), 2)),
            Vec::<Vec<u64>>::new()
        );
        assert_eq!(ids(&fragment_ranges(fragments(&[5]), 4)), [vec![0]]);
        assert_eq!(
            ids(&fragment_ranges(fragments(&[10, 10, 10, 10]), 2)),
            [vec![0, 1], vec![2, 3]]
        );
        assert_eq!(
            ids(&fragment_ranges(fragments(&[30, 5, 5, 5]), 2)),
            [vec![0], vec![1, 2, 3]]
        );
        assert_eq!(
            ids(&fragment_ranges(fragments(&[1, 1, 100]), 3)),
            [vec![0], vec![1], vec![2]]
        );
        assert_eq!(
            ids(&fragment_ranges(fragments(&[10, 10, 10]), 1)),
            [vec![0, 1, 2]]
        );
        // Every fragment once, in order, whatever the sizes.
        for n in 1..6 {
            let sizes: Vec<usize> = (0..23).map(|i| (i * 7919) % 97 + 1).collect();
            let ranges = fragment_ranges(fragments(&sizes), n);
            assert_eq!(ranges.len(), n);
            assert!(ranges.iter().all(|r| !r.is_empty()));
            let all: Vec<u64> = ids(&ranges).concat();
            assert_eq!(all, (0..23).collect::<Vec<u64>>());
        }
    }
}
