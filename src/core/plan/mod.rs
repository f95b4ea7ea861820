//! A batch's change check against the maps: which items to embed, their sha256, which ids to delete.
//!
//! The items come in *slices* (up to 8,192 at a time): a slice's ids and its texts are each
//! [`joined_strings::JoinedStrings`]. Each slice is planned on the rayon pool and the slice plans
//! are merged in order ([`planner::Planner`]); a small batch is one slice planned on the calling
//! thread ([`planned_batch::plan_direct`]).

pub mod joined_strings;
pub mod plan_changes;
pub mod planned_batch;
pub mod planner;
pub mod sha256;
