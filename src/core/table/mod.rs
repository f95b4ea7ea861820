//! Reading a table: where it is, opening it read-only, scanning two string columns in scan order.

pub mod columns;
pub mod lance_error;
pub mod load;
pub mod locate;
pub mod missing_warning;
pub mod scan;
pub mod store_answer;
