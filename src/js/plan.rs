//! `planChanges`: the service's whole change check for a batch in one native call.

use super::base_hash_map::BaseHashMap;
use super::errors::{from_panic, to_napi};
use super::existing_ids::ExistingIds;
use super::items::{read_items, Items};
use super::packed_items::{read_items_packed, Packed};
use super::plan_result::{plan_to_js, Prepared};
use super::script::RawValue;
use crate::core::hashing::digests;
use crate::core::plan::{merge, plan, plan_chunk_js, ChunkPlan, Plan};
use crate::core::utf16::JsStrings;
use crate::core::{ErrorCode, HashMapsData, IdSetState, LoadError};
use futures::FutureExt;
use napi::bindgen_prelude::*;
use napi::{JsValue, ValueType};
use napi_derive::napi;
use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::Arc;

/// One item of a batch, as the service's `embedBatch` receives it. Declared for TypeScript; read in
/// bulk by a small compiled JS function (`packed_items.rs`), or one by one (`items::read_items`).
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct PlanItem {
    /// The item's id; its base id (see `getBaseId`) is looked up in `baseHashMap`.
    pub id: String,
    /// The text to embed.
    pub text: String,
    /// When present and non-empty, hashed instead of `text` (the service hashes `contextText || text`).
    pub context_text: Option<String>,
}

/// Options of `planChanges`.
#[napi(object, object_to_js = false)]
pub struct PlanOptions {
    /// Embed every item, whatever its stored hash (the service's force flag). Default `false`.
    pub force_all: Option<bool>,
    /// Remove `idsToDelete` from `maps.existingIds` (default `true`), so that later
    /// `existingIds.has` checks agree with the rows the caller is about to delete.
    pub remove_from_existing_ids: Option<bool>,
}

/// What to do with a batch.
#[napi(object, object_from_js = false)]
pub struct ChangePlan {
    /// Indexes into `items` of the items to embed (new or changed), in item order.
    pub to_embed: Vec<u32>,
    /// The sha256 (lowercase hex) of each `toEmbed` item's `contextText || text`, same order.
    pub hashes: Vec<String>,
    /// Items whose stored hash equals their hash: nothing to do.
    pub skipped: u32,
    /// Existing ids to delete before inserting the new embeddings: for each distinct base id of the
    /// items to embed (first-appearance order), its chunk ids from `existingChunks`, in scan order.
    pub ids_to_delete: Vec<String>,
}

fn arg(msg: impl Into<String>) -> LoadError {
    LoadError::new(ErrorCode::Arg, msg)
}

/// The plan of one chunk of items, computed on the rayon pool.
type PendingChunk = tokio::sync::oneshot::Receiver<std::result::Result<ChunkPlan, LoadError>>;

/// The items, as read on the JS thread.
enum ItemsIn {
    /// Read through the packer; each chunk is planned while later chunks are read.
    Packed(Vec<PendingChunk>),
    /// Read one by one (the packer declined): hashed and looked up afterwards.
    Plain(Items),
}

/// Starts planning one chunk of packed items on the rayon pool.
fn spawn_chunk(
    data: &Arc<HashMapsData>,
    ids: JsStrings,
    texts: JsStrings,
    force_all: bool,
) -> PendingChunk {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let data = data.clone();
    rayon::spawn(move || {
        // A panic must not unwind out of a rayon job: rayon would abort the process.
        let facts = std::panic::catch_unwind(AssertUnwindSafe(|| {
            plan_chunk_js(&data, &ids, &texts, force_all)
        }))
        .map_err(|p| from_panic(p.as_ref()));
        let _ = tx.send(facts);
    });
    rx
}

type Planned = std::result::Result<(Plan, Arc<HashMapsData>), LoadError>;

impl ItemsIn {
    /// The plan, computed off the JS thread.
    async fn plan(self, data: Arc<HashMapsData>, force_all: bool) -> Planned {
        match self {
            ItemsIn::Packed(chunks) => {
                let mut parts = Vec::with_capacity(chunks.len());
                for chunk in chunks {
                    parts.push(chunk.await.map_err(|_| {
                        LoadError::new(
                            ErrorCode::Internal,
                            "a planning task ended without a result",
                        )
                    })??);
                }
                Ok((merge(&data, &parts), data))
            }
            ItemsIn::Plain(Items { ids, texts }) => {
                let joined = tokio::task::spawn_blocking(move || {
                    std::panic::catch_unwind(AssertUnwindSafe(|| {
                        let digests = digests(&texts);
                        let ids: Vec<Option<&str>> = ids.iter().map(Option::as_deref).collect();
                        (plan(&data, &ids, &digests, force_all), data)
                    }))
                    .map_err(|p| from_panic(p.as_ref()))
                })
                .await;
                joined.unwrap_or_else(|e| {
                    Err(LoadError::new(
                        ErrorCode::Internal,
                        format!("the planning task failed: {e}"),
                    ))
                })
            }
        }
    }
}

/// What the background part needs (all `Send`).
struct Inputs {
    data: Arc<HashMapsData>,
    items: ItemsIn,
    force_all: bool,
}

/// The id set to update afterwards, on the JS thread.
type IdSet = Option<Rc<RefCell<IdSetState>>>;

/// Why the arguments could not be taken.
enum Refused {
    Invalid(LoadError),
    /// Reading the items threw this JS value (e.g. from a getter): the promise rejects with it.
    Threw(sys::napi_value),
}

impl From<LoadError> for Refused {
    fn from(e: LoadError) -> Self {
        Refused::Invalid(e)
    }
}

fn parse(
    maps: &Unknown,
    items: &Unknown,
    options: Option<&Unknown>,
) -> std::result::Result<(Inputs, IdSet), Refused> {
    if !matches!(maps.get_type(), Ok(ValueType::Object)) {
        return Err(arg("maps must be the object buildHashMaps resolved with").into());
    }
    let env = maps.value().env;
    let obj = unsafe { Object::from_napi_value(env, maps.raw()) }
        .map_err(|e| arg(format!("maps: {e}")))?;
    let base: ClassInstance<BaseHashMap> = obj
        .get_named_property("baseHashMap")
        .map_err(|_| arg("maps.baseHashMap is not the baseHashMap buildHashMaps returned"))?;
    let data = base.data.clone();
    let opts = match options {
        Some(o) if !matches!(o.get_type(), Ok(ValueType::Undefined) | Ok(ValueType::Null)) => {
            if !matches!(o.get_type(), Ok(ValueType::Object)) {
                return Err(
                    arg("options must be an object { forceAll?, removeFromExistingIds? }").into(),
                );
            }
            Some(
                unsafe { PlanOptions::from_napi_value(env, o.raw()) }
                    .map_err(|e| arg(format!("options: {e}")))?,
            )
        }
        _ => None,
    };
    let remove = opts
        .as_ref()
        .and_then(|o| o.remove_from_existing_ids)
        .unwrap_or(true);
    let ids = if remove {
        let set: ClassInstance<ExistingIds> = obj
            .get_named_property("existingIds")
            .map_err(|_| arg("maps.existingIds is not the existingIds buildHashMaps returned"))?;
        Some(set.state.clone())
    } else {
        None
    };
    let force_all = opts.and_then(|o| o.force_all).unwrap_or(false);
    // Options first: chunks start being planned while the items are read.
    let mut chunks = Vec::new();
    // LANCE_HASHMAPS_NO_PACKER=1 reads items one by one: how the tests reach that path.
    let packed = if std::env::var_os("LANCE_HASHMAPS_NO_PACKER").is_some() {
        Packed::Declined
    } else {
        read_items_packed(items, |ids, texts| {
            chunks.push(spawn_chunk(&data, ids, texts, force_all));
        })?
    };
    let items = match packed {
        Packed::Done => ItemsIn::Packed(chunks),
        Packed::Declined => ItemsIn::Plain(read_items(items)?),
        Packed::Threw(value) => return Err(Refused::Threw(value)),
    };
    Ok((
        Inputs {
            data,
            items,
            force_all,
        },
        ids,
    ))
}

/// A promise already rejected with `reason`.
fn rejected<'env>(env: &'env Env, reason: sys::napi_value) -> Result<PromiseRaw<'env, RawValue>> {
    let mut deferred = std::ptr::null_mut();
    let mut promise = std::ptr::null_mut();
    check_status!(unsafe { sys::napi_create_promise(env.raw(), &mut deferred, &mut promise) })?;
    check_status!(unsafe { sys::napi_reject_deferred(env.raw(), deferred, reason) })?;
    Ok(PromiseRaw::new(env.raw(), promise))
}

/// Plans a batch against the maps of `buildHashMaps`: hashes every item's `contextText || text`
/// (sha256, on every core, off the JS thread), compares it with `baseHashMap` by base id (a stored
/// null never matches), and lists the existing chunk ids of every item to re-embed. Unless
/// `options.removeFromExistingIds` is `false`, those ids are also removed from `maps.existingIds`.
///
/// A standalone function rather than a method of the result, so that the result stays a plain,
/// destructurable object and the change to `existingIds` is explicit at the call site.
/// Rejects with `E_ARG` (code) for malformed arguments, and with the thrown value itself when
/// reading an item throws (a getter, a Proxy), as the service's own loop would.
#[napi(
    catch_unwind,
    ts_args_type = "maps: HashMaps, items: PlanItem[], options?: PlanOptions",
    ts_return_type = "Promise<ChangePlan>"
)]
pub fn plan_changes<'env>(
    env: &'env Env,
    maps: Unknown<'env>,
    items: Unknown<'env>,
    options: Option<Unknown<'env>>,
) -> Result<PromiseRaw<'env, RawValue>> {
    let parsed =
        std::panic::catch_unwind(AssertUnwindSafe(|| parse(&maps, &items, options.as_ref())))
            .unwrap_or_else(|p| Err(Refused::Invalid(from_panic(p.as_ref()))));
    let (inputs, id_set) = match parsed {
        Ok((inputs, id_set)) => (Ok(inputs), id_set),
        Err(Refused::Invalid(e)) => (Err(e), None),
        Err(Refused::Threw(value)) => return rejected(env, value),
    };
    let work = async move {
        let inputs = inputs?;
        let (plan, data) = inputs.items.plan(inputs.data, inputs.force_all).await?;
        // Hex and id text laid out here, off the JS thread.
        Ok((Prepared::new(plan, &data), data))
    };
    env.spawn_future_with_callback(work.map(Ok), move |env, outcome| {
        let (p, data) = outcome.map_err(|e| to_napi(env, &e))?;
        // Build the result first: if that fails, existingIds stays as it was.
        let result = plan_to_js(env, &p, &data)?;
        let p = &p.plan;
        if let Some(set) = id_set {
            let mut set = set.borrow_mut();
            if set.is_over(&data) {
                for &i in &p.ids_to_delete {
                    set.delete_frozen(i);
                }
            } else {
                // existingIds of another buildHashMaps result: go by the id text.
                for &i in &p.ids_to_delete {
                    set.delete(data.id(i));
                }
            }
        }
        Ok(result)
    })
}
