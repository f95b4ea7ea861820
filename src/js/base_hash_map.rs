//! `baseHashMap`: a read-only `Map<string, string | null>` from base id to the first row's hash.

use super::keys::string_key;
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
#[napi]
pub struct BaseHashMap {
    pub(crate) data: Arc<HashMapsData>,
}

#[napi]
impl BaseHashMap {
    /// Number of distinct base ids.
    #[napi(getter)]
    pub fn size(&self) -> u32 {
        self.data.base_count() as u32
    }

    /// The hash stored for `key`: a string, `null` for a stored null, `undefined` when absent.
    #[napi(ts_args_type = "key: string", ts_return_type = "string | null | undefined")]
    pub fn get(&self, key: Unknown) -> Either<Option<String>, Undefined> {
        let Some(key) = string_key(&key) else { return Either::B(()) };
        match self.data.find_base(key.as_bytes()) {
            Some(base) => Either::A(self.data.base_hash(base).to_string_opt()),
            None => Either::B(()),
        }
    }

    /// Whether `key` is a base id of the table.
    #[napi(ts_args_type = "key: string")]
    pub fn has(&self, key: Unknown) -> bool {
        string_key(&key).is_some_and(|k| self.data.find_base(k.as_bytes()).is_some())
    }

    /// Base ids, in insertion order.
    #[napi(ts_return_type = "MapIterator<string>")]
    pub fn keys(&self) -> BaseHashMapIterator {
        BaseHashMapIterator::new(&self.data, Part::Keys)
    }

    /// Hashes, in insertion order.
    #[napi(ts_return_type = "MapIterator<string | null>")]
    pub fn values(&self) -> BaseHashMapIterator {
        BaseHashMapIterator::new(&self.data, Part::Values)
    }

    /// `[baseId, hash]` pairs, in insertion order.
    #[napi(ts_return_type = "MapIterator<[string, string | null]>")]
    pub fn entries(&self) -> BaseHashMapIterator {
        BaseHashMapIterator::new(&self.data, Part::Entries)
    }

    /// Same as `entries()`, so `for (const [baseId, hash] of map)` works.
    #[napi(well_known_symbol = "iterator", ts_return_type = "MapIterator<[string, string | null]>")]
    pub fn iterator(&self) -> BaseHashMapIterator {
        BaseHashMapIterator::new(&self.data, Part::Entries)
    }

    /// Calls `callbackfn(hash, baseId, map)` for each entry, in insertion order.
    #[napi(
        ts_args_type = "callbackfn: (value: string | null, key: string, map: BaseHashMap) => void, thisArg?: any"
    )]
    pub fn for_each(
        &self,
        this: This,
        callbackfn: Function<FnArgs<(Option<String>, String, Object)>, Unknown>,
        this_arg: Option<Unknown>,
    ) -> Result<()> {
        let mut cursor = None;
        while let Some(base) = self.data.next_base(cursor) {
            cursor = Some(base);
            let args = (self.data.base_hash(base).to_string_opt(), self.data.base_key(base).to_owned(), this.object);
            callbackfn.apply(this_arg, FnArgs::from(args))?;
        }
        Ok(())
    }

    /// A plain JS `Map` with the same entries and order (this copies every entry into JS strings).
    #[napi(ts_return_type = "Map<string, string | null>")]
    pub fn to_map<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        let (map, set) = new_js_map(env)?;
        let mut cursor = None;
        while let Some(base) = self.data.next_base(cursor) {
            cursor = Some(base);
            let args = (self.data.base_key(base).to_owned(), self.data.base_hash(base).to_string_opt());
            set.apply(map, FnArgs::from(args))?;
        }
        Ok(map)
    }
}

/// A new JS `Map` and its `set` method.
pub(crate) fn new_js_map<'env, K: ToNapiValue, V: ToNapiValue>(
    env: &'env Env,
) -> Result<(Object<'env>, Function<'env, FnArgs<(K, V)>, Unknown<'env>>)> {
    let ctor: Function<(), Object> = env.get_global()?.get_named_property("Map")?;
    let map = ctor.new_instance(())?;
    let set = map.get_named_property("set")?;
    Ok((map, set))
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
        BaseHashMapIterator { data: data.clone(), cursor: None, done: false, part }
    }
}

/// One item of a map iterator: a key, a value or a `[key, value]` pair.
pub enum Item<V> {
    Key(String),
    Value(V),
    Entry(String, V),
}

impl<V: ToNapiValue> ToNapiValue for Item<V> {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        match val {
            Item::Key(k) => String::to_napi_value(env, k),
            Item::Value(v) => V::to_napi_value(env, v),
            Item::Entry(k, v) => <(String, V)>::to_napi_value(env, (k, v)),
        }
    }
}

impl TypeName for Item<Option<String>> {
    fn type_name() -> &'static str {
        "string | null | [string, string | null]"
    }
    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl Generator for BaseHashMapIterator {
    type Yield = Item<Option<String>>;
    type Next = ();
    type Return = ();

    fn next(&mut self, _value: Option<()>) -> Option<Self::Yield> {
        if self.done {
            return None;
        }
        let Some(base) = self.data.next_base(self.cursor) else {
            self.done = true;
            return None;
        };
        self.cursor = Some(base);
        let key = || self.data.base_key(base).to_owned();
        let value = || self.data.base_hash(base).to_string_opt();
        Some(match self.part {
            Part::Keys => Item::Key(key()),
            Part::Values => Item::Value(value()),
            Part::Entries => Item::Entry(key(), value()),
        })
    }

    fn complete(&mut self, _value: Option<()>) -> Option<Self::Yield> {
        self.done = true;
        None
    }
}
