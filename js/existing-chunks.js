"use strict";
// existingChunks: a read-only Map<string, string[]> (base id -> every id with that base, in scan
// order) over the native maps. Each `get` returns a new array, as the caller may change it.

const { chunksGet, baseLookups, chunksPage, mapsInfo } = require("./native-binding.js");
const { INTERNAL, mapsHandles, SAME_AS_KEY_LEN, notConstructible } = require("./internal.js");
const { MapView } = require("./map-view.js");

/**
 * A page's base ids and id lists, as two arrays. An id that is its entry's key (most bases: one id
 * with no chunk suffix) comes as a length only, and is the key's string.
 * @returns {[string[], string[][]]}
 */
function decodeChunksPage({ keys, keyLens, idText, idLens, counts }) {
  const n = keyLens.length;
  const baseIds = new Array(n);
  const lists = new Array(n);
  for (let i = 0, k = 0, p = 0, m = 0; i < n; i++) {
    const key = keys.slice(k, (k += keyLens[i]));
    baseIds[i] = key;
    const count = counts[i];
    const list = new Array(count);
    for (let j = 0; j < count; j++, m++) {
      const len = idLens[m];
      list[j] = len === SAME_AS_KEY_LEN ? key : idText.slice(p, (p += len));
    }
    lists[i] = list;
  }
  return [baseIds, lists];
}

class ExistingChunks extends MapView {
  constructor(token, maps) {
    if (token !== INTERNAL) throw notConstructible("ExistingChunks");
    super({
      maps,
      size: mapsInfo(maps)[0],
      get: (key) => chunksGet(maps, key) ?? undefined,
      has: baseLookups(maps).has,
      readPage: chunksPage,
      decode: decodeChunksPage,
    });
    mapsHandles.set(this, maps);
  }
}

module.exports = { ExistingChunks };
