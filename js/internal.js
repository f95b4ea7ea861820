"use strict";
// Shared by the JS layer only: the token that keeps the collection classes from being built by
// users, and the native handles behind each collection (for planChanges).

/** Passed to the collection constructors by this package; `new BaseHashMap()` without it throws. */
const INTERNAL = Symbol("lance-hashmaps internal");

/** Collection object -> its native handles ({ maps, ids? }). */
const handles = new WeakMap();

/** Entries per page when a collection is walked (see src/binding/pages.rs). */
const PAGE_ENTRIES = 8192;

function notConstructible(name) {
  return new TypeError(`${name} cannot be constructed directly: get one from buildHashMaps() or emptyHashMaps()`);
}

module.exports = { INTERNAL, handles, PAGE_ENTRIES, notConstructible };
