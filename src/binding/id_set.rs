//! `existingIds`' state: the mutable id set over the frozen ids. Only the JS thread that made it
//! touches it: it is held by its handle and by the two functions of [`id_lookups`], all of which
//! the engine finalizes on that thread (a handle is not transferable between threads or workers),
//! so an `Rc` is enough and its count is never touched elsewhere.

use super::errors::guard;
use super::key_fn::{create_key_fn, Answer, KeyFn};
use super::test_hooks::maybe_panic;
use crate::core::maps::bits::SeenIndexes;
use crate::core::{ErrorCode, HashMapsData, IdSetState, LoadError};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::cell::{RefCell, RefMut};
use std::rc::Rc;
use std::sync::Arc;

pub struct IdSet(RefCell<IdSetState>);

impl IdSet {
    pub fn new(state: IdSetState) -> Self {
        IdSet(RefCell::new(state))
    }

    /// The state, mutably. No binding function calls JS while holding it, so it is never busy.
    fn state(&self) -> std::result::Result<RefMut<'_, IdSetState>, LoadError> {
        self.0.try_borrow_mut().map_err(|_| {
            LoadError::new(
                ErrorCode::Internal,
                "existingIds is already in use (re-entered)",
            )
        })
    }
}

/// `existingIds.has`.
struct IdsHas(Rc<IdSet>);

impl KeyFn for IdsHas {
    #[inline]
    fn answer(&self, key: Option<&[u8]>) -> std::result::Result<Answer<'_>, LoadError> {
        let state = self.0.state()?;
        Ok(Answer::Bool(key.is_some_and(|k| state.has(k))))
    }
}

/// `existingIds.delete`.
struct IdsDelete(Rc<IdSet>);

impl KeyFn for IdsDelete {
    #[inline]
    fn answer(&self, key: Option<&[u8]>) -> std::result::Result<Answer<'_>, LoadError> {
        let mut state = self.0.state()?;
        Ok(Answer::Bool(key.is_some_and(|k| state.delete(k))))
    }
}

/// `{ has, delete }` of `existingIds` as functions that own a count of the set (see
/// [`super::lookups::base_lookups`] for why: they are called once per item). The engine drops
/// those counts on this JS thread ([`create_key_fn`]).
#[napi(ts_return_type = "{ has(key: string): boolean; delete(key: string): boolean }")]
pub fn id_lookups<'env>(env: &'env Env, ids: &External<Rc<IdSet>>) -> Result<Object<'env>> {
    let mut out = Object::new(env)?;
    out.set_named_property("has", create_key_fn(env, "has", IdsHas(Rc::clone(ids)))?)?;
    out.set_named_property(
        "delete",
        create_key_fn(env, "delete", IdsDelete(Rc::clone(ids)))?,
    )?;
    Ok(out)
}

/// Adds `key` (a string of valid Unicode, checked by the JS layer) at the end if absent; `true` if
/// it was added. With `may_compact` (no walk of the set is open), gives back the room of deleted
/// entries when it has grown past the live ones.
#[napi]
pub fn ids_add(ids: &External<Rc<IdSet>>, key: String, may_compact: bool) -> Result<bool> {
    guard(|| {
        let mut state = ids.state()?;
        let before = state.size();
        state.add(&key)?;
        let added = state.size() != before;
        // Only after an add (the JS layer then bumps the version, so every walk reads its page
        // again) and when no walk holds a position after the table's ids (the JS layer counts
        // them): compacting renumbers those. Best effort: a compaction that cannot get memory
        // leaves the set as it was, and the add stands.
        if added && may_compact && state.worth_compacting() {
            maybe_panic("compact");
            let _ = state.compact();
        }
        Ok(added)
    })
}

/// Positions below this are the table's ids, which compacting never moves.
#[napi]
pub fn ids_frozen_len(ids: &External<Rc<IdSet>>) -> Result<f64> {
    guard(|| Ok(ids.state()?.frozen_len() as f64))
}

/// Removes every id.
#[napi]
pub fn ids_clear(ids: &External<Rc<IdSet>>) -> Result<()> {
    guard(|| {
        ids.state()?.clear();
        Ok(())
    })
}

#[napi]
pub fn ids_size(ids: &External<Rc<IdSet>>) -> Result<f64> {
    guard(|| Ok(ids.state()?.size() as f64))
}

/// Of the ids `indexes` (frozen id indexes of `maps`, as a plan lists them), the positions in
/// `indexes` of those in the set, each id once; they are removed from the set when `remove`.
/// Through the id text when the set was made from other maps.
#[napi]
pub fn ids_take_indexes(
    ids: &External<Rc<IdSet>>,
    maps: &External<Arc<HashMapsData>>,
    indexes: Uint32Array,
    remove: bool,
) -> Result<Uint32Array> {
    guard(|| {
        let mut state = ids.state()?;
        let data: &Arc<HashMapsData> = maps;
        let same = state.is_over(data);
        // Every index checked before any is taken: an error leaves the set as it was.
        if let Some(&i) = indexes.iter().find(|&&i| i as usize >= data.id_count()) {
            return Err(LoadError::new(
                ErrorCode::Internal,
                format!("id index {i} is out of range"),
            ));
        }
        let mut seen = SeenIndexes::new(data.id_count(), indexes.len());
        let mut kept = Vec::new();
        for (k, &i) in indexes.iter().enumerate() {
            if !seen.insert(i) {
                continue;
            }
            let present = match (same, remove) {
                (true, true) => state.delete_frozen(i),
                (true, false) => state.has_frozen(i),
                (false, true) => state.delete(data.id(i)),
                (false, false) => state.has(data.id(i)),
            };
            if present {
                kept.push(k as u32);
            }
        }
        Ok(kept.into())
    })
}

/// The state, for the page functions.
pub(crate) fn with_state<T>(
    ids: &External<Rc<IdSet>>,
    f: impl FnOnce(&IdSetState) -> T,
) -> std::result::Result<T, LoadError> {
    let state = ids.state()?;
    Ok(f(&state))
}
