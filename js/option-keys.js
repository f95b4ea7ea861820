"use strict";
// Unknown option keys: a typo such as `{ ifmissing: "error" }` would otherwise be ignored, and the
// safety option it meant would silently do nothing. Each call checks its options' own keys
// against the ones it knows and names the nearest known one.

const { argError, describeThrown } = require("./errors.js");

/** Edit distance between a and b (insertions, deletions, substitutions), capped at `cap` + 1. */
function distance(a, b, cap) {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost));
    }
    prev = row;
  }
  return prev[b.length];
}

/** The known key `key` most likely meant, or undefined. */
function nearest(key, known) {
  const lower = key.toLowerCase();
  let best;
  let bestDistance = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  for (const k of known) {
    const kl = k.toLowerCase();
    if (kl === lower || (lower.length >= 4 && (kl.startsWith(lower) || lower.startsWith(kl)))) return k;
    const d = distance(lower, kl, bestDistance);
    if (d <= bestDistance) {
      best = k;
      bestDistance = d - 1;
    }
  }
  return best;
}

/**
 * Throws E_ARG when `options` has an own enumerable key that `known` does not list: `call` names
 * the function ("buildHashMaps"), the message the key and the known key it resembles.
 */
function checkOptionKeys(options, known, call) {
  let keys;
  try {
    keys = Object.keys(options);
  } catch (e) {
    throw argError(`listing the keys of ${call}'s options threw: ${describeThrown(e)}`, e);
  }
  for (const key of keys) {
    if (known.includes(key)) continue;
    const meant = nearest(key, known);
    const hint = meant === undefined ? `its options are ${known.join(", ")}` : `did you mean ${meant}?`;
    throw argError(`${call}: unknown option ${JSON.stringify(key)}: ${hint}`);
  }
}

module.exports = { checkOptionKeys };
