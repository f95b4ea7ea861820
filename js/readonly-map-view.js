// What baseHashMap and existingChunks share: every read-only Map member built on a subclass's
// pages ([PAGES]()) and how one decodes ([DECODE]()), plus toMap() and how they print. Iterators
// decode a page at a time; forEach and toMap call straight through, without an entry array each.

const { CUSTOM, describe } = require("./inspect.js");

const ENTRIES = Symbol("entries");
const EACH = Symbol("each");

/** What a subclass defines: a generator of its pages (what the native side hands over at once),
 * in order, and how a page decodes into `fn(key, value)` calls. */
const PAGES = Symbol("pages");
const DECODE = Symbol("decode");

class ReadonlyMapView {
  /** A new generator of the [key, value] entries, in order, decoding one page at a time. */
  *[ENTRIES]() {
    for (const page of this[PAGES]()) {
      const entries = [];
      this[DECODE](page, (k, v) => entries.push([k, v]));
      yield* entries;
    }
  }

  /** Calls `fn(key, value)` for every entry, in order: no entry arrays, no generator step each. */
  [EACH](fn) {
    for (const page of this[PAGES]()) this[DECODE](page, fn);
  }

  *keys() {
    for (const e of this[ENTRIES]()) yield e[0];
  }

  *values() {
    for (const e of this[ENTRIES]()) yield e[1];
  }

  entries() {
    return this[ENTRIES]();
  }

  [Symbol.iterator]() {
    return this[ENTRIES]();
  }

  forEach(callbackfn, thisArg) {
    if (typeof callbackfn !== "function") {
      throw new TypeError(`${this.constructor.name}.prototype.forEach: callbackfn is not a function`);
    }
    this[EACH]((k, v) => callbackfn.call(thisArg, v, k, this));
  }

  /** A plain JS Map with the same entries, in the same order. */
  toMap() {
    const map = new Map();
    this[EACH]((k, v) => map.set(k, v));
    return map;
  }

  get [Symbol.toStringTag]() {
    return "Map";
  }

  [CUSTOM](depth, options, inspect) {
    return describe("Map", this.size, this[ENTRIES](), depth, options, inspect);
  }
}

module.exports = { ReadonlyMapView, PAGES, DECODE };
