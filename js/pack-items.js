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

/** The text to hash of `items[i]` (checked), and its id. */
function readItem(items, i) {
  const item = items[i];
  if (typeof item !== "object" || item === null) {
    throw argError(
      `items[${i}] must be an object { id, text, contextText? }, got ${item === null ? "null" : typeof item}`,
    );
  }
  const id = item.id;
  if (typeof id !== "string") throw argError(`items[${i}].id must be a string, got ${typeof id}`);
  const ctx = item.contextText;
  let text;
  if (typeof ctx === "string" && ctx !== "") {
    text = ctx;
  } else if (ctx === undefined || ctx === null || ctx === "") {
    text = item.text;
    if (typeof text !== "string") {
      throw argError(`items[${i}].text must be a string, got ${typeof text}`);
    }
  } else {
    throw argError(`items[${i}].contextText must be a string, got ${typeof ctx}`);
  }
  return { id, text };
}

/**
 * Calls `send(ids, idLens, texts, textLens)` for each slice of `items`, in order. A slice ends
 * after SLICE_ITEMS items or once it holds SLICE_UNITS code units, whichever comes first.
 */
function packItems(items, send, limits = { items: SLICE_ITEMS, units: SLICE_UNITS }) {
  let start = 0;
  while (start < items.length) {
    const ids = [];
    const texts = [];
    let units = 0;
    let i = start;
    while (i < items.length && ids.length < limits.items && (ids.length === 0 || units < limits.units)) {
      const { id, text } = readItem(items, i);
      // Would this item take the slice over the limit? Then it starts the next one.
      if (ids.length > 0 && units + id.length + text.length > limits.units) break;
      ids.push(id);
      texts.push(text);
      units += id.length + text.length;
      i++;
    }
    const idLens = new Uint32Array(ids.length);
    const textLens = new Uint32Array(texts.length);
    for (let k = 0; k < ids.length; k++) {
      idLens[k] = ids[k].length;
      textLens[k] = texts[k].length;
    }
    send(ids.join(""), idLens, texts.join(""), textLens);
    start = i;
  }
}

module.exports = { packItems, SLICE_ITEMS, SLICE_UNITS };
