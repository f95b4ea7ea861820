"use strict";
// Shared by the JS layer only: the token that keeps the collection classes from being built by
// users, and what planChanges needs of the collections it is given.

/** Passed to the collection constructors by this package; `new BaseHashMap()` without it throws. */
const INTERNAL = Symbol("lance-hashmaps internal");

/** baseHashMap / existingChunks -> the native maps handle behind it. */
const mapsHandles = new WeakMap();

/** existingIds -> its `takeIndexes(indexes, maps, remove, idAt)` (see js/existing-ids.js). */
const idTakers = new WeakMap();

/** Entries per page when a collection is walked, the length a page gives a null text hash, and
 * the length an existingChunks page gives an id that is its entry's key (src/binding/constants.rs). */
const { PAGE_ENTRIES, NULL_HASH_LEN, SAME_AS_KEY_LEN } = require("./native-binding.js");

function notConstructible(name) {
  return new TypeError(`${name} cannot be constructed directly: get one from buildHashMaps() or emptyHashMaps()`);
}

module.exports = { INTERNAL, mapsHandles, idTakers, PAGE_ENTRIES, NULL_HASH_LEN, SAME_AS_KEY_LEN, notConstructible };
