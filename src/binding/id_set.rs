//! `existingIds`' native part: the table's ids, each live or deleted. Only the JS thread that made it
//! touches it: it is held by its handle and by the two functions of [`id_lookups`], all of which
//! the engine finalizes on that thread (a handle is not transferable between threads or workers),
//! so an `Rc` is enough and its count is never touched elsewhere.

use super::errors::guard;
use super::key_fn::{create_key_fn, Answer, KeyFn};
use crate::core::{CodedError, ErrorCode, HashMapsData, TableIds};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::cell::{RefCell, RefMut};
use std::rc::Rc;
use std::sync::Arc;

pub struct IdSet(RefCell<TableIds>);

impl IdSet {
    pub fn new(state: TableIds) -> Self {
        IdSet(RefCell::new(state))
    }

    /// The state, mutably. No binding function calls JS while holding it, so it is never busy.
    fn state(&self) -> std::result::Result<RefMut<'_, TableIds>, CodedError> {
        self.0.try_borrow_mut().map_err(|_| {
            CodedError::new(
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
    fn answer(&self, key: Option<&[u8]>) -> std::result::Result<Answer<'_>, CodedError> {
        let state = self.0.state()?;
        Ok(Answer::Bool(key.is_some_and(|k| state.has(k))))
    }
}

/// `existingIds.delete`.
struct IdsDelete(Rc<IdSet>);

impl KeyFn for IdsDelete {
    #[inline]
    fn answer(&self, key: Option<&[u8]>) -> std::result::Result<Answer<'_>, CodedError> {
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

/// Deletes every id.
#[napi]
pub fn ids_clear(ids: &External<Rc<IdSet>>) -> Result<(), ErrorCode> {
    guard(|| {
        ids.state()?.clear();
        Ok(())
    })
}

#[napi]
pub fn ids_size(ids: &External<Rc<IdSet>>) -> Result<f64, ErrorCode> {
    guard(|| Ok(ids.state()?.size() as f64))
}

/// Of the ids `indexes` (id indexes of `maps`, as a plan lists them), the positions in `indexes`
/// of those live in the set, each id once; they are deleted from the set when `remove`. Through
/// the id text when the set was made from other maps.
#[napi]
pub fn ids_take_indexes(
    ids: &External<Rc<IdSet>>,
    maps: &External<Arc<HashMapsData>>,
    indexes: Uint32Array,
    remove: bool,
) -> Result<Uint32Array, ErrorCode> {
    guard(|| Ok(ids.state()?.take_indexes(maps, &indexes, remove)?.into()))
}

/// The state, for the page functions.
pub(crate) fn with_state<T>(
    ids: &External<Rc<IdSet>>,
    f: impl FnOnce(&TableIds) -> T,
) -> std::result::Result<T, CodedError> {
    let state = ids.state()?;
    Ok(f(&state))
}
