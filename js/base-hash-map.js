"use strict";
// baseHashMap: a read-only Map<string, string | null> (base id -> the text hash of its first row)
// over the native maps. Lookups are one native call; iteration hands entries over a page at a
// time (src/binding/pages.rs) and slices them here.

const { baseLookups, basePage, mapsInfo } = require("./native-binding.js");
const { INTERNAL, mapsHandles, NULL_HASH_LEN, notConstructible } = require("./internal.js");
const { MapView } = require("./map-view.js");

/**
 * A page's base ids and text hashes, as two arrays.
 * @returns {[string[], (string | null)[]]}
 */
function decodeBasePage({ keys, keyLens, values, valueLens }) {
  const n = keyLens.length;
  const baseIds = new Array(n);
  const hashes = new Array(n);
  for (let i = 0, k = 0, v = 0; i < n; i++) {
    baseIds[i] = keys.slice(k, (k += keyLens[i]));
    const len = valueLens[i];
    hashes[i] = len === NULL_HASH_LEN ? null : values.slice(v, (v += len));
  }
  return [baseIds, hashes];
}

class BaseHashMap extends MapView {
  constructor(token, maps) {
    if (token !== INTERNAL) throw notConstructible("BaseHashMap");
    // The native get / has, bound to these maps (one call per lookup, see src/binding/lookups.rs).
    const { get, has } = baseLookups(maps);
    super({ maps, size: mapsInfo(maps)[0], get, has, readPage: basePage, decode: decodeBasePage });
    mapsHandles.set(this, maps);
  }
}

module.exports = { BaseHashMap };
