"use strict";
// The "set-like" argument of the ES2024 Set methods (union, intersection, ...), read as the
// specification's GetSetRecord does, and its keys() iterator stepped and closed as the
// specification's IteratorStepValue and IteratorClose do.

function setRecord(other) {
  if (other === null || (typeof other !== "object" && typeof other !== "function")) {
    throw new TypeError("the argument must be set-like (an object with size, has and keys)");
  }
  const rawSize = other.size;
  if (typeof rawSize === "bigint" || typeof rawSize === "symbol") {
    throw new TypeError("the argument's size must be a number");
  }
  const numSize = Number(rawSize);
  if (Number.isNaN(numSize)) throw new TypeError("the argument's size must be a number");
  const size = Math.trunc(numSize);
  if (size < 0) throw new RangeError("the argument's size must not be negative");
  const has = other.has;
  if (typeof has !== "function") throw new TypeError("the argument's has must be a function");
  const keys = other.keys;
  if (typeof keys !== "function") throw new TypeError("the argument's keys must be a function");
  return { size, has: (v) => Boolean(has.call(other, v)), keys: () => keys.call(other) };
}

/** The specification's GetIteratorFromMethod over a set record's keys: `keys()` is called now,
 * its `next` read once. */
function openKeys(rec) {
  const it = rec.keys();
  if (it === null || (typeof it !== "object" && typeof it !== "function")) {
    throw new TypeError("keys() must return an iterator");
  }
  return { it, next: it.next };
}

/** Returned by {@link stepKeys} when the keys are over. */
const DONE = Symbol("done");

/** IteratorStepValue: the next key, or DONE. What `next`, `done` or `value` throws propagates,
 * and the iterator is then not closed. */
function stepKeys(keys) {
  const r = keys.next.call(keys.it);
  if (r === null || (typeof r !== "object" && typeof r !== "function")) {
    throw new TypeError("the iterator result is not an object");
  }
  if (r.done) return DONE;
  return r.value;
}

/** IteratorClose after a method stopped early, with an answer: `return()` is called if the
 * iterator has one; what it throws propagates, and a result that is not an object is a TypeError. */
function closeKeys(keys) {
  const ret = keys.it.return;
  if (ret === undefined || ret === null) return;
  if (typeof ret !== "function") throw new TypeError("the iterator's return is not a function");
  const r = ret.call(keys.it);
  if (r === null || (typeof r !== "object" && typeof r !== "function")) {
    throw new TypeError("the iterator's return() result is not an object");
  }
}

/** Calls `each(key)` for every key of `keys`, to the end. */
function forEachKey(keys, each) {
  for (let v = stepKeys(keys); v !== DONE; v = stepKeys(keys)) each(v);
}

/** Whether some key of `keys` passes `test`; on the first that does, closes the iterator. */
function someKey(keys, test) {
  for (let v = stepKeys(keys); v !== DONE; v = stepKeys(keys)) {
    if (test(v)) {
      closeKeys(keys);
      return true;
    }
  }
  return false;
}

module.exports = { setRecord, openKeys, forEachKey, someKey };
