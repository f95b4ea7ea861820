"use strict";
// A read-only Map over the native maps, given how to look a key up, how to read a page of entries
// and how a page decodes: baseHashMap and existingChunks are two of these. Iterators decode a page
// at a time; forEach and toMap call straight through, without an entry array each.

const { CUSTOM, lazy } = require("./lazy.js");
const { PAGE_ENTRIES } = require("./internal.js");
const { fromNative } = require("./errors.js");
const { ITERATOR_PROTOTYPE } = require("./iterator-prototype.js");
const { lookupSees } = require("./well-formed.js");

// Loaded on first use: a load does not print (a cheaper `require`).
const inspect = lazy(() => require("./inspect.js"));

/**
 * @typedef {object} MapSource what a view is given
 * @property {any} maps the native maps handle
 * @property {number} size
 * @property {(key: string) => unknown} get the value of `key`, or undefined
 * @property {(key: string) => boolean} has
 * @property {(maps: any, id: number, index: number, max: number) => any} readPage the
 *   native page function: `max` entries at most from the cursor (`id`, `index`), with
 *   the cursor of the next page and whether it is the last
 * @property {(page: any) => [string[], unknown[]]} decode a page's keys and values
 */

/**
 * The pages of a view, in order. The cursor moves only once a read succeeded: after a read that
 * threw, the next call reads the same page again (a generator would have ended).
 */
class PageCursor {
  #source;
  #id = 0;
  #index = 0;
  #over = false;

  constructor(source) {
    this.#source = source;
  }

  /** The next page's keys and values, or null after the last. */
  next() {
    if (this.#over) return null;
    let page;
    try {
      page = this.#source.readPage(this.#source.maps, this.#id, this.#index, PAGE_ENTRIES);
    } catch (e) {
      throw fromNative(e);
    }
    if (page.done) this.#over = true;
    else {
      this.#id = page.nextId;
      this.#index = page.nextIndex;
    }
    return this.#source.decode(page);
  }
}

const EMPTY = [];
const KIND_ENTRIES = 0;
const KIND_KEYS = 1;
const KIND_VALUES = 2;

/**
 * An iterator over a view's entries, keys or values, decoding a page at a time. A plain iterator
 * object rather than a generator: a walk is faster in Bun (bench/README.md, "Walks: plain
 * iterator objects vs generators").
 */
class MapViewIterator {
  /** @type {PageCursor | null} */
  #pages;
  #kind;
  #keys = EMPTY;
  #values = EMPTY;
  #i = 0;

  constructor(source, kind) {
    this.#pages = new PageCursor(source);
    this.#kind = kind;
  }

  next() {
    while (this.#i >= this.#keys.length) {
      const decoded = this.#pages === null ? null : this.#pages.next();
      if (decoded === null) {
        this.#pages = null;
        this.#keys = this.#values = EMPTY;
        return { value: undefined, done: true };
      }
      [this.#keys, this.#values] = decoded;
      this.#i = 0;
    }
    const i = this.#i++;
    const kind = this.#kind;
    const value =
      kind === KIND_ENTRIES ? [this.#keys[i], this.#values[i]] : kind === KIND_KEYS ? this.#keys[i] : this.#values[i];
    return { value, done: false };
  }
}
Object.setPrototypeOf(MapViewIterator.prototype, ITERATOR_PROTOTYPE);
Object.defineProperty(MapViewIterator.prototype, Symbol.toStringTag, { value: "Map Iterator", configurable: true });

/** Calls `fn(key, value)` for every entry of `source`, in order: no entry arrays. */
function eachEntry(source, fn) {
  const pages = new PageCursor(source);
  for (let decoded = pages.next(); decoded !== null; decoded = pages.next()) {
    const [keys, values] = decoded;
    for (let i = 0; i < keys.length; i++) fn(keys[i], values[i]);
  }
}

class MapView {
  /** @type {MapSource} */
  #source;
  #get;
  #has;

  /** @param {MapSource} source */
  constructor(source) {
    this.#source = source;
    this.#get = source.get;
    this.#has = source.has;
  }

  get size() {
    return this.#source.size;
  }

  get(key) {
    if (typeof key !== "string" || !lookupSees(key)) return undefined;
    try {
      return this.#get(key);
    } catch (e) {
      throw fromNative(e);
    }
  }

  has(key) {
    if (typeof key !== "string" || !lookupSees(key)) return false;
    try {
      return this.#has(key);
    } catch (e) {
      throw fromNative(e);
    }
  }

  keys() {
    return new MapViewIterator(this.#source, KIND_KEYS);
  }

  values() {
    return new MapViewIterator(this.#source, KIND_VALUES);
  }

  entries() {
    return new MapViewIterator(this.#source, KIND_ENTRIES);
  }

  [Symbol.iterator]() {
    return new MapViewIterator(this.#source, KIND_ENTRIES);
  }

  forEach(callbackfn, ...rest) {
    if (typeof callbackfn !== "function") {
      throw new TypeError(`${this.constructor.name}.prototype.forEach: callbackfn is not a function`);
    }
    // (`thisArg` as a rest parameter, so that `forEach.length` is 1, as a Map's.)
    const thisArg = rest[0];
    eachEntry(this.#source, (k, v) => callbackfn.call(thisArg, v, k, this));
  }

  /** A plain JS Map with the same entries, in the same order. */
  toMap() {
    const map = new Map();
    eachEntry(this.#source, (k, v) => map.set(k, v));
    return map;
  }

  get [Symbol.toStringTag]() {
    return "Map";
  }

  [CUSTOM](depth, options, show) {
    return inspect().describe("Map", this.size, this.entries(), depth, options, show);
  }
}

module.exports = { MapView };
