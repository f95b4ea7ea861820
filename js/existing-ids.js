"use strict";
// existingIds: a Set<string> of every id over the native id set, mutable like a Set. Iteration is
// live exactly as a Set's: ids come a page at a time, and after any change to the set the walk
// goes on from the position after the last id it yielded (positions never move; deleted ids are
// skipped, added ones are appended).

// Taken off the module once: the hot methods call them directly.
const { idLookups, idsAdd, idsClear, idsFrozenLen, idsSize, idsPage, idsTakeIndexes } = require("./native-binding.js");
const { INTERNAL, handles, PAGE_ENTRIES, notConstructible } = require("./internal.js");
const { CUSTOM, describe } = require("./inspect.js");
const { argError, fromNative } = require("./errors.js");
const { setRecord, keysOf } = require("./set-methods.js");
const { IdsIterator, closeWalk } = require("./ids-iterator.js");

/** A page of the set's ids (native errors as LanceHashMapsError). */
function page(ids, from, size) {
  try {
    return idsPage(ids, from, size);
  } catch (e) {
    throw fromNative(e);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isWellFormed =
  typeof String.prototype.isWellFormed === "function" ? (s) => s.isWellFormed() : (s) => !LONE_SURROGATE.test(s);

class ExistingIds {
  #ids;
  /** The native has / delete, bound to this set (one call per lookup, see src/binding/id_set.rs). */
  #has;
  #delete;
  /** `version` is bumped by every change: a walk that sees it move re-reads from its position.
   * `frozen`: positions below it (the table's ids) never move. `open`: walks holding a position
   * past those, neither ended nor collected (the native set gives back the room of deleted ids
   * only when none is, as that renumbers those positions). An object the iterators share. */
  #changes;

  constructor(token, ids) {
    if (token !== INTERNAL) throw notConstructible("ExistingIds");
    this.#ids = ids;
    this.#changes = { version: 0, open: 0, frozen: idsFrozenLen(ids) };
    const lookups = idLookups(ids);
    this.#has = lookups.has;
    this.#delete = lookups.delete;
    handles.set(this, { takeIndexes: (indexes, from, remove) => this.#takeIndexes(indexes, from, remove) });
  }

  get size() {
    try {
      return idsSize(this.#ids);
    } catch (e) {
      throw fromNative(e);
    }
  }

  has(value) {
    if (typeof value !== "string") return false;
    try {
      return this.#has(value);
    } catch (e) {
      throw fromNative(e);
    }
  }

  /** Adds `value` at the end if absent. Ids are strings of valid Unicode. */
  add(value) {
    if (typeof value !== "string" || !isWellFormed(value)) {
      throw argError(
        "existingIds holds ids: add() takes a string without unpaired surrogates, got " +
          (typeof value === "string" ? "a string with an unpaired surrogate" : typeof value),
      );
    }
    let added;
    try {
      added = idsAdd(this.#ids, value, this.#changes.open === 0);
    } catch (e) {
      // The set may have changed before the error (an id added, then a failure): walks re-read.
      this.#changes.version++;
      throw fromNative(e);
    }
    if (added) this.#changes.version++;
    return this;
  }

  delete(value) {
    if (typeof value !== "string") return false;
    let removed;
    try {
      removed = this.#delete(value);
    } catch (e) {
      throw fromNative(e);
    }
    if (removed) this.#changes.version++;
    return removed;
  }

  clear() {
    try {
      idsClear(this.#ids);
    } catch (e) {
      throw fromNative(e);
    }
    this.#changes.version++;
  }

  /**
   * Of the ids at `indexes` of the maps `from` (a plan's candidates), the positions in `indexes` of
   * those in this set (each id once), removing them when `remove`.
   */
  #takeIndexes(indexes, from, remove) {
    let kept;
    try {
      kept = idsTakeIndexes(this.#ids, from, indexes, remove);
    } catch (e) {
      throw fromNative(e);
    }
    if (remove && kept.length > 0) this.#changes.version++;
    return kept;
  }

  /** A new live iterator of the ids (or of `[id, id]` entries), from the first. */
  #walk(entries = false) {
    return new IdsIterator((from, size) => page(this.#ids, from, size), this.#changes, entries);
  }

  /** `use(walk)` with a walk of the ids that ends with it, however `use` leaves it. */
  #walking(use) {
    const walk = this.#walk();
    try {
      return use(walk);
    } finally {
      closeWalk(walk);
    }
  }

  values() {
    return this.#walk();
  }

  keys() {
    return this.#walk();
  }

  entries() {
    return this.#walk(true);
  }

  [Symbol.iterator]() {
    return this.#walk();
  }

  forEach(callbackfn, thisArg) {
    if (typeof callbackfn !== "function") {
      throw new TypeError("ExistingIds.prototype.forEach: callbackfn is not a function");
    }
    this.#walking((walk) => {
      for (const id of walk) callbackfn.call(thisArg, id, id, this);
    });
  }

  /** Every id, in order, as an array: the fastest way to copy them all out. */
  toArray() {
    const out = [];
    let from = 0;
    for (;;) {
      const { text, lens, positions, done } = page(this.#ids, from, PAGE_ENTRIES);
      const n = lens.length;
      for (let i = 0, p = 0; i < n; i++) out.push(text.slice(p, (p += lens[i])));
      if (done || n === 0) return out;
      from = positions[n - 1] + 1;
    }
  }

  /** A plain JS Set with the same ids, in the same order. */
  toSet() {
    return new Set(this.toArray());
  }

  union(other) {
    const rec = setRecord(other);
    const out = this.toSet();
    for (const v of keysOf(rec, closeIfOwn)) out.add(v);
    return out;
  }

  intersection(other) {
    const rec = setRecord(other);
    const out = new Set();
    if (this.size <= rec.size) {
      // A live walk, as the specification's: `has` may change this set on the way.
      this.#walking((walk) => {
        for (const v of walk) if (rec.has(v)) out.add(v);
      });
    } else {
      for (const v of keysOf(rec, closeIfOwn)) if (this.has(v)) out.add(v);
    }
    return out;
  }

  difference(other) {
    const rec = setRecord(other);
    const out = this.toSet();
    if (this.size <= rec.size) {
      // Over the copy, as the specification's steps (not live, unlike intersection).
      for (const v of this.toArray()) if (rec.has(v)) out.delete(v);
    } else {
      for (const v of keysOf(rec, closeIfOwn)) out.delete(v);
    }
    return out;
  }

  symmetricDifference(other) {
    const rec = setRecord(other);
    const out = this.toSet();
    for (const v of keysOf(rec, closeIfOwn)) {
      if (this.has(v)) out.delete(v);
      else out.add(v);
    }
    return out;
  }

  isSubsetOf(other) {
    const rec = setRecord(other);
    if (this.size > rec.size) return false;
    return this.#walking((walk) => {
      for (const v of walk) if (!rec.has(v)) return false;
      return true;
    });
  }

  isSupersetOf(other) {
    const rec = setRecord(other);
    if (this.size < rec.size) return false;
    for (const v of keysOf(rec, closeIfOwn)) if (!this.has(v)) return false;
    return true;
  }

  isDisjointFrom(other) {
    const rec = setRecord(other);
    if (this.size <= rec.size) {
      return this.#walking((walk) => {
        for (const v of walk) if (rec.has(v)) return false;
        return true;
      });
    }
    for (const v of keysOf(rec, closeIfOwn)) if (this.has(v)) return false;
    return true;
  }

  get [Symbol.toStringTag]() {
    return "Set";
  }

  [CUSTOM](depth, options, inspect) {
    return this.#walking((walk) => describe("Set", this.size, walk, depth, options, inspect));
  }
}

/** existingIds' own `keys`, as loaded (a replaced one is the user's). */
const OWN_KEYS = ExistingIds.prototype.keys;
/** A walk of another existingIds that a Set method stopped early: made by its own `keys()` inside
 * the method, seen by nobody else, so it ends here (it no longer holds that set's room). */
function closeIfOwn(rec, it) {
  if (rec.keysFn === OWN_KEYS) closeWalk(it);
}

module.exports = { ExistingIds };
