"use strict";
// The one error type of the package, and how native errors become it. The addon's errors carry
// their code as `code` (the codes are listed once, in src/core/error.rs: `errorCodes()`); a few
// codes are the JS layer's own.

/** Codes only the JS layer gives (index.d.ts lists these and the addon's). */
const JS_CODES = ["E_NO_TABLE", "E_NO_BINARY"];

const { lazy } = require("./lazy.js");

/** The addon's codes, read from it on the first native error (this module loads before it). */
const nativeCodes = lazy(() => new Set(require("./native-binding.js").errorCodes()));

class LanceHashMapsError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.code = code;
  }
}
Object.defineProperty(LanceHashMapsError.prototype, "name", {
  value: "LanceHashMapsError",
  writable: true,
  configurable: true,
});

function argError(message, cause) {
  return new LanceHashMapsError("E_ARG", message, cause === undefined ? undefined : { cause });
}

/** What a thrown value says, whatever it is (a value may have no string form, or a throwing one). */
function describeThrown(e) {
  try {
    if (e instanceof Error) return String(e.message);
    return String(e);
  } catch {
    return Object.prototype.toString.call(e);
  }
}

/** A native error as a LanceHashMapsError (one without a code of ours, e.g. the engine's own,
 * becomes E_INTERNAL, kept as cause). */
function fromNative(err) {
  const code = err !== null && typeof err === "object" ? err.code : undefined;
  if (typeof code === "string" && nativeCodes().has(code)) return new LanceHashMapsError(code, err.message);
  const message =
    err !== null && typeof err === "object" && typeof err.message === "string" ? err.message : String(err);
  return new LanceHashMapsError("E_INTERNAL", `internal error: ${message}`, { cause: err });
}

module.exports = { LanceHashMapsError, JS_CODES, argError, fromNative, describeThrown };
