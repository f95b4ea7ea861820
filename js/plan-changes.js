"use strict";
// planChanges: the service's change check for a batch, with the hashing and lookups done natively.

const native = require("./native-binding.js");
const { mapsHandles, idTakers } = require("./internal.js");
const { argError, describeThrown, fromNative } = require("./errors.js");
const { BaseHashMap } = require("./base-hash-map.js");
const { ExistingIds } = require("./existing-ids.js");
const { packItems } = require("./pack-items.js");
const { checkOptionKeys } = require("./option-keys.js");

/** The options planChanges takes, as index.d.ts declares them. */
const PLAN_OPTIONS = ["forceAll", "removeFromExistingIds"];

function optionalBoolean(options, name, fallback) {
  let v;
  try {
    v = options[name];
  } catch (e) {
    throw argError(`reading options.${name} threw: ${describeThrown(e)}`, e);
  }
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") throw argError(`options.${name} must be a boolean, got ${typeof v}`);
  return v;
}

function readMaps(maps) {
  if (typeof maps !== "object" || maps === null) {
    throw argError("maps must be the object buildHashMaps() or emptyHashMaps() returned");
  }
  let base, ids;
  try {
    base = maps.baseHashMap;
    ids = maps.existingIds;
  } catch (e) {
    throw argError(`reading maps.baseHashMap / maps.existingIds threw: ${describeThrown(e)}`, e);
  }
  if (!(base instanceof BaseHashMap) || !mapsHandles.has(base)) {
    throw argError("maps.baseHashMap is not a baseHashMap from buildHashMaps() or emptyHashMaps()");
  }
  return { maps: mapsHandles.get(base), ids };
}

/**
 * The packed plan from the addon as the result's arrays, with the ids to delete that `ids`
 * (existingIds) still holds, each once, taken out of it when `remove`. The hashes and ids come in
 * pieces of 4 KB: a hash or id the caller keeps holds on to at most that much.
 */
function unpack(p, ids, maps, remove) {
  // Each property read once: the object comes from the addon, and a read of it in the loops would
  // be a lookup per item.
  const { toEmbed: embed, hex, idLens, idPieces, idIndexes, skipped } = p;
  const n = embed.length;
  const toEmbed = new Array(n);
  for (let i = 0; i < n; i++) toEmbed[i] = embed[i];
  // Whole hashes of 64 characters, back to back, a few dozen to a string.
  const hashes = new Array(n);
  for (let s = 0, i = 0; s < hex.length; s++) {
    const text = hex[s];
    for (let at = 0; at < text.length; at += 64) hashes[i++] = text.slice(at, at + 64);
  }
  const m = idLens.length;
  const candidates = new Array(m);
  // No id straddles two pieces: once this piece is used up (a piece may end before it is full,
  // and may be empty: a run of empty ids), the next id is in one of the next ones.
  for (let i = 0, c = 0, q = 0, text = idPieces.length > 0 ? idPieces[0] : ""; i < m; i++) {
    const len = idLens[i];
    while (q + len > text.length) {
      text = idPieces[++c];
      q = 0;
    }
    candidates[i] = text.slice(q, (q += len));
  }
  // As the service's loop: only the ids still in existingIds are to delete (an earlier batch may
  // have taken them already), each once.
  const present = idTakers.get(ids)(idIndexes, maps, remove, (k) => candidates[k]);
  const idsToDelete = new Array(present.length);
  for (let i = 0; i < present.length; i++) idsToDelete[i] = candidates[present[i]];
  return { toEmbed, hashes, skipped, idsToDelete };
}

/**
 * Batches of at most this many items, and this many UTF-16 code units of ids and texts, are
 * planned on the JS thread in one native call. Handing slices to the pool and waking JS through
 * a promise has a fixed cost and, when the machine is busy, waits for pool threads to be
 * scheduled, while hashing here costs a fraction of the service's own loop: up to a few thousand
 * items the JS thread is the faster and the steadier place (bench/README.md, "planChanges: small
 * batches on the JS thread"). Longer texts go to the pool, so that the JS thread never hashes
 * for long.
 */
const DIRECT_ITEMS = 4096;
const DIRECT_UNITS = 1 << 18;

/** The lengths of no items (the direct call for an empty batch). */
const NO_LENS = new Uint32Array(0);

/** @typedef {[ids: string, idLens: Uint32Array, texts: string, textLens: Uint32Array]} Slice
 * A slice of items as js/pack-items.js makes it. */

/**
 * The packed plan of `items`. Each slice is handed to the pool as soon as it is packed, so JS
 * packs the next slices while the pool hashes the first; the one slice of a batch small in items
 * and in text is held back instead and planned on the JS thread in one call.
 */
async function packedPlan(handle, items, forceAll) {
  const small = items.length <= DIRECT_ITEMS;
  /** The planner once a slice went to the pool, and the one slice held back until then.
   * @type {{ planner: import("../native.js").Planner | null, held: Slice | null }} */
  const call = { planner: null, held: null };
  /** @param {import("../native.js").Planner} planner @param {Slice} slice */
  const add = (planner, [ids, idLens, texts, textLens]) => {
    try {
      planner.add(ids, idLens, texts, textLens);
    } catch (e) {
      throw fromNative(e);
    }
  };
  try {
    packItems(items, (ids, idLens, texts, textLens) => {
      /** @type {Slice} */
      const slice = [ids, idLens, texts, textLens];
      if (call.planner === null && small && call.held === null && ids.length + texts.length <= DIRECT_UNITS) {
        call.held = slice;
        return;
      }
      if (call.planner === null) {
        try {
          call.planner = new native.Planner(handle, forceAll);
        } catch (e) {
          throw fromNative(e);
        }
        if (call.held !== null) add(call.planner, call.held);
        call.held = null;
      }
      add(call.planner, slice);
    });
  } catch (e) {
    // A bad item (or a getter that threw) after some slices were handed over: their planning is
    // given up instead of running on for nothing.
    if (call.planner !== null) call.planner.cancel();
    throw e;
  }
  try {
    if (call.planner !== null) return await call.planner.finish();
    const [ids, idLens, texts, textLens] = call.held ?? ["", NO_LENS, "", NO_LENS];
    return native.planDirect(handle, ids, idLens, texts, textLens, forceAll);
  } catch (e) {
    throw fromNative(e);
  }
}

async function planChanges(maps, items, options) {
  const { maps: handle, ids } = readMaps(maps);
  if (options !== undefined && options !== null && typeof options !== "object") {
    throw argError("options must be an object { forceAll?, removeFromExistingIds? }");
  }
  checkOptionKeys(options ?? {}, PLAN_OPTIONS, "planChanges");
  const forceAll = optionalBoolean(options ?? {}, "forceAll", false);
  const remove = optionalBoolean(options ?? {}, "removeFromExistingIds", true);
  if (!(ids instanceof ExistingIds && idTakers.has(ids))) {
    throw argError("maps.existingIds is not an existingIds from buildHashMaps() or emptyHashMaps()");
  }
  if (!Array.isArray(items)) throw argError("items must be an array of { id, text, contextText? }");
  const packed = await packedPlan(handle, items, forceAll);
  return unpack(packed, ids, handle, remove);
}

module.exports = { planChanges, PLAN_OPTIONS };
