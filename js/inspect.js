"use strict";
// How the collections look in console.log / util.inspect / Bun.inspect: like a Map or Set, with
// the size and the first entries (a walk of a few entries, not of the whole collection).

const CUSTOM = Symbol.for("nodejs.util.inspect.custom");
const SHOWN = 100;

let utilInspect;
function fallbackInspect(value) {
  if (!utilInspect) utilInspect = require("node:util").inspect;
  return utilInspect(value);
}

/**
 * `Map(3) { 'a' => 'x', 'b' => null }` or `Set(2) { 'a', 'b' }` for `kind` "Map" / "Set";
 * `entries` yields [key, value] (Map) or values (Set).
 */
function describe(kind, size, entries, depth, options, inspect) {
  const show = typeof inspect === "function" ? (v) => inspect(v, options) : fallbackInspect;
  if (typeof depth === "number" && depth < 0) return `[${kind}]`;
  const parts = [];
  for (const e of entries) {
    if (parts.length === SHOWN) break;
    parts.push(kind === "Map" ? `${show(e[0])} => ${show(e[1])}` : show(e));
  }
  if (size > parts.length) parts.push(`... ${size - parts.length} more items`);
  return parts.length ? `${kind}(${size}) { ${parts.join(", ")} }` : `${kind}(0) {}`;
}

module.exports = { CUSTOM, describe };
