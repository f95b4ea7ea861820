"use strict";
// The iterator of existingIds' values(), keys(), entries() and [Symbol.iterator](): live exactly as
// a Set's. Ids come a page at a time; after any change to the set the walk goes on from the
// position after the last id it yielded (positions do not move under a walk that holds one;
// deleted ids are skipped, added ones are appended). A plain iterator object rather than a generator: a walk is ~20% faster in Bun.

const { PAGE_ENTRIES } = require("./internal.js");

/** Entries read right after the set changed during a walk. */
const AFTER_CHANGE = 32;
const NO_LENS = new Uint32Array(0);
/** %IteratorPrototype%: gives the iterators `[Symbol.iterator]` and, where the engine has them,
 * the iterator helpers (`map`, `filter`, `take`, `toArray`, …), as a Set's iterators have. */
const ITERATOR_PROTOTYPE = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));

/** A walk dropped before its end no longer holds a position once collected. */
const dropped = new FinalizationRegistry((changes) => {
  changes.open--;
});

/** Ends a walk this package started and leaves early (a callback threw, an answer was found). */
let closeWalk;

class IdsIterator {
  /** `readPage(from, size)` → { text, lens, positions, done }; `changes`: the set's `version`,
   * `frozen` (positions below it, the table's ids, never move) and `open` (walks holding a
   * position after those: the set compacts only when there is none). */
  #readPage;
  #changes;
  #entries;
  /** The page being walked, read when the set was at `#pageVersion`. */
  #text = "";
  #lens = NO_LENS;
  #positions = NO_LENS;
  #pageDone = false;
  #pageVersion = 0;
  #i = 0;
  #at = 0;
  /** The position after the last id yielded, and the size of the next page. */
  #from = 0;
  #size = PAGE_ENTRIES;
  #finished = false;
  /** Counted in `changes.open`: its position is past the table's ids. */
  #counted = false;

  static {
    closeWalk = (it) => {
      if (#finished in it && !it.#finished) it.#end();
    };
  }

  constructor(readPage, changes, entries) {
    this.#readPage = readPage;
    this.#changes = changes;
    this.#entries = entries;
  }

  next() {
    for (;;) {
      if (this.#finished) return { value: undefined, done: true };
      // (`#i > 0` only once a page is read.)
      if (this.#i > 0 && this.#changes.version !== this.#pageVersion) {
        // The set changed since the last id: the rest of the page may be stale.
        this.#load(AFTER_CHANGE);
        continue;
      }
      const i = this.#i;
      if (i < this.#lens.length) {
        this.#i = i + 1;
        const id = this.#text.slice(this.#at, (this.#at += this.#lens[i]));
        this.#from = this.#positions[i] + 1;
        if (!this.#counted && this.#from > this.#changes.frozen) this.#holdPosition();
        return { value: this.#entries ? [id, id] : id, done: false };
      }
      // `done` was true when the page was read, and nothing changed since: no id is left.
      if (this.#pageDone && this.#changes.version === this.#pageVersion) {
        this.#end();
        continue;
      }
      // A full page first (`#size` starts there), then growing back after a change.
      this.#load(Math.min(this.#size * 2, PAGE_ENTRIES));
    }
  }

  /** Reads the page from `#from` on, of `size` ids at most. If the read throws, nothing changes:
   * the next call reads again. */
  #load(size) {
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

  /** From here until its end or its collection, the set keeps every position as it is. */
  #holdPosition() {
    this.#counted = true;
    this.#changes.open++;
    dropped.register(this, this.#changes, this);
  }

  /** No id is left: the walk is over for good, as a Set iterator's. (No `return()`: a Set
   * iterator has none, so a `break` leaves it where it was, and it can go on later.) */
  #end() {
    this.#finished = true;
    if (this.#counted) {
      this.#counted = false;
      this.#changes.open--;
      dropped.unregister(this);
    }
    this.#text = "";
    this.#lens = this.#positions = NO_LENS;
  }
}
Object.setPrototypeOf(IdsIterator.prototype, ITERATOR_PROTOTYPE);
Object.defineProperty(IdsIterator.prototype, Symbol.toStringTag, { value: "Set Iterator", configurable: true });

module.exports = { IdsIterator, closeWalk };
