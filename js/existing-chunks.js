"use strict";
// existingChunks: a read-only Map<string, string[]> (base id -> every id with that base, in scan
// order) over the native maps. Each `get` returns a new array, as the caller may change it.

// Taken off the module once: the hot methods call them directly.
const { chunksGet, baseLookups, chunksPage, mapsInfo } = require("../native.js");
const { INTERNAL, handles, PAGE_ENTRIES, notConstructible } = require("./internal.js");
const { fromNative } = require("./errors.js");
const { CUSTOM, describe } = require("./inspect.js");

/** Every [baseId, ids] of `maps`, in insertion order, a page at a time. */
function* chunkEntries(maps) {
  let id = 0;
  let index = 0;
  for (;;) {
    let page;
    try {
      page = chunksPage(maps, id, index, PAGE_ENTRIES);
    } catch (e) {
      throw fromNative(e);
    }
    const { keys, keyLens, ids, idLens, counts } = page;
    for (let i = 0, k = 0, p = 0, n = 0; i < keyLens.length; i++) {
      const key = keys.slice(k, (k += keyLens[i]));
      const count = counts[i];
      const list = new Array(count);
      for (let j = 0; j < count; j++, n++) list[j] = ids.slice(p, (p += idLens[n]));
      yield [key, list];
    }
    if (page.done) return;
    id = page.nextId;
    index = page.nextIndex;
  }
}

class ExistingChunks {
  #maps;
  #size;
  #has;

  constructor(token, maps) {
    if (token !== INTERNAL) throw notConstructible("ExistingChunks");
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

  *keys() {
    for (const e of chunkEntries(this.#maps)) yield e[0];
  }

  *values() {
    for (const e of chunkEntries(this.#maps)) yield e[1];
  }

  entries() {
    return chunkEntries(this.#maps);
  }

  [Symbol.iterator]() {
    return chunkEntries(this.#maps);
  }

  forEach(callbackfn, thisArg) {
    if (typeof callbackfn !== "function") {
      throw new TypeError("ExistingChunks.prototype.forEach: callbackfn is not a function");
    }
    for (const [k, v] of chunkEntries(this.#maps)) callbackfn.call(thisArg, v, k, this);
  }

  /** A plain JS Map with the same entries, in the same order. */
  toMap() {
    return new Map(chunkEntries(this.#maps));
  }

  get [Symbol.toStringTag]() {
    return "Map";
  }

  [CUSTOM](depth, options, inspect) {
    return describe("Map", this.#size, chunkEntries(this.#maps), depth, options, inspect);
  }
}

module.exports = { ExistingChunks };
