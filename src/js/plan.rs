//! `planChanges`: the service's whole change check for a batch in one native call.

use super::base_hash_map::BaseHashMap;
use super::errors::{from_panic, to_napi};
use super::existing_ids::ExistingIds;
use super::items::{read_items, Items};
use crate::core::hashing::digests;
use crate::core::plan::plan;
use crate::core::text_hash::hex_lower;
use crate::core::{ErrorCode, HashMapsData, IdSetState, LoadError};
use futures::FutureExt;
use napi::bindgen_prelude::*;
use napi::{JsValue, ValueType};
use napi_derive::napi;
use std::cell::RefCell;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::Arc;

/// One item of a batch, as the service's `embedBatch` receives it (declared for TypeScript; read by
/// `items::read_items`).
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

/// What the background part needs (all `Send`).
struct Inputs {
    data: Arc<HashMapsData>,
    items_ids: Vec<String>,
    texts: Vec<String>,
    force_all: bool,
}

/// The id set to update afterwards, on the JS thread.
type IdSet = Option<Rc<RefCell<IdSetState>>>;

fn parse(
    maps: &Unknown,
    items: &Unknown,
    options: Option<&Unknown>,
) -> std::result::Result<(Inputs, IdSet), LoadError> {
    if !matches!(maps.get_type(), Ok(ValueType::Object)) {
        return Err(arg("maps must be the object buildHashMaps resolved with"));
    }
    let env = maps.value().env;
    let obj = unsafe { Object::from_napi_value(env, maps.raw()) }
        .map_err(|e| arg(format!("maps: {e}")))?;
    let base: ClassInstance<BaseHashMap> = obj
        .get_named_property("baseHashMap")
        .map_err(|_| arg("maps.baseHashMap is not the baseHashMap buildHashMaps returned"))?;
    let data = base.data.clone();
    let Items {
        ids: items_ids,
        texts,
    } = read_items(items)?;
    let opts = match options {
        Some(o) if !matches!(o.get_type(), Ok(ValueType::Undefined) | Ok(ValueType::Null)) => {
            if !matches!(o.get_type(), Ok(ValueType::Object)) {
                return Err(arg(
                    "options must be an object { forceAll?, removeFromExistingIds? }",
                ));
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
    Ok((
        Inputs {
            data,
            items_ids,
            texts,
            force_all,
        },
        ids,
    ))
}

/// Plans a batch against the maps of `buildHashMaps`: hashes every item's `contextText || text`
/// (sha256, on every core, off the JS thread), compares it with `baseHashMap` by base id (a stored
/// null never matches), and lists the existing chunk ids of every item to re-embed. Unless
/// `options.removeFromExistingIds` is `false`, those ids are also removed from `maps.existingIds`.
///
/// A standalone function rather than a method of the result, so that the result stays a plain,
/// destructurable object and the change to `existingIds` is explicit at the call site.
/// Rejects with `E_ARG` (code) for malformed arguments.
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
) -> Result<PromiseRaw<'env, ChangePlan>> {
    let parsed =
        std::panic::catch_unwind(AssertUnwindSafe(|| parse(&maps, &items, options.as_ref())))
            .unwrap_or_else(|p| Err(from_panic(p.as_ref())));
    let (inputs, id_set) = match parsed {
        Ok((inputs, id_set)) => (Ok(inputs), id_set),
        Err(e) => (Err(e), None),
    };
    let work = async move {
        let inputs = inputs?;
        let joined = tokio::task::spawn_blocking(move || {
            std::panic::catch_unwind(AssertUnwindSafe(|| {
                let digests = digests(&inputs.texts);
                let ids: Vec<&str> = inputs.items_ids.iter().map(String::as_str).collect();
                let p = plan(&inputs.data, &ids, &digests, inputs.force_all);
                (p, inputs.data)
            }))
            .map_err(|p| from_panic(p.as_ref()))
        })
        .await;
        match joined {
            Ok(r) => r,
            Err(e) => Err(LoadError::new(
                ErrorCode::Internal,
                format!("the planning task failed: {e}"),
            )),
        }
    };
    env.spawn_future_with_callback(work.map(Ok), move |env, outcome| {
        let (p, data) = outcome.map_err(|e| to_napi(env, &e))?;
        let ids_to_delete: Vec<String> = p
            .ids_to_delete
            .iter()
            .map(|&i| data.id(i).to_owned())
            .collect();
        if let Some(set) = id_set {
            let mut set = set.borrow_mut();
            for id in &ids_to_delete {
                set.delete(id);
            }
        }
        Ok(ChangePlan {
            to_embed: p.to_embed,
            hashes: p.hashes.iter().map(hex_lower).collect(),
            skipped: p.skipped,
            ids_to_delete,
        })
    })
}
