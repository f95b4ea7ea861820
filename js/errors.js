"use strict";
// The one error type of the package, and how native errors become it. The native binding rejects
// with messages of the form "E_CODE: message" (src/binding/errors.rs).

const CODES = new Set([
  "E_ARG",
  "E_NO_TABLE",
  "E_NOT_A_TABLE",
  "E_SCHEMA",
  "E_NULL_ID",
  "E_IO",
  "E_CORRUPT",
  "E_UNSUPPORTED",
  "E_VERSION",
  "E_ACCESS",
  "E_NETWORK",
  "E_ABORTED",
  "E_CALLBACK",
  "E_TOO_LARGE",
  "E_NO_MEMORY",
  "E_INTERNAL",
]);

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

/** A native error as a LanceHashMapsError (an unexpected one becomes E_INTERNAL, kept as cause). */
function fromNative(err) {
  const message = err && typeof err.message === "string" ? err.message : String(err);
  const m = /^(E_[A-Z_]+): ([\s\S]*)$/.exec(message);
  if (m && CODES.has(m[1])) return new LanceHashMapsError(m[1], m[2]);
  return new LanceHashMapsError("E_INTERNAL", `internal error: ${message}`, { cause: err });
}

module.exports = { LanceHashMapsError, argError, fromNative, describeThrown };
