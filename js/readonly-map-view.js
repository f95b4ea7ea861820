// What baseHashMap and existingChunks share: every read-only Map member built on one generator of
// [key, value] entries (a subclass's [ENTRIES]()), plus toMap() and how they print.

const { CUSTOM, describe } = require("./inspect.js");

/** The method a subclass defines: a new generator of its [key, value] entries, in order. */
const ENTRIES = Symbol("entries");

class ReadonlyMapView {
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
    for (const [k, v] of this[ENTRIES]()) callbackfn.call(thisArg, v, k, this);
  }

  /** A plain JS Map with the same entries, in the same order. */
  toMap() {
    return new Map(this[ENTRIES]());
  }

  get [Symbol.toStringTag]() {
    return "Map";
  }

  [CUSTOM](depth, options, inspect) {
    return describe("Map", this.size, this[ENTRIES](), depth, options, inspect);
  }
}

module.exports = { ReadonlyMapView, ENTRIES };
