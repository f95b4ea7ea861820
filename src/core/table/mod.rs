//! Reading a table: where it is, opening it read-only, scanning two string columns in scan order.

pub mod columns;
pub mod lance_error;
pub mod load;
#[cfg(target_os = "linux")]
pub mod local_table;
pub mod locate;
pub mod missing_warning;
#[cfg(target_os = "linux")]
mod nowait_read;
mod ordered_scan;
#[cfg(target_os = "linux")]
pub mod page_cache_reads;
mod remote_options;
pub mod scan;
mod scan_errors;
pub mod store_answer;
mod until_aborted;
