"use strict";
// How the collections look in console.log / util.inspect / Bun.inspect: as Node prints a Map or a
// Set (size, the first `maxArrayLength` entries, values one level deeper, one line when short),
// from a walk of those few entries, not of the whole collection.

/** Node's defaults for the options a caller leaves out. */
const MAX_ENTRIES = 100;
const BREAK_LENGTH = 80;
/** The escapes of `colors: true`, which take no room on a line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is matched
const COLORS = /\u001b\[\d\d?m/g;

let utilInspect;
function fallbackInspect(value, options) {
  if (!utilInspect) utilInspect = require("node:util").inspect;
  return utilInspect(value, options);
}

/** `remaining` entries not shown, in Node's words. */
function remainingText(remaining) {
  return `... ${remaining} more item${remaining > 1 ? "s" : ""}`;
}

/**
 * `Map(3) { 'a' => 'x', 'b' => null }` or `Set(2) { 'a', 'b' }` for `kind` "Map" / "Set";
 * `entries` yields [key, value] (Map) or values (Set). `depth`, `options` and `inspect` are what
 * the engine passes to a custom inspect function (`depth`: the levels left below this one).
 */
function describe(kind, size, entries, depth, options, inspect) {
  const opts = options && typeof options === "object" ? options : {};
  // Empty, it prints in full at any depth.
  if (size === 0) return `${kind}(0) {}`;
  if (typeof depth === "number" && depth < 0) return `[${kind}]`;
  const show = typeof inspect === "function" ? inspect : fallbackInspect;
  // Keys and values are one level down.
  const inner = { ...opts, depth: typeof depth === "number" ? depth - 1 : depth };
  const limit = typeof opts.maxArrayLength === "number" ? Math.max(0, opts.maxArrayLength) : MAX_ENTRIES;
  const parts = [];
  if (limit > 0) {
    for (const e of entries) {
      parts.push(kind === "Map" ? `${show(e[0], inner)} => ${show(e[1], inner)}` : show(e, inner));
      if (parts.length >= limit) break;
    }
  }
  if (size > parts.length) parts.push(remainingText(size - parts.length));
  const open = `${kind}(${size}) {`;
  if (parts.length === 0) return `${open}}`;
  // Node's rule (reduceToSingleString): one line when `compact` allows it, the entries fit in
  // `breakLength` and none spans lines; else one entry per line.
  const compact = opts.compact === undefined ? 3 : opts.compact;
  if (compact !== false) {
    const breakLength = typeof opts.breakLength === "number" ? opts.breakLength : BREAK_LENGTH;
    const visible = opts.colors ? (p) => p.replace(COLORS, "") : (p) => p;
    let total = parts.length + (parts.length + open.length + 10);
    let fits = total + parts.length <= breakLength;
    for (let i = 0; fits && i < parts.length; i++) {
      total += visible(parts[i]).length;
      fits = total <= breakLength;
    }
    const oneLine = parts.join(", ");
    if (fits && !oneLine.includes("\n")) return `${open} ${oneLine} }`;
  }
  return `${open}\n  ${parts.map((p) => p.replaceAll("\n", "\n  ")).join(",\n  ")}\n}`;
}

module.exports = { describe };
