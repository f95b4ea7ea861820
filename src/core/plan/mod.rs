//! A batch's change check against the maps: which items to embed, their sha256, which ids to delete.
//!
//! The items come in *slices* (a few thousand at a time, see [`js_strings`]); each slice is
//! planned on the rayon pool and the slice plans are merged in order.

pub mod js_strings;
pub mod plan_changes;
pub mod sha256;
