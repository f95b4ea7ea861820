"use strict";
// baseHashMap: a read-only Map<string, string | null> over the native maps. Lookups are one native
// call; iteration hands entries over a page at a time (src/binding/pages.rs) and slices them here.

// Taken off the module once: the hot methods call them directly.
const { baseLookups, basePage, mapsInfo } = require("./native-binding.js");
const { INTERNAL, handles, notConstructible } = require("./internal.js");
const { fromNative } = require("./errors.js");
const { ReadonlyMapView, PAGES, DECODE, cursorPages } = require("./readonly-map-view.js");

const NULL_LEN = 0xffffffff;

/** A page's base ids and hashes, as two arrays. */
function decodeBasePage({ keys, keyLens, values, valueLens }) {
  const n = keyLens.length;
  const baseIds = new Array(n);
  const hashes = new Array(n);
  for (let i = 0, k = 0, v = 0; i < n; i++) {
    baseIds[i] = keys.slice(k, (k += keyLens[i]));
    const len = valueLens[i];
    hashes[i] = len === NULL_LEN ? null : values.slice(v, (v += len));
  }
  return [baseIds, hashes];
}

class BaseHashMap extends ReadonlyMapView {
  #maps;
  #size;
  /** The native get / has, bound to these maps (one call per lookup, see src/binding/lookups.rs). */
  #get;
  #has;

  constructor(token, maps) {
    if (token !== INTERNAL) throw notConstructible("BaseHashMap");
    super();
    this.#maps = maps;
    const lookups = baseLookups(maps);
    this.#get = lookups.get;
    this.#has = lookups.has;
    this.#size = mapsInfo(maps)[0];
    handles.set(this, maps);
  }

  get size() {
    return this.#size;
  }

  get(key) {
    if (typeof key !== "string") return undefined;
    try {
      return this.#get(key);
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
    return cursorPages(basePage, this.#maps);
  }

  [DECODE](page) {
    return decodeBasePage(page);
  }
}

module.exports = { BaseHashMap };
