"use strict";
// Argument checks for buildHashMaps: every wrong type or value is an E_ARG error naming the
// option; a getter that throws is an E_ARG error with what it threw as `cause`.

const { argError, describeThrown } = require("./errors.js");
const { checkOptionKeys } = require("./option-keys.js");
const { wellFormed } = require("./well-formed.js");

/** The options buildHashMaps takes, as index.d.ts declares them. */
const BUILD_OPTIONS = [
  "tableName",
  "idColumn",
  "hashColumn",
  "version",
  "batchSize",
  "ifMissing",
  "signal",
  "onProgress",
  "progressEvery",
  "storageOptions",
  "waitTimeoutMs",
];

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** options[name], where reading it may run user code (a getter, a Proxy). */
function read(options, name) {
  try {
    return options[name];
  } catch (e) {
    throw argError(`reading options.${name} threw: ${describeThrown(e)}`, e);
  }
}

function optionalString(options, name, fallback) {
  const v = read(options, name);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "string") throw argError(`options.${name} must be a string, got ${typeof v}`);
  if (v === "") throw argError(`options.${name} is an empty string`);
  return v;
}

function optionalInteger(options, name, min, max, fallback) {
  const v = read(options, name);
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number") throw argError(`options.${name} must be a number, got ${typeof v}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw argError(`options.${name} must be a whole number from ${min} to ${max}, got ${v}`);
  }
  return v;
}

function checkSignal(signal) {
  if (signal === undefined || signal === null) return undefined;
  let ok;
  try {
    ok =
      typeof signal === "object" &&
      typeof signal.aborted === "boolean" &&
      typeof signal.addEventListener === "function" &&
      typeof signal.removeEventListener === "function";
  } catch (e) {
    throw argError(`reading options.signal threw: ${describeThrown(e)}`, e);
  }
  if (!ok) throw argError("options.signal must be an AbortSignal");
  return signal;
}

/** @returns {Record<string, string> | undefined} */
function checkStorageOptions(value) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw argError("options.storageOptions must be an object of string values");
  }
  /** @type {Record<string, string>} */
  const out = {};
  for (const key of Object.keys(value)) {
    let v;
    try {
      v = value[key];
    } catch (e) {
      throw argError(`reading options.storageOptions.${key} threw: ${describeThrown(e)}`, e);
    }
    if (typeof v !== "string") {
      throw argError(`options.storageOptions.${key} must be a string, got ${typeof v}`);
    }
    out[wellFormed(key)] = wellFormed(v);
  }
  return out;
}

/**
 * The checked arguments of buildHashMaps: `{ args, signal, onProgress, ifMissing }`, where `args`
 * is what the native loadMaps takes.
 */
function checkBuildArgs(tablePath, options) {
  if (typeof tablePath !== "string") {
    throw argError(
      `tablePath must be a string (a table directory or URI), got ${tablePath === null ? "null" : typeof tablePath}`,
    );
  }
  if (tablePath === "") throw argError("tablePath is an empty string");
  if (tablePath.includes("\0")) throw argError("tablePath contains a NUL character");
  if (options !== undefined && options !== null && typeof options !== "object") {
    throw argError(`options must be an object, got ${typeof options}`);
  }
  const o = options ?? {};
  checkOptionKeys(o, BUILD_OPTIONS, "buildHashMaps");
  const ifMissing = read(o, "ifMissing") ?? "empty";
  if (ifMissing !== "empty" && ifMissing !== "error") {
    throw argError(`options.ifMissing must be "empty" or "error", got ${String(ifMissing)}`);
  }
  const onProgress = read(o, "onProgress") ?? undefined;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw argError("options.onProgress must be a function (loadedRows, totalRows) => void");
  }
  // Strings reach the addon as Node hands them to the SDK: a lone surrogate as U+FFFD (some
  // engines would drop it, and read another path or column).
  const text = (/** @type {string | undefined} */ s) => (s === undefined ? s : wellFormed(s));
  const args = {
    path: wellFormed(tablePath),
    tableName: text(optionalString(o, "tableName", undefined)),
    idColumn: wellFormed(optionalString(o, "idColumn", "id")),
    hashColumn: wellFormed(optionalString(o, "hashColumn", "text_hash")),
    version: optionalInteger(o, "version", 1, MAX_SAFE, undefined),
    batchSize: optionalInteger(o, "batchSize", 1, 1048576, 8192),
    progressEvery: optionalInteger(o, "progressEvery", 1, MAX_SAFE, 50000),
    storageOptions: checkStorageOptions(read(o, "storageOptions")),
    waitTimeoutMs: optionalInteger(o, "waitTimeoutMs", 1, 2 ** 31 - 1, 60000),
  };
  if (args.tableName !== undefined && !/^[A-Za-z0-9_.-]{1,128}$/.test(args.tableName)) {
    throw argError(
      `options.tableName ${JSON.stringify(args.tableName)} is not a valid table name (1 to 128 of A-Z a-z 0-9 _ . -)`,
    );
  }
  const signal = checkSignal(read(o, "signal"));
  return { args, signal, onProgress, ifMissing };
}

module.exports = { checkBuildArgs, BUILD_OPTIONS };
