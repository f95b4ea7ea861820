//! `existingIds`: a `Set<string>` of every id, with `add`, `delete` and `clear` as on a JS `Set`.

use super::base_hash_map::call_with_this;
use super::keys::{fast_key, string_key, Key};
use crate::core::IdSetState;
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::cell::RefCell;
use std::rc::Rc;

/// Every id of the table, in first-seen scan order. `Set`-like and mutable: `delete` returns
/// `true`/`false` like `Set#delete`, `add` appends (a deleted then re-added id moves to the end), and
/// iterators are live exactly as a JS `Set`'s are.
#[napi(custom_finalize)]
pub struct ExistingIds {
    pub(crate) state: Rc<RefCell<IdSetState>>,
    /// Native bytes reported to the JS engine for this object (given back when it is collected).
    pub(crate) external_bytes: i64,
}

impl ObjectFinalize for ExistingIds {
    fn finalize(self, env: Env) -> Result<()> {
        env.adjust_external_memory(-self.external_bytes)?;
        Ok(())
    }
}

/// Which part an id-set iterator yields: the id, or `[id, id]` as `Set#entries` does.
#[derive(Clone, Copy)]
enum SetPart {
    Values,
    Entries,
}

/// `has`'s result for `key` (`None`: not a string key, or one with a lone surrogate). Shared by
/// the prototype method and the bound one (see [`super::bound`]).
pub(crate) fn has_id(set: &RefCell<IdSetState>, key: Option<Key>) -> bool {
    key.is_some_and(|k| set.borrow().has(&*k))
}

/// `delete`'s result for `key`, as [`has_id`]; removes it when present.
pub(crate) fn delete_id(set: &RefCell<IdSetState>, key: Option<Key>) -> bool {
    key.is_some_and(|k| set.borrow_mut().delete(&*k))
}

#[napi]
impl ExistingIds {
    /// Number of ids in the set.
    #[napi(catch_unwind, getter)]
    pub fn size(&self) -> u32 {
        self.state.borrow().size() as u32
    }

    /// Whether `value` is in the set.
    #[napi(catch_unwind, ts_args_type = "value: string")]
    pub fn has(&self, value: Unknown) -> bool {
        let mut buf = [0; 256];
        has_id(&self.state, fast_key(&value, &mut buf))
    }

    /// Removes `value`; `true` if it was in the set.
    #[napi(catch_unwind, ts_args_type = "value: string")]
    pub fn delete(&self, value: Unknown) -> bool {
        let mut buf = [0; 256];
        delete_id(&self.state, fast_key(&value, &mut buf))
    }

    /// Adds `value` (a string) at the end if absent; returns the set, like `Set#add`.
    #[napi(catch_unwind, ts_args_type = "value: string", ts_return_type = "this")]
    pub fn add<'env>(&self, this: This<'env>, value: Unknown) -> Result<Object<'env>> {
        let Some(v) = string_key(&value) else {
            return Err(Error::new(
                Status::InvalidArg,
                "existingIds holds ids (strings of valid Unicode); add() takes a string without unpaired surrogates",
            ));
        };
        self.state.borrow_mut().add(&v);
        Ok(this.object)
    }

    /// Removes every id.
    #[napi(catch_unwind)]
    pub fn clear(&self) {
        self.state.borrow_mut().clear();
    }

    /// The ids, in insertion order.
    #[napi(catch_unwind, ts_return_type = "SetIterator<string>")]
    pub fn values(&self) -> ExistingIdsIterator {
        ExistingIdsIterator::new(&self.state, SetPart::Values)
    }

    /// Same as `values()`, as on a JS `Set`.
    #[napi(catch_unwind, ts_return_type = "SetIterator<string>")]
    pub fn keys(&self) -> ExistingIdsIterator {
        ExistingIdsIterator::new(&self.state, SetPart::Values)
    }

    /// `[id, id]` pairs, as on a JS `Set`.
    #[napi(catch_unwind, ts_return_type = "SetIterator<[string, string]>")]
    pub fn entries(&self) -> ExistingIdsIterator {
        ExistingIdsIterator::new(&self.state, SetPart::Entries)
    }

    /// Same as `values()`, so `for (const id of set)` works.
    #[napi(
        catch_unwind,
        well_known_symbol = "iterator",
        ts_return_type = "SetIterator<string>"
    )]
    pub fn iterator(&self) -> ExistingIdsIterator {
        ExistingIdsIterator::new(&self.state, SetPart::Values)
    }

    /// Calls `callbackfn(id, id, set)` for each id, in insertion order (live, like `Set#forEach`).
    #[napi(
        catch_unwind,
        ts_args_type = "callbackfn: (value: string, value2: string, set: ExistingIds) => void, thisArg?: any"
    )]
    pub fn for_each(
        &self,
        this: This,
        callbackfn: Function<FnArgs<(String, String, Object)>, Unknown>,
        this_arg: Option<Unknown>,
    ) -> Result<()> {
        let mut pos = 0;
        loop {
            // The borrow ends before the callback runs, so the callback may change the set.
            let Some((p, id)) = self
                .state
                .borrow()
                .next_from(pos)
                .map(|(p, id)| (p, id.to_owned()))
            else {
                return Ok(());
            };
            pos = p + 1;
            call_with_this(&callbackfn, this_arg, (id.clone(), id, this.object))?;
        }
    }

    /// A plain JS `Set` with the same ids and order.
    #[napi(catch_unwind, ts_return_type = "Set<string>")]
    pub fn to_set<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        let ctor: Function<(), Unknown> = env.get_global()?.get_named_property("Set")?;
        let set = ctor.new_instance(())?.coerce_to_object()?;
        let add: Function<String, Unknown> = set.get_named_property("add")?;
        // Copied out first: no borrow may be held while JS runs (a patched Set#add could call back).
        let ids: Vec<String> = {
            let state = self.state.borrow();
            let mut ids = Vec::with_capacity(state.size());
            let mut pos = 0;
            while let Some((p, id)) = state.next_from(pos) {
                pos = p + 1;
                ids.push(id.to_owned());
            }
            ids
        };
        for id in ids {
            add.apply(set, id)?;
        }
        Ok(set)
    }
}

/// Live iterator over an [`ExistingIds`].
#[napi(iterator)]
pub struct ExistingIdsIterator {
    state: Rc<RefCell<IdSetState>>,
    pos: usize,
    done: bool,
    part: SetPart,
}

impl ExistingIdsIterator {
    fn new(state: &Rc<RefCell<IdSetState>>, part: SetPart) -> Self {
        ExistingIdsIterator {
            state: state.clone(),
            pos: 0,
            done: false,
            part,
        }
    }
}

#[napi]
impl Generator for ExistingIdsIterator {
    /// An id, or `[id, id]` for `entries()`.
    type Yield = Either<String, (String, String)>;
    type Next = ();
    type Return = ();

    fn next(&mut self, _value: Option<()>) -> Option<Self::Yield> {
        if self.done {
            return None;
        }
        let state = self.state.borrow();
        let Some((p, id)) = state.next_from(self.pos) else {
            self.done = true;
            return None;
        };
        self.pos = p + 1;
        Some(match self.part {
            SetPart::Values => Either::A(id.to_owned()),
            SetPart::Entries => Either::B((id.to_owned(), id.to_owned())),
        })
    }

    fn complete(&mut self, _value: Option<()>) -> Option<Self::Yield> {
        self.done = true;
        None
    }
}
