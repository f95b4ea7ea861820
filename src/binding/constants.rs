//! Constants the JS layer and the binding share, exported so that JS reads them from here
//! (`js/internal.js`) instead of writing them a second time.

use napi_derive::napi;

/// Entries a page of a walk holds at most, when a whole page is asked for (`js/map-view.js`,
/// `js/ids-iterator.js`): enough to make a walk a few dozen native calls for 450k ids.
#[napi]
pub const PAGE_ENTRIES: u32 = 8192;

/// The length a page gives a null text hash (it has no text).
#[napi]
pub const NULL_HASH_LEN: u32 = u32::MAX;

/// The length a page of `existingChunks` gives an id that is its entry's key itself (an id with no
/// chunk suffix): the id has no text of its own in the page, and the reader takes the key.
#[napi]
pub const SAME_AS_KEY_LEN: u32 = u32::MAX;
