// The "set-like" argument of the ES2024 Set methods (union, intersection, ...), read as the
// specification's GetSetRecord does, and its keys() iterator closed as IteratorClose does when a
// method stops early.

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
  return { size, has: (v) => Boolean(has.call(other, v)), keys: () => keys.call(other), keysFn: keys };
}

/**
 * The values of a set record's `keys()` iterator; stopping early closes it (calls `return`), or,
 * for an iterator with no `return` (a Set's has none), passes it to `closeOwn(rec, it)`: the caller
 * ends it if it is one of its own that nobody else can see.
 */
function* keysOf(rec, closeOwn) {
  const it = rec.keys();
  if (it === null || (typeof it !== "object" && typeof it !== "function")) {
    throw new TypeError("keys() must return an iterator");
  }
  const next = it.next;
  let finished = false;
  try {
    for (;;) {
      let r;
      try {
        r = next.call(it);
        if (r === null || (typeof r !== "object" && typeof r !== "function")) {
          throw new TypeError("the iterator result is not an object");
        }
      } catch (e) {
        finished = true; // a throwing or broken iterator is not closed
        throw e;
      }
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    // Only when the caller stopped early (not when the iterator ended or failed).
    if (!finished && typeof it.return === "function") {
      try {
        it.return();
      } catch {}
    } else if (!finished && closeOwn) closeOwn(rec, it);
  }
}

module.exports = { setRecord, keysOf };
