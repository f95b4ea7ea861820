//! `existingChunks`: a read-only `Map<string, string[]>` from base id to every id with that base.

use super::base_hash_map::{base_value, call_with_this, has_key, new_js_map, next_item, Part};
use super::keys::{fast_key, Key};
use crate::core::{BaseRef, HashMapsData};
use napi::bindgen_prelude::*;
use napi_derive::napi;
use std::sync::Arc;

/// Base id → every id with that base, in scan order (an id read twice is listed twice, as the JS
/// loop pushes every row). Read-only and `Map`-like. Each `get` returns a new array: changing it
/// does not change the map.
#[napi(custom_finalize)]
pub struct ExistingChunks {
    pub(crate) data: Arc<HashMapsData>,
    /// Native bytes reported to the JS engine for this object (given back when it is collected).
    pub(crate) external_bytes: i64,
}

impl ObjectFinalize for ExistingChunks {
    fn finalize(self, env: Env) -> Result<()> {
        env.adjust_external_memory(-self.external_bytes)?;
        Ok(())
    }
}

fn chunk_ids(data: &HashMapsData, base: BaseRef) -> Vec<String> {
    data.base_chunks(base)
        .to_vec()
        .into_iter()
        .map(|i| data.id(i).to_owned())
        .collect()
}

/// `existingChunks.get`: a new array of ids, or `undefined`.
///
/// # Safety
/// As [`base_value`].
pub(crate) unsafe fn chunks_value(
    env: sys::napi_env,
    data: &HashMapsData,
    key: Option<Key>,
) -> Result<sys::napi_value> {
    unsafe {
        base_value(env, data, key, |base| {
            Vec::<String>::to_napi_value(env, chunk_ids(data, base))
        })
    }
}

#[napi]
impl ExistingChunks {
    /// Number of distinct base ids.
    #[napi(catch_unwind, getter)]
    pub fn size(&self) -> u32 {
        self.data.base_count() as u32
    }

    /// The ids with base `key`, in scan order; `undefined` when absent.
    #[napi(
        catch_unwind,
        ts_args_type = "key: string",
        ts_return_type = "string[] | undefined"
    )]
    pub fn get<'env>(&self, env: &'env Env, key: Unknown) -> Result<Unknown<'env>> {
        let mut buf = [0; 256];
        let raw = unsafe { chunks_value(env.raw(), &self.data, fast_key(&key, &mut buf))? };
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
    pub fn keys(&self) -> ExistingChunksIterator {
        ExistingChunksIterator::new(&self.data, Part::Keys)
    }

    /// Id lists, in insertion order.
    #[napi(catch_unwind, ts_return_type = "MapIterator<string[]>")]
    pub fn values(&self) -> ExistingChunksIterator {
        ExistingChunksIterator::new(&self.data, Part::Values)
    }

    /// `[baseId, ids]` pairs, in insertion order.
    #[napi(catch_unwind, ts_return_type = "MapIterator<[string, string[]]>")]
    pub fn entries(&self) -> ExistingChunksIterator {
        ExistingChunksIterator::new(&self.data, Part::Entries)
    }

    /// Same as `entries()`.
    #[napi(
        catch_unwind,
        well_known_symbol = "iterator",
        ts_return_type = "MapIterator<[string, string[]]>"
    )]
    pub fn iterator(&self) -> ExistingChunksIterator {
        ExistingChunksIterator::new(&self.data, Part::Entries)
    }

    /// Calls `callbackfn(ids, baseId, map)` for each entry, in insertion order.
    #[napi(
        catch_unwind,
        ts_args_type = "callbackfn: (value: string[], key: string, map: ExistingChunks) => void, thisArg?: any"
    )]
    pub fn for_each(
        &self,
        this: This,
        callbackfn: Function<FnArgs<(Vec<String>, String, Object)>, Unknown>,
        this_arg: Option<Unknown>,
    ) -> Result<()> {
        for base in self.data.bases() {
            let args = (
                chunk_ids(&self.data, base),
                self.data.base_key(base).to_owned(),
                this.object,
            );
            call_with_this(&callbackfn, this_arg, args)?;
        }
        Ok(())
    }

    /// A plain JS `Map` with the same entries and order.
    #[napi(catch_unwind, ts_return_type = "Map<string, string[]>")]
    pub fn to_map<'env>(&self, env: &'env Env) -> Result<Object<'env>> {
        let (map, set) = new_js_map(env)?;
        for base in self.data.bases() {
            set.apply(
                map,
                FnArgs::from((
                    self.data.base_key(base).to_owned(),
                    chunk_ids(&self.data, base),
                )),
            )?;
        }
        Ok(map)
    }
}

/// Iterator over an [`ExistingChunks`] (keys, values or entries).
#[napi(iterator)]
pub struct ExistingChunksIterator {
    data: Arc<HashMapsData>,
    cursor: Option<BaseRef>,
    done: bool,
    part: Part,
}

impl ExistingChunksIterator {
    fn new(data: &Arc<HashMapsData>, part: Part) -> Self {
        ExistingChunksIterator {
            data: data.clone(),
            cursor: None,
            done: false,
            part,
        }
    }
}

#[napi]
impl Generator for ExistingChunksIterator {
    /// A key, an id list or a `[key, ids]` pair, by the method that made the iterator.
    type Yield = Either3<String, Vec<String>, (String, Vec<String>)>;
    type Next = ();
    type Return = ();

    fn next(&mut self, _value: Option<()>) -> Option<Self::Yield> {
        next_item(
            &self.data,
            &mut self.cursor,
            &mut self.done,
            self.part,
            |b| chunk_ids(&self.data, b),
        )
    }

    fn complete(&mut self, _value: Option<()>) -> Option<Self::Yield> {
        self.done = true;
        None
    }
}
