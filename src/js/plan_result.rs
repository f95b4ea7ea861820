//! Hands a [`Plan`] to JS. Creating each index, hash and id with its own napi calls (about
//! 350k calls for a 430k-item batch with 10% changes) took as long as planning; instead the
//! addon makes five values (two `Uint32Array`s, the hashes as one string, the ids as one
//! string, the count) and a small JS function slices them into the result's arrays.

use super::keys::ascii_string;
use super::plan::ChangePlan;
use super::script::{self, RawValue};
use crate::core::plan::Plan;
use crate::core::text_hash::{hex_lower, hex_lower_bytes};
use crate::core::HashMapsData;
use napi::bindgen_prelude::*;
use std::ptr;

const UNPACKER: &str = r#"(function unpackPlan(toEmbed, hex, skipped, ids, idLens) {
  "use strict";
  const n = toEmbed.length, embed = new Array(n), hashes = new Array(n);
  for (let i = 0; i < n; i++) {
    embed[i] = toEmbed[i];
    hashes[i] = hex.slice(i * 64, i * 64 + 64);
  }
  const m = idLens.length, idsToDelete = new Array(m);
  for (let i = 0, p = 0; i < m; i++) {
    const e = p + idLens[i];
    idsToDelete[i] = ids.slice(p, e);
    p = e;
  }
  return { toEmbed: embed, hashes, skipped, idsToDelete };
})"#;

/// A plan with its hashes and ids already laid out for [`plan_to_js`]: built off the JS thread.
pub struct Prepared {
    pub plan: Plan,
    /// Every hash of `plan.hashes` as 64 lowercase hex characters, back to back.
    hex: Vec<u8>,
    /// The ids of `plan.ids_to_delete`, UTF-8, back to back.
    ids: Vec<u8>,
    /// Their lengths in UTF-16 code units (what JS slices count).
    id_lens: Vec<u32>,
}

impl Prepared {
    pub fn new(plan: Plan, data: &HashMapsData) -> Self {
        let mut hex = Vec::with_capacity(plan.hashes.len() * 64);
        for d in &plan.hashes {
            hex.extend_from_slice(&hex_lower_bytes(d));
        }
        let mut ids = Vec::new();
        let mut id_lens = Vec::with_capacity(plan.ids_to_delete.len());
        for &i in &plan.ids_to_delete {
            let id = data.id(i);
            ids.extend_from_slice(id.as_bytes());
            let units = if id.is_ascii() {
                id.len()
            } else {
                id.chars().map(char::len_utf16).sum()
            };
            id_lens.push(units as u32);
        }
        Prepared {
            plan,
            hex,
            ids,
            id_lens,
        }
    }
}

/// The result object of `planChanges`: `{ toEmbed, hashes, skipped, idsToDelete }`.
pub fn plan_to_js(env: &Env, prepared: &Prepared, data: &HashMapsData) -> Result<RawValue> {
    let raw = env.raw();
    let p = &prepared.plan;
    let Some(unpacker) = script::compiled(raw, UNPACKER) else {
        // An engine without napi_run_script: the generic (slower) conversion.
        let change_plan = ChangePlan {
            to_embed: p.to_embed.clone(),
            hashes: p.hashes.iter().map(hex_lower).collect(),
            skipped: p.skipped,
            ids_to_delete: p
                .ids_to_delete
                .iter()
                .map(|&i| data.id(i).to_owned())
                .collect(),
        };
        return Ok(RawValue(unsafe {
            ChangePlan::to_napi_value(raw, change_plan)
        }?));
    };
    let (hex, ids) = (&prepared.hex, &prepared.ids);
    let mut args = [ptr::null_mut(); 5];
    args[0] = script::uint32_array(raw, &p.to_embed)?;
    args[1] = unsafe { ascii_string(raw, hex) }?;
    check_status!(unsafe { sys::napi_create_uint32(raw, p.skipped, &mut args[2]) })?;
    check_status!(unsafe {
        sys::napi_create_string_utf8(raw, ids.as_ptr().cast(), ids.len() as isize, &mut args[3])
    })?;
    args[4] = script::uint32_array(raw, &prepared.id_lens)?;
    script::call(raw, unpacker, &args)
        .map(RawValue)
        .map_err(|_| Error::from_reason("building the plan's arrays failed"))
}
