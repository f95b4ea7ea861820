//! `baseHashMap`: a read-only `Map<string, string | null>` from base id to the first row's hash.

use super::keys::{ascii_string, fast_key, Key};
use crate::core::text_hash::{hex_lower_bytes, HashRef};
use crate::core::{BaseRef, HashMapsData};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::sync::Arc;

/// Which part of each entry an iterator yields.
#[derive(Clone, Copy)]
pub(crate) enum Part {
    Keys,
    Values,
    Entries,
}

/// Base id → `text_hash` of the first row (in scan order) with that base; `null` where that row's
/// hash is null. Read-only and `Map`-like: `get` returns `undefined` for an absent key, and
/// iteration follows first insertion in scan order, as the JS `Map` the service built.
#[napi(custom_finalize)]
pub struct BaseHashMap {
    pub(crate) data: Arc<HashMapsData>,
    /// Native bytes reported to the JS engine for this object (given back when it is collected).
    pub(crate) external_bytes: i64,
}

impl ObjectFinalize for BaseHashMap {
    fn finalize(self, env: Env) -> Result<()> {
        env.adjust_external_memory(-self.external_bytes)?;
        Ok(())
    }
}

#[napi]
impl BaseHashMap {
    /// Number of distinct base ids.
    #[napi(catch_unwind, getter)]
    pub fn size(&self) -> u32 {
        self.data.base_count() as u32
    }

    /// The hash stored for `key`: a string, `null` for a stored null, `undefined` when absent.
    #[napi(
        catch_unwind,
        ts_args_type = "key: string",
        ts_return_type = "string | null | undefined"
    )]
    pub fn get<'env>(&self, env: &'env Env, key: Unknown) -> Result<Unknown<'env>> {
        let mut buf = [0; 256];
        let raw = unsafe { get_value(env.raw(), &self.data, fast_key(&key, &mut buf))? };
        Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), raw) })
    }

    /// Whether `key` is a base id of the table.
    #[napi(catch_unwind, ts_args_type = "key: string")]
    pub fn has(&self, key: Unknown) -> bool {
        let mut buf = [0; 256];
        has_key(&self.data, fast_key(&key, &mut buf))
    }

    /// Base ids, in insertion order.
    #[napi(catch_unwind, ts_return_type = "MapIterator<string>")]
    pub fn keys(&self) -> BaseHashMapIterator {
        BaseHashMapIterator::new(&self.data, Part::Keys)
    }

    /// Hashes, in insertion order.
    #[napi(catch_unwind, ts_return_type = "MapIterator<string | null>")]
    pub fn values(&self) -> BaseHashMapIterator {
        BaseHashMapIterator::new(&self.data, Part::Values)
    }

    /// `[baseId, hash]` pairs, in insertion order.
    #[napi(catch_unwind, ts_return_type = "MapIterator<[string, string | null]>")]
    pub fn entries(&self) -> BaseHashMapIterator {
        BaseHashMapIterator::new(&self.data, Part::Entries)
    }

    /// Same as `entries()`, so `for (const [baseId, hash] of map)` works.
    #[napi(
        catch_unwind,
        well_known_symbol = "iterator",
        ts_return_type = "MapIterator<[string, string | null]>"
    )]
    pub fn iterator(&self) -> BaseHashMapIterator {
        BaseHashMapIterator::new(&self.data, Part::Entries)
    }

    /// Calls `callbackfn(hash, baseId, map)` for each entry, in insertion order.
    #[napi(
        catch_unwind,
        ts_args_type = "callbackfn: (value: string | null, key: string, map: BaseHashMap) => void, thisArg?: any"
    )]
    pub fn for_each(
        &self,
        this: This,
        callbackfn: Function<FnArgs<(Option<String>, String, Object)>, Unknown>,
        this_arg: Option<Unknown>,
    ) -> Result<()> {
        for base in self.data.bases() {
            let args = (
                self.data.base_hash(base).to_string_opt(),
                self.data.base_key(base).to_owned(),
                this.object,
            );
            call_with_this(&callbackfn, this_arg, args)?;
        }
        Ok(())
    }

    /// A plain JS `Map` with the same entries and order (this copies every entry into JS strings).
    #[napi(catch_unwind, ts_return_type = "Map<string, string | null>")]
    pub fn to_map<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        let (map, set) = new_js_map(env)?;
        for base in self.data.bases() {
            let args = (
                self.data.base_key(base).to_owned(),
                self.data.base_hash(base).to_string_opt(),
            );
            set.apply(map, FnArgs::from(args))?;
        }
        Ok(map)
    }
}

/// What `get` returns for `key` (`None`: not a string key): `value` of its base, or `undefined`
/// when it is no base id. Both maps' `get`, prototype and bound (see [`super::bound`]), go here.
///
/// # Safety
/// `env` must be the current env, on its thread.
pub(crate) unsafe fn base_value(
    env: sys::napi_env,
    data: &HashMapsData,
    key: Option<Key>,
    value: impl FnOnce(BaseRef) -> Result<sys::napi_value>,
) -> Result<sys::napi_value> {
    match key.and_then(|k| data.find_base(&k)) {
        Some(base) => value(base),
        None => unsafe { <()>::to_napi_value(env, ()) },
    }
}

/// `baseHashMap.get`: the hash string, `null`, or `undefined`.
///
/// # Safety
/// As [`base_value`].
pub(crate) unsafe fn get_value(
    env: sys::napi_env,
    data: &HashMapsData,
    key: Option<Key>,
) -> Result<sys::napi_value> {
    unsafe {
        base_value(env, data, key, |base| match data.base_hash(base) {
            HashRef::Digest(d) => ascii_string(env, &hex_lower_bytes(d)),
            HashRef::Null => Null::to_napi_value(env, Null),
            HashRef::Verbatim(s) => <&str>::to_napi_value(env, s),
        })
    }
}

/// `has`'s result for `key` (`None`: not a string key).
pub(crate) fn has_key(data: &HashMapsData, key: Option<Key>) -> bool {
    key.is_some_and(|k| data.find_base(&k).is_some())
}

/// Calls `f` with `this` = `this_arg` (`undefined` when not given, as `Map#forEach` does).
pub(crate) fn call_with_this<'env, A: JsValuesTupleIntoVec>(
    f: &Function<'env, A, Unknown<'env>>,
    this_arg: Option<Unknown<'env>>,
    args: impl Into<A>,
) -> Result<()> {
    match this_arg {
        Some(t) => f.apply(t, args.into())?,
        None => f.apply((), args.into())?,
    };
    Ok(())
}

/// A JS `Map#set` method.
pub(crate) type MapSet<'env, K, V> = Function<'env, FnArgs<(K, V)>, Unknown<'env>>;

/// A new JS `Map` and its `set` method.
pub(crate) fn new_js_map<'env, K: ToNapiValue, V: ToNapiValue>(
    env: &'env Env,
) -> Result<(Object<'env>, MapSet<'env, K, V>)> {
    let ctor: Function<(), Unknown> = env.get_global()?.get_named_property("Map")?;
    let map = ctor.new_instance(())?.coerce_to_object()?;
    let set = map.get_named_property("set")?;
    Ok((map, set))
}

/// One step of a map iterator over bases: the next key, value or `[key, value]`, by `part`.
/// Shared by the iterators of both read-only maps, which differ only in their values.
pub(crate) fn next_item<V>(
    data: &HashMapsData,
    cursor: &mut Option<BaseRef>,
    done: &mut bool,
    part: Part,
    value: impl Fn(BaseRef) -> V,
) -> Option<Either3<String, V, (String, V)>> {
    if *done {
        return None;
    }
    let Some(base) = data.next_base(*cursor) else {
        *done = true;
        return None;
    };
    *cursor = Some(base);
    let key = || data.base_key(base).to_owned();
    Some(match part {
        Part::Keys => Either3::A(key()),
        Part::Values => Either3::B(value(base)),
        Part::Entries => Either3::C((key(), value(base))),
    })
}

/// Iterator over a [`BaseHashMap`] (keys, values or entries). Also iterable itself.
#[napi(iterator)]
pub struct BaseHashMapIterator {
    data: Arc<HashMapsData>,
    cursor: Option<BaseRef>,
    done: bool,
    part: Part,
}

impl BaseHashMapIterator {
    fn new(data: &Arc<HashMapsData>, part: Part) -> Self {
        BaseHashMapIterator {
            data: data.clone(),
            cursor: None,
            done: false,
            part,
        }
    }
}

#[napi]
impl Generator for BaseHashMapIterator {
    /// A key, a value or a `[key, value]` pair, by the method that made the iterator.
    type Yield = Either3<String, Option<String>, (String, Option<String>)>;
    type Next = ();
    type Return = ();

    fn next(&mut self, _value: Option<()>) -> Option<Self::Yield> {
        next_item(
            &self.data,
            &mut self.cursor,
            &mut self.done,
            self.part,
            |b| self.data.base_hash(b).to_string_opt(),
        )
    }

    fn complete(&mut self, _value: Option<()>) -> Option<Self::Yield> {
        self.done = true;
        None
    }
}
