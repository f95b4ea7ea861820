// lance-hashmaps: the change-detection maps of a LanceDB embeddings table, built natively.
// Needs TypeScript 5.0 or newer; works with any `lib` setting from ES2020 to ESNext.

/** Every `code` a {@link LanceHashMapsError} can have. */
export type ErrorCode =
  /** A bad argument or option (the message names it); a throwing getter or signal method is the `cause`. */
  | "E_ARG"
  /** No table at the path, with `ifMissing: "error"`. */
  | "E_NO_TABLE"
  /** The path exists but is not a Lance table (a file, an empty or foreign directory). */
  | "E_NOT_A_TABLE"
  /** A needed column is missing or is not a string column. */
  | "E_SCHEMA"
  /** A row has a null id. */
  | "E_NULL_ID"
  /** The operating system refused or failed a read (permissions, I/O errors). */
  | "E_IO"
  /** A file of the table is damaged (truncated, garbage, missing data file). */
  | "E_CORRUPT"
  /** The table uses a format feature or storage this build cannot read. */
  | "E_UNSUPPORTED"
  /** The requested table version does not exist. */
  | "E_VERSION"
  /** The object store refused the credentials, or access to the bucket or object. */
  | "E_ACCESS"
  /** The object store could not be reached or did not answer in time. */
  | "E_NETWORK"
  /** The call was aborted through `options.signal`. */
  | "E_ABORTED"
  /** `options.onProgress` threw; what it threw is the `cause`. */
  | "E_CALLBACK"
  /** The table is larger than the maps can address (4 GiB of ids, 2^32 rows). */
  | "E_TOO_LARGE"
  /** Memory for the maps could not be had. */
  | "E_NO_MEMORY"
  /** A bug in lance-hashmaps: please report it. Nothing partial is returned. */
  | "E_INTERNAL"
  /**
   * Thrown by the import itself: no native binary loads on this platform (the platform package is
   * missing, or the system's glibc is older than 2.17). The message says what to install.
   */
  | "E_NO_BINARY";

/** The error every function of this package rejects or throws with (besides `TypeError` from the collections' own methods). */
export declare class LanceHashMapsError extends Error {
  private constructor();
  /** Stable across versions: test this, not the message. */
  readonly code: ErrorCode;
  readonly name: "LanceHashMapsError";
  /** For `E_CALLBACK` and some `E_ARG` errors: what the callback, getter or signal method threw. */
  readonly cause?: unknown;
}

/**
 * What `options.signal` needs of an `AbortSignal` (any `AbortSignal` fits; declared here so that
 * the types need neither the DOM lib nor `@types/node`).
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/** A set-like argument of the ES2024 `Set` methods (`union`, `intersection`, …). */
export interface SetLike<T> {
  readonly size: number;
  has(value: T): boolean;
  keys(): Iterator<T>;
}

/**
 * Base id → `text_hash` of the first row (in scan order) with that base; `null` where that row's
 * hash is null. A read-only `Map`: assignable to `ReadonlyMap<string, string | null>`.
 * Iteration follows first insertion in scan order, as the `Map` built by a JS loop would.
 */
export declare class BaseHashMap implements ReadonlyMap<string, string | null> {
  private constructor();
  /** Number of distinct base ids. */
  readonly size: number;
  /** The hash stored for `key`: a string, `null` for a stored null, `undefined` when absent. */
  get(key: string): string | null | undefined;
  /** Whether `key` is a base id of the table. */
  has(key: string): boolean;
  keys(): ReturnType<ReadonlyMap<string, string | null>["keys"]>;
  values(): ReturnType<ReadonlyMap<string, string | null>["values"]>;
  entries(): ReturnType<ReadonlyMap<string, string | null>["entries"]>;
  [Symbol.iterator](): ReturnType<ReadonlyMap<string, string | null>["entries"]>;
  forEach(
    callbackfn: (value: string | null, key: string, map: ReadonlyMap<string, string | null>) => void,
    thisArg?: any,
  ): void;
  /** A plain `Map` with the same entries, in the same order. */
  toMap(): Map<string, string | null>;
  /** `"Map"`, so `Object.prototype.toString` gives `"[object Map]"`. */
  readonly [Symbol.toStringTag]: string;
}

/**
 * Base id → every id with that base, in scan order. A read-only `Map`: assignable to
 * `ReadonlyMap<string, string[]>`. Each `get` returns a new array.
 */
export declare class ExistingChunks implements ReadonlyMap<string, string[]> {
  private constructor();
  /** Number of distinct base ids. */
  readonly size: number;
  /** The ids with base `key`, in scan order; `undefined` when absent. */
  get(key: string): string[] | undefined;
  /** Whether `key` is a base id of the table. */
  has(key: string): boolean;
  keys(): ReturnType<ReadonlyMap<string, string[]>["keys"]>;
  values(): ReturnType<ReadonlyMap<string, string[]>["values"]>;
  entries(): ReturnType<ReadonlyMap<string, string[]>["entries"]>;
  [Symbol.iterator](): ReturnType<ReadonlyMap<string, string[]>["entries"]>;
  forEach(callbackfn: (value: string[], key: string, map: ReadonlyMap<string, string[]>) => void, thisArg?: any): void;
  /** A plain `Map` with the same entries, in the same order. */
  toMap(): Map<string, string[]>;
  /** `"Map"`, so `Object.prototype.toString` gives `"[object Map]"`. */
  readonly [Symbol.toStringTag]: string;
}

/**
 * Every id of the table, in first-seen scan order: a `Set<string>` in behaviour and in type
 * (assignable to `Set<string>` and `ReadonlySet<string>`). `add`, `delete` and `clear` change it
 * as on a `Set`, and iterators are live exactly as a `Set`'s are. `add` takes any string (a
 * string with an unpaired surrogate is never a table id, but can be added); anything else throws
 * `E_ARG`.
 */
export declare class ExistingIds implements Set<string> {
  private constructor();
  /** Number of ids in the set. */
  readonly size: number;
  has(value: string): boolean;
  /** Adds `value` at the end if absent. */
  add(value: string): this;
  /** Removes `value`; `true` if it was in the set. */
  delete(value: string): boolean;
  clear(): void;
  values(): ReturnType<Set<string>["values"]>;
  keys(): ReturnType<Set<string>["keys"]>;
  entries(): ReturnType<Set<string>["entries"]>;
  [Symbol.iterator](): ReturnType<Set<string>["values"]>;
  forEach(callbackfn: (value: string, value2: string, set: Set<string>) => void, thisArg?: any): void;
  /** Every id, in order: the fastest way to copy them all out. */
  toArray(): string[];
  /** A plain `Set` with the same ids, in the same order. */
  toSet(): Set<string>;
  union<U>(other: SetLike<U>): Set<string | U>;
  intersection<U>(other: SetLike<U>): Set<string & U>;
  difference<U>(other: SetLike<U>): Set<string>;
  symmetricDifference<U>(other: SetLike<U>): Set<string | U>;
  isSubsetOf(other: SetLike<unknown>): boolean;
  isSupersetOf(other: SetLike<unknown>): boolean;
  isDisjointFrom(other: SetLike<unknown>): boolean;
  /** `"Set"`, so `Object.prototype.toString` gives `"[object Set]"`. */
  readonly [Symbol.toStringTag]: string;
}

/** What {@link buildHashMaps} resolves with. */
export interface HashMaps {
  /** Base id → `text_hash` of the first row with that base (`null` where that hash is null). */
  baseHashMap: BaseHashMap;
  /** Every id. */
  existingIds: ExistingIds;
  /** Base id → every id with that base, in scan order. */
  existingChunks: ExistingChunks;
  /** Rows read (deleted rows excluded; a duplicate id counts each time). */
  rowCount: number;
  /** `false` when there was no table at the path: the maps are then empty. */
  tableFound: boolean;
  /** The table version read; `null` when no table was found. */
  version: number | null;
  /**
   * When no table was found and that looks like a mistake, why: a directory on the way that does
   * not exist (named), a relative path (the absolute path looked at and the working directory), a
   * `~name/…` path (only `~` and `~/` mean the home directory, as for `@lancedb/lancedb`), a
   * `tableName` ending in `.lance`, or a database directory that holds other tables (listed).
   * Otherwise `null`.
   */
  warning: string | null;
}

/** Options of {@link buildHashMaps}. */
export interface BuildHashMapsOptions {
  /**
   * The table's name when `tablePath` is a database directory (or database URI): the table
   * `<tableName>.lance` inside it is read, as `connect(tablePath).openTable(tableName)` would.
   * @default undefined — `tablePath` is the table itself
   */
  tableName?: string;
  /**
   * The id column; must be a string column. A null id rejects with `E_NULL_ID`.
   * @default "id"
   */
  idColumn?: string;
  /**
   * The hash column; must be a string column. Nulls are kept as `null`.
   * @default "text_hash"
   */
  hashColumn?: string;
  /**
   * Read this table version instead of the latest (see {@link HashMaps.version}). A version that
   * does not exist rejects with `E_VERSION`.
   * @default undefined — the latest version
   */
  version?: number;
  /**
   * Rows per batch read from the table. Changes speed and memory, never results.
   * @default 8192
   */
  batchSize?: number;
  /**
   * What a missing table gives: `"empty"` resolves with empty maps and `tableFound: false`;
   * `"error"` rejects with `E_NO_TABLE` (naming the likely mistake, see {@link HashMaps.warning}).
   * @default "empty"
   */
  ifMissing?: "empty" | "error";
  /**
   * Stops the call: it then rejects with `E_ABORTED`, promptly (between batches, and while it waits
   * on an object store). An already aborted signal rejects before anything is read.
   * @default undefined
   */
  signal?: AbortSignalLike;
  /**
   * Called as rows are loaded, at most once per `progressEvery` rows, and always once at the end
   * with `loadedRows === rowCount`, before the promise settles; never after. If it throws, the
   * call stops and rejects with `E_CALLBACK`, with the thrown value as `cause`.
   * @default undefined
   */
  onProgress?: (loadedRows: number, totalRows: number) => void;
  /**
   * Rows between `onProgress` calls.
   * @default 50000
   */
  progressEvery?: number;
  /**
   * For tables on object storage: the same keys and values as
   * `connect(uri, { storageOptions })` in `@lancedb/lancedb` (e.g. `aws_access_key_id`,
   * `aws_secret_access_key`, `aws_region`, `aws_endpoint`, `allow_http`, `timeout`,
   * `azure_storage_account_name`, `azure_storage_account_key`). Values are strings. Where a key is
   * absent, the environment variables the SDK reads (`AWS_*`, `AZURE_STORAGE_*`) apply.
   * @default undefined
   */
  storageOptions?: Record<string, string>;
  /**
   * Tables on object storage: the longest the call waits for any one step (opening the table, the
   * next batch) before it rejects with `E_NETWORK`, whatever the store's own timeouts and retries.
   * @default 60000
   */
  waitTimeoutMs?: number;
}

/**
 * Reads the `id` and `text_hash` columns of a LanceDB table and builds the change-detection maps
 * natively: the same content and iteration order as a JS loop over
 * `table.query().select(["id", "text_hash"]).toArray()`, in compact native memory.
 *
 * `tablePath` is the database location you give `connect()` of `@lancedb/lancedb`, together with
 * `options.tableName` (`buildHashMaps(dbPath, { tableName: "embeddings" })` reads what
 * `connect(dbPath).openTable("embeddings")` reads, for paths and URIs alike); or the table itself
 * (`<db>/embeddings.lance`, `s3://bucket/db/embeddings.lance`). A location names the same table
 * as for the SDK: `~` and `~/` are the home directory, a relative path is taken from the working
 * directory, `..` is resolved by name before symbolic links are followed; `file://` URIs work. An
 * unknown option key rejects with `E_ARG`. The table is only read: nothing is created, locked or
 * changed, even when it is missing.
 *
 * Rejects with a {@link LanceHashMapsError} (see {@link ErrorCode}) naming the path and the
 * cause; never resolves with partial maps.
 */
export declare function buildHashMaps(tablePath: string, options?: BuildHashMapsOptions): Promise<HashMaps>;

/** Empty maps (`tableFound: false`), e.g. for {@link planChanges} before the table exists. */
export declare function emptyHashMaps(): HashMaps;

/** One item of a batch. */
export interface PlanItem {
  /** The item's id; its base id is looked up in `baseHashMap`. */
  id: string;
  /** The text to embed. */
  text: string;
  /** When present and non-empty, hashed instead of `text` (`contextText || text`). */
  contextText?: string | null;
}

/** Options of {@link planChanges}. */
export interface PlanOptions {
  /**
   * Embed every item, whatever its stored hash.
   * @default false
   */
  forceAll?: boolean;
  /**
   * Remove `idsToDelete` from `maps.existingIds`, so that later `existingIds.has` checks agree
   * with the rows the caller is about to delete.
   * @default true
   */
  removeFromExistingIds?: boolean;
}

/** What to do with a batch. */
export interface ChangePlan {
  /** Indexes into `items` of the items to embed (new or changed), in item order. */
  toEmbed: number[];
  /** The sha256 (lowercase hex) of each `toEmbed` item's `contextText || text`, same order. */
  hashes: string[];
  /** Items whose stored hash equals their hash: nothing to do. */
  skipped: number;
  /**
   * Existing ids to delete before inserting the new embeddings: for each distinct base id of the
   * items to embed (in first-appearance order), its ids from `existingChunks`, in scan order.
   */
  idsToDelete: string[];
}

/**
 * Plans a batch against the maps: hashes every item's `contextText || text` (sha256, on every
 * core), compares it with `baseHashMap` by base id (a stored null never matches), and lists the
 * existing ids of every item to re-embed. Unless `options.removeFromExistingIds` is `false`, those
 * ids are also removed from `maps.existingIds`.
 *
 * Rejects with `E_ARG` for malformed arguments (naming the item), and with the thrown value itself
 * when reading an item throws (a getter, a Proxy).
 */
export declare function planChanges(
  maps: HashMaps,
  items: readonly PlanItem[],
  options?: PlanOptions,
): Promise<ChangePlan>;

/** sha256 of the UTF-8 bytes of `text` (lone surrogates as U+FFFD, as JS encodes them), as 64 lowercase hex characters. */
export declare function hashText(text: string): string;

/** {@link hashText} of every text, in order; large batches are hashed on every core. */
export declare function hashTexts(texts: readonly string[]): string[];
