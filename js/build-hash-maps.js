"use strict";
// buildHashMaps and emptyHashMaps: the checked call into the native scan, the AbortSignal and
// progress wiring, and the result's collections.

const native = require("./native-binding.js");
const { INTERNAL } = require("./internal.js");
const { LanceHashMapsError, argError, describeThrown, fromNative } = require("./errors.js");
const { checkBuildArgs } = require("./options.js");
const { BaseHashMap } = require("./base-hash-map.js");
const { ExistingChunks } = require("./existing-chunks.js");
const { ExistingIds } = require("./existing-ids.js");

/** The result object over the native handles of one load. */
function hashMaps(loaded) {
  return {
    baseHashMap: new BaseHashMap(INTERNAL, loaded.maps),
    existingIds: new ExistingIds(INTERNAL, loaded.idSet),
    existingChunks: new ExistingChunks(INTERNAL, loaded.maps),
    rowCount: loaded.rowCount,
    tableFound: loaded.tableFound,
    version: loaded.version ?? null,
    warning: loaded.warning ?? null,
  };
}

/** Listens to `signal` for the duration of a call; `detach()` stops listening. */
function watchSignal(signal, flag) {
  if (!signal) return () => {};
  const onAbort = () => flag.abort();
  try {
    signal.addEventListener("abort", onAbort, { once: true });
  } catch (e) {
    throw argError(`options.signal.addEventListener threw: ${describeThrown(e)}`, e);
  }
  // An abort between the check of `aborted` and the listener: the listener would never run.
  try {
    if (signal.aborted) flag.abort();
  } catch (e) {
    signal.removeEventListener("abort", onAbort);
    throw argError(`reading options.signal.aborted threw: ${describeThrown(e)}`, e);
  }
  return () => {
    try {
      signal.removeEventListener("abort", onAbort);
    } catch (e) {
      throw argError(`options.signal.removeEventListener threw: ${describeThrown(e)}`, e);
    }
  };
}

async function buildHashMaps(tablePath, options) {
  const { args, signal, onProgress, ifMissing } = checkBuildArgs(tablePath, options);
  let aborted;
  try {
    aborted = signal?.aborted;
  } catch (e) {
    throw argError(`reading options.signal.aborted threw: ${describeThrown(e)}`, e);
  }
  if (aborted) {
    throw new LanceHashMapsError("E_ABORTED", `${tablePath}: the call was aborted`);
  }
  const flag = new native.AbortFlag();
  const detach = watchSignal(signal, flag);
  // The user's callback never throws into the addon: what it throws stops the call.
  let thrown = null;
  let settled = false;
  let lastLoaded = -1;
  const progress = onProgress
    ? (loaded, total) => {
        if (settled || thrown) return;
        lastLoaded = loaded;
        try {
          onProgress(loaded, total);
        } catch (e) {
          thrown = { value: e };
          flag.abort();
        }
      }
    : undefined;
  const callbackError = () =>
    new LanceHashMapsError(
      "E_CALLBACK",
      `options.onProgress threw, so the call was stopped: ${describeThrown(thrown.value)}`,
      { cause: thrown.value },
    );
  let loaded;
  try {
    try {
      loaded = await native.loadMaps(args, flag, progress);
    } catch (e) {
      throw thrown ? callbackError() : fromNative(e);
    }
    // The last progress call is queued by the scan and may not have run yet: make it now, so
    // that `onProgress(rowCount, totalRows)` has always been called once the promise settles.
    if (progress && loaded.tableFound && lastLoaded !== loaded.rowCount) {
      progress(loaded.rowCount, loaded.rowCount);
    }
    if (thrown) throw callbackError();
  } finally {
    settled = true;
    detach();
  }
  if (!loaded.tableFound && ifMissing === "error") {
    const where = args.tableName ? `${tablePath} (table ${args.tableName})` : tablePath;
    throw new LanceHashMapsError(
      "E_NO_TABLE",
      `${where}: no table found${loaded.warning ? `; ${loaded.warning}` : ""}`,
    );
  }
  return hashMaps(loaded);
}

/** Empty maps, for planChanges when there is no table yet (or with forceAll). */
function emptyHashMaps() {
  let empty;
  try {
    empty = native.emptyMaps();
  } catch (e) {
    throw fromNative(e);
  }
  return hashMaps(empty);
}

module.exports = { buildHashMaps, emptyHashMaps };
