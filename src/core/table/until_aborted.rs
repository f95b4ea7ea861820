//! A wait on lance that ends on an abort, or after a time limit on an object store.

use super::load::Control;
use crate::core::error::{CodedError, ErrorCode};

/// How often a wait on lance (the network, for an object store) looks at the abort flag.
const ABORT_POLL: std::time::Duration = std::time::Duration::from_millis(20);

/// `fut`, or `E_ABORTED` as soon as the call is aborted while it waits (a request to an object
/// store may wait for its whole timeout otherwise), or `E_NETWORK` when it waits longer than
/// `limit` (object stores only: lance retries reads on top of the store client's own retries, so
/// a store that stops answering mid-scan could otherwise hold a call for many minutes).
pub(super) async fn until_aborted<T>(
    control: &Control,
    limit: Option<std::time::Duration>,
    fut: impl std::future::Future<Output = T>,
) -> Result<T, CodedError> {
    let started = std::time::Instant::now();
    tokio::pin!(fut);
    loop {
        tokio::select! {
            out = &mut fut => return Ok(out),
            _ = tokio::time::sleep(ABORT_POLL) => {
                control.check()?;
                if let Some(limit) = limit.filter(|l| started.elapsed() > *l) {
                    return Err(CodedError::new(
                        ErrorCode::Network,
                        format!(
                            "the object store did not answer within {} ms (options.waitTimeoutMs)",
                            limit.as_millis()
                        ),
                    ));
                }
            }
        }
    }
}
