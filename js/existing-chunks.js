"use strict";
// existingChunks: a read-only Map<string, string[]> (base id -> every id with that base, in scan
// order) over the native maps. Each `get` returns a new array, as the caller may change it.

// Taken off the module once: the hot methods call them directly.
const { chunksGet, baseLookups, chunksPage, mapsInfo } = require("../native.js");
const { INTERNAL, handles, PAGE_ENTRIES, notConstructible } = require("./internal.js");
const { fromNative } = require("./errors.js");
const { ReadonlyMapView, PAGES, DECODE } = require("./readonly-map-view.js");

/** The pages of `maps`' entries, in insertion order. */
function* chunkPages(maps) {
  let id = 0;
  let index = 0;
  for (;;) {
    let page;
    try {
      page = chunksPage(maps, id, index, PAGE_ENTRIES);
    } catch (e) {
      throw fromNative(e);
    }
    yield page;
    if (page.done) return;
    id = page.nextId;
    index = page.nextIndex;
  }
}

/** Calls `fn(baseId, ids)` for each entry of a page, in order. */
function decodeChunksPage({ keys, keyLens, ids, idLens, counts }, fn) {
  for (let i = 0, k = 0, p = 0, n = 0; i < keyLens.length; i++) {
    const key = keys.slice(k, (k += keyLens[i]));
    const count = counts[i];
    const list = new Array(count);
    for (let j = 0; j < count; j++, n++) list[j] = ids.slice(p, (p += idLens[n]));
    fn(key, list);
  }
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
    return chunkPages(this.#maps);
  }

  [DECODE](page, fn) {
    decodeChunksPage(page, fn);
  }
}

module.exports = { ExistingChunks };
