"use strict";
// existingChunks: a read-only Map<string, string[]> (base id -> every id with that base, in scan
// order) over the native maps. Each `get` returns a new array, as the caller may change it.

// Taken off the module once: the hot methods call them directly.
const { chunksGet, baseLookups, chunksPage, mapsInfo } = require("./native-binding.js");
const { INTERNAL, handles, notConstructible } = require("./internal.js");
const { fromNative } = require("./errors.js");
const { ReadonlyMapView, PAGES, DECODE, cursorPages } = require("./readonly-map-view.js");

/** A page's base ids and id lists, as two arrays. */
function decodeChunksPage({ keys, keyLens, ids, idLens, counts }) {
  const n = keyLens.length;
  const baseIds = new Array(n);
  const lists = new Array(n);
  for (let i = 0, k = 0, p = 0, m = 0; i < n; i++) {
    baseIds[i] = keys.slice(k, (k += keyLens[i]));
    const count = counts[i];
    const list = new Array(count);
    for (let j = 0; j < count; j++, m++) list[j] = ids.slice(p, (p += idLens[m]));
    lists[i] = list;
  }
  return [baseIds, lists];
}

class ExistingChunks extends ReadonlyMapView {
  #maps;
  #size;
  #has;

  constructor(token, maps) {
    if (token !== INTERNAL) throw notConstructible("ExistingChunks");
    super();
    this.#maps = maps;
    this.#has = baseLookups(maps).has;
    this.#size = mapsInfo(maps)[0];
    handles.set(this, maps);
  }

  get size() {
    return this.#size;
  }

  get(key) {
    if (typeof key !== "string") return undefined;
    try {
      return chunksGet(this.#maps, key) ?? undefined;
    } catch (e) {
      throw fromNative(e);
    }
  }

  has(key) {
    if (typeof key !== "string") return false;
    try {
      return this.#has(key);
    } catch (e) {
      throw fromNative(e);
    }
  }

  [PAGES]() {
    return cursorPages(chunksPage, this.#maps);
  }

  [DECODE](page) {
    return decodeChunksPage(page);
  }
}

module.exports = { ExistingChunks };
