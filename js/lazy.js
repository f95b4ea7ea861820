"use strict";
// What the collections need before their first use of the rest: the inspect symbol, and a way to
// load a module on first use (a load needs neither the set methods nor printing nor planChanges).

/** The key of a custom `util.inspect` / `Bun.inspect` (js/inspect.js makes the text). */
const CUSTOM = Symbol.for("nodejs.util.inspect.custom");

/**
 * A function giving `load()`'s value, loading it on the first call.
 * @template T
 * @param {() => T} load
 * @returns {() => T}
 */
function lazy(load) {
  /** @type {T | undefined} */
  let value;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return /** @type {T} */ (value);
  };
}

module.exports = { CUSTOM, lazy };
