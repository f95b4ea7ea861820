"use strict";
// The iterator of existingIds' values(), keys(), entries() and [Symbol.iterator](): live exactly as
// a Set's. First the table's ids, a page at a time from the native part (their positions never
// move: after a change the walk reads again from the position after the last id it gave), then
// the ids added later, through their own JS Set's iterator, which is live as a Set's is.
// A plain iterator object rather than a generator: a walk is faster in Bun (bench/README.md,
// "Walks: plain iterator objects vs generators").

const { ITERATOR_PROTOTYPE } = require("./iterator-prototype.js");
const { PAGE_ENTRIES } = require("./internal.js");

/** Ids read right after the set changed during a walk. */
const AFTER_CHANGE = 32;
const NO_LENS = new Uint32Array(0);
/** What a walk that has given every id goes on with. */
const OVER = { next: () => ({ value: undefined, done: true }) };

class IdsIterator {
  /** `readPage(from, size)` → { text, lens, positions, done }: the live table ids from position
   * `from` on. `changes.version` moves with every change to the table's ids. `added`: the Set of
   * ids added later. */
  #readPage;
  #changes;
  #added;
  #entries;
  /** The page being walked, read when the table's ids were at `#pageVersion`. */
  #text = "";
  #lens = NO_LENS;
  #positions = NO_LENS;
  #pageDone = false;
  #pageVersion = 0;
  #i = 0;
  #at = 0;
  /** The position after the last table id given, and how many ids the next read asks for. */
  #from = 0;
  #size = PAGE_ENTRIES;
  /** The added ids' own iterator, once the table's ids are all given.
   * @type {Iterator<any> | null} */
  #rest = null;

  constructor(readPage, changes, added, entries) {
    this.#readPage = readPage;
    this.#changes = changes;
    this.#added = added;
    this.#entries = entries;
  }

  next() {
    if (this.#rest !== null) {
      const r = this.#rest.next();
      // Over for good, as a Set iterator is: the added ids' Set is not held any longer.
      if (r.done) this.#rest = OVER;
      return r;
    }
    for (;;) {
      // (`#i > 0` only once a page is read.)
      if (this.#i > 0 && this.#changes.version !== this.#pageVersion) {
        // The table's ids changed since the last id: the rest of the page may be stale.
        this.#read(AFTER_CHANGE);
        continue;
      }
      const i = this.#i;
      if (i < this.#lens.length) {
        this.#i = i + 1;
        const id = this.#text.slice(this.#at, (this.#at += this.#lens[i]));
        this.#from = this.#positions[i] + 1;
        return { value: this.#entries ? [id, id] : id, done: false };
      }
      // `done` was true when the page was read, and nothing changed since: the table's ids are
      // all given; the added ones follow.
      if (this.#pageDone && this.#changes.version === this.#pageVersion) {
        this.#text = "";
        this.#lens = this.#positions = NO_LENS;
        const rest = this.#entries ? this.#added.entries() : this.#added.values();
        this.#rest = rest;
        return rest.next();
      }
      // A full page first (`#size` starts there), then growing back after a change.
      this.#read(Math.min(this.#size * 2, PAGE_ENTRIES));
    }
  }

  /** Reads the page from `#from` on, of `size` ids at most. If the read throws, nothing changes:
   * the next call reads again. */
  #read(size) {
    const version = this.#changes.version;
    const { text, lens, positions, done } = this.#readPage(this.#from, size);
    this.#size = size;
    this.#pageVersion = version;
    this.#text = text;
    this.#lens = lens;
    this.#positions = positions;
    this.#pageDone = done;
    this.#i = 0;
    this.#at = 0;
  }
}
Object.setPrototypeOf(IdsIterator.prototype, ITERATOR_PROTOTYPE);
Object.defineProperty(IdsIterator.prototype, Symbol.toStringTag, { value: "Set Iterator", configurable: true });

module.exports = { IdsIterator };
