"use strict";
// existingIds: a Set<string> of every id, mutable like a Set. Two parts: the table's ids, native,
// at fixed positions with a deleted mark each (src/core/maps/id_set.rs), and a JS Set of the ids
// added after the load (a table id deleted and added again lives there too: a Set moves it to the
// end). The service's has / delete stay one native call while nothing was added.

// Taken off the module once: the hot methods call them directly.
const { idLookups, idsClear, idsSize, idsPage, idsTakeIndexes } = require("./native-binding.js");
const { INTERNAL, idTakers, PAGE_ENTRIES, notConstructible } = require("./internal.js");
const { argError, fromNative } = require("./errors.js");
const { IdsIterator } = require("./ids-iterator.js");
const { lookupSees } = require("./well-formed.js");
const { CUSTOM, lazy } = require("./lazy.js");

/** A page of the table's ids (native errors as LanceHashMapsError). */
function page(idSet, from, size) {
  try {
    return idsPage(idSet, from, size);
  } catch (e) {
    throw fromNative(e);
  }
}

// Loaded on first use: a load needs neither (a cheaper `require`).
const setMethods = lazy(() => require("./set-methods.js"));
const inspect = lazy(() => require("./inspect.js"));

class ExistingIds {
  #idSet;
  /** The native has / delete of the table's ids, bound to them (one call per lookup, see
   * src/binding/key_fn.rs). */
  #has;
  #delete;
  /** The ids added after the load, in the order a Set keeps. */
  #added = new Set();
  /** `version` moves with every change to the table's ids: a walk that sees it move reads its
   * page again. An object the iterators share. */
  #changes = { version: 0 };

  constructor(token, idSet) {
    if (token !== INTERNAL) throw notConstructible("ExistingIds");
    this.#idSet = idSet;
    const lookups = idLookups(idSet);
    this.#has = lookups.has;
    this.#delete = lookups.delete;
    idTakers.set(this, (indexes, from, remove, idAt) => this.#takeIndexes(indexes, from, remove, idAt));
  }

  get size() {
    try {
      return idsSize(this.#idSet) + this.#added.size;
    } catch (e) {
      throw fromNative(e);
    }
  }

  has(value) {
    if (typeof value !== "string") return false;
    try {
      // (A key this engine would hand over cut is never a table id: only the added ids can hold it.)
      if (lookupSees(value) && this.#has(value)) return true;
    } catch (e) {
      throw fromNative(e);
    }
    return this.#added.size !== 0 && this.#added.has(value);
  }

  /** Adds `value` at the end if absent. */
  add(value) {
    if (typeof value !== "string") {
      throw argError(`existingIds holds ids: add() takes a string, got ${typeof value}`);
    }
    let live = false;
    try {
      if (lookupSees(value)) live = this.#has(value);
    } catch (e) {
      throw fromNative(e);
    }
    if (!live) this.#added.add(value);
    return this;
  }

  delete(value) {
    if (typeof value !== "string") return false;
    let deleted = false;
    try {
      if (lookupSees(value)) deleted = this.#delete(value);
    } catch (e) {
      throw fromNative(e);
    }
    if (deleted) {
      this.#changes.version++;
      return true;
    }
    return this.#added.size !== 0 && this.#added.delete(value);
  }

  clear() {
    try {
      idsClear(this.#idSet);
    } catch (e) {
      throw fromNative(e);
    }
    this.#changes.version++;
    this.#added.clear();
  }

  /**
   * Of the ids at `indexes` of the maps `from` (a plan's candidates to delete), the positions in
   * `indexes` of those in this set (each id once), deleting them when `remove`. `idAt(k)`: the
   * text of candidate `k`, asked for only when ids were added after the load.
   */
  #takeIndexes(indexes, from, remove, idAt) {
    let found;
    try {
      found = idsTakeIndexes(this.#idSet, from, indexes, remove);
    } catch (e) {
      throw fromNative(e);
    }
    if (remove && found.length > 0) this.#changes.version++;
    if (this.#added.size === 0) return found;
    // The candidates the table's ids do not hold may be among the added ones.
    const out = [];
    const seen = new Set();
    for (let k = 0, f = 0; k < indexes.length; k++) {
      if (f < found.length && found[f] === k) {
        out.push(k);
        f++;
        continue;
      }
      const id = idAt(k);
      if (seen.has(id)) continue;
      seen.add(id);
      if (remove ? this.#added.delete(id) : this.#added.has(id)) out.push(k);
    }
    return out;
  }

  /**
   * A new live iterator of the ids (or of `[id, id]` entries), from the first.
   * @returns {IterableIterator<any>}
   */
  #walk(entries = false) {
    const idSet = this.#idSet;
    const readPage = (from, size) => page(idSet, from, size);
    return /** @type {any} */ (new IdsIterator(readPage, this.#changes, this.#added, entries));
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

  forEach(callbackfn, ...rest) {
    if (typeof callbackfn !== "function") {
      throw new TypeError("ExistingIds.prototype.forEach: callbackfn is not a function");
    }
    // (`thisArg` as a rest parameter, so that `forEach.length` is 1, as a Set's.)
    const thisArg = rest[0];
    for (const id of this.#walk()) callbackfn.call(thisArg, id, id, this);
  }

  /** Every id, in order, as an array: the fastest way to copy them all out. */
  toArray() {
    const out = [];
    let from = 0;
    for (;;) {
      const { text, lens, positions, done } = page(this.#idSet, from, PAGE_ENTRIES);
      const n = lens.length;
      for (let i = 0, p = 0; i < n; i++) out.push(text.slice(p, (p += lens[i])));
      if (done || n === 0) break;
      from = positions[n - 1] + 1;
    }
    for (const id of this.#added) out.push(id);
    return out;
  }

  /** A plain JS Set with the same ids, in the same order. */
  toSet() {
    return new Set(this.toArray());
  }

  // The ES2024 Set methods, step by step as the specification's (the order of the calls into
  // `other` included).

  union(other) {
    const { setRecord, openKeys, forEachKey } = setMethods();
    const keys = openKeys(setRecord(other));
    const out = this.toSet();
    forEachKey(keys, (v) => out.add(v));
    return out;
  }

  intersection(other) {
    const { setRecord, openKeys, forEachKey } = setMethods();
    const rec = setRecord(other);
    const out = new Set();
    if (this.size <= rec.size) {
      // A live walk, as the specification's: `has` may change this set on the way.
      for (const v of this.#walk()) if (rec.has(v)) out.add(v);
    } else {
      forEachKey(openKeys(rec), (v) => {
        if (this.has(v)) out.add(v);
      });
    }
    return out;
  }

  difference(other) {
    const { setRecord, openKeys, forEachKey } = setMethods();
    const rec = setRecord(other);
    const ids = this.toArray();
    const out = new Set(ids);
    if (this.size <= rec.size) {
      // Over the copy, as the specification's (not live, unlike intersection).
      for (const v of ids) if (rec.has(v)) out.delete(v);
    } else {
      forEachKey(openKeys(rec), (v) => out.delete(v));
    }
    return out;
  }

  symmetricDifference(other) {
    const { setRecord, openKeys, forEachKey } = setMethods();
    const keys = openKeys(setRecord(other));
    const out = this.toSet();
    forEachKey(keys, (v) => {
      if (this.has(v)) out.delete(v);
      else out.add(v);
    });
    return out;
  }

  isSubsetOf(other) {
    const { setRecord } = setMethods();
    const rec = setRecord(other);
    if (this.size > rec.size) return false;
    for (const v of this.#walk()) if (!rec.has(v)) return false;
    return true;
  }

  isSupersetOf(other) {
    const { setRecord, openKeys, someKey } = setMethods();
    const rec = setRecord(other);
    if (this.size < rec.size) return false;
    return !someKey(openKeys(rec), (v) => !this.has(v));
  }

  isDisjointFrom(other) {
    const { setRecord, openKeys, someKey } = setMethods();
    const rec = setRecord(other);
    if (this.size <= rec.size) {
      for (const v of this.#walk()) if (rec.has(v)) return false;
      return true;
    }
    return !someKey(openKeys(rec), (v) => this.has(v));
  }

  get [Symbol.toStringTag]() {
    return "Set";
  }

  [CUSTOM](depth, options, show) {
    return inspect().describe("Set", this.size, this.#walk(), depth, options, show);
  }
}

module.exports = { ExistingIds };
