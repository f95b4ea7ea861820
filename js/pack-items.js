"use strict";
// planChanges' items, packed for the addon a slice at a time: the ids and the texts to hash
// (`contextText || text`, as the service hashes) each joined into one string, with their lengths.
// One native call per slice instead of several per item.

const { argError } = require("./errors.js");

/** Items per slice at most. */
const SLICE_ITEMS = 8192;
/**
 * UTF-16 code units (ids and texts together) per slice at most: far below the engines' longest
 * string (V8: 2^29 - 24), so joining a slice never throws, and a slice's copy stays small. A
 * single item longer than this is a slice of its own.
 */
const SLICE_UNITS = 1 << 24;

/** The error for `items[i]`, which is not a valid item (the slow path: only when one is bad). */
function itemError(items, i) {
  const item = items[i];
  if (typeof item !== "object" || item === null) {
    return argError(
      `items[${i}] must be an object { id, text, contextText? }, got ${item === null ? "null" : typeof item}`,
    );
  }
  if (typeof item.id !== "string") return argError(`items[${i}].id must be a string, got ${typeof item.id}`);
  const ctx = item.contextText;
  if (!ctx) {
    return argError(`items[${i}].text must be a string, got ${typeof item.text}`);
  }
  return argError(`items[${i}].contextText must be a string, got ${typeof ctx}`);
}

/**
 * Calls `send(ids, idLens, texts, textLens)` for each slice of `items`, in order. A slice ends
 * after SLICE_ITEMS items or once it holds SLICE_UNITS code units, whichever comes first. Each
 * item's text is `contextText || text`, as the service hashes it. (One loop with no allocation
 * per item: this runs for every item of every batch.)
 * @param {ArrayLike<any>} items
 * @param {(ids: string, idLens: Uint32Array, texts: string, textLens: Uint32Array) => void} send
 */
function packItems(items, send, limits = { items: SLICE_ITEMS, units: SLICE_UNITS }) {
  const maxItems = limits.items;
  const maxUnits = limits.units;
  let start = 0;
  // The item that ended the last slice by size, as already read: each item is read once, as the
  // service reads it (a getter or a Proxy sees one read).
  let carried = null;
  while (start < items.length) {
    const most = Math.min(maxItems, items.length - start);
    // Joined with Array#join: building ropes with `+=` looks faster here, but the engine then
    // flattens them when the addon reads them, and planChanges as a whole costs more
    // (bench/README.md, "Tried and not kept": ropes).
    const ids = new Array(most);
    const texts = new Array(most);
    const idLens = new Uint32Array(most);
    const textLens = new Uint32Array(most);
    let units = 0;
    let n = 0;
    for (; n < most; n++) {
      let id;
      let text;
      if (carried !== null) {
        ({ id, text } = carried);
        carried = null;
      } else {
        const item = items[start + n];
        if (typeof item !== "object" || item === null) throw itemError(items, start + n);
        id = item.id;
        const ctx = item.contextText;
        // `contextText || text`, as the service hashes: any falsy contextText means text.
        if (typeof ctx === "string" && ctx !== "") text = ctx;
        else if (!ctx) text = item.text;
        if (typeof id !== "string" || typeof text !== "string") throw itemError(items, start + n);
      }
      // Would this item take the slice over the limit? Then it starts the next one.
      if (n > 0 && units + id.length + text.length > maxUnits) {
        carried = { id, text };
        break;
      }
      ids[n] = id;
      texts[n] = text;
      idLens[n] = id.length;
      textLens[n] = text.length;
      units += id.length + text.length;
    }
    if (n < most) {
      ids.length = n;
      texts.length = n;
    }
    send(ids.join(""), idLens.subarray(0, n), texts.join(""), textLens.subarray(0, n));
    start += n;
  }
}

module.exports = { packItems, SLICE_ITEMS, SLICE_UNITS };
