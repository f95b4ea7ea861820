// One writer API over either @lancedb/lancedb line. Each line must build its schema with the
// apache-arrow it was installed with, so the line's module passes both in.

export interface Row {
  id: string | null;
  text_hash: string | null;
  context_text?: string | null;
  vector?: number[];
}

export interface WriteOptions {
  /** Vector dimensions (small keeps big tables quick). Default 4. */
  dims?: number;
  /** Table name inside the database directory. Default "embeddings". */
  name?: string;
  /** Write lance file format v1 (the JS SDK's `useLegacyFormat`). */
  legacy?: boolean;
  /** Rows per `add` call, so that a table gets many fragments. Default: all at once. */
  fragmentRows?: number;
}

export interface Writer {
  /** "0.13" or "latest". */
  line: string;
  /** The installed SDK version. */
  version: string;
  lancedb: any;
  /** Creates (or overwrites) the table and returns the SDK's table handle. */
  write(dbDir: string, rows: Row[], opts?: WriteOptions): Promise<any>;
  /** The toArray path the service used: `table.query().select(["id","text_hash"]).toArray()`. */
  toArray(table: any): Promise<{ id: string; text_hash: string | null }[]>;
  open(dbDir: string, name?: string): Promise<any>;
  /** Rows with every column of the service's schema, as an arrow table with that exact schema
   * (the SDK's own inference would turn `dimensions` into a double in `mergeInsert`). */
  fullRows(rows: Row[], dims?: number, offset?: number): unknown;
}

function resonaRow(r: Row, dims: number, i: number) {
  return {
    id: r.id,
    text_hash: r.text_hash,
    // "" rather than null: the 0.13 SDK cannot infer the type of an all-null column (mergeInsert).
    context_text: r.context_text ?? "",
    model: "test-model",
    dimensions: dims,
    metadata: JSON.stringify({ i }),
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
    vector: r.vector ?? Array.from({ length: dims }, (_, k) => ((i * 31 + k) % 97) / 97),
  };
}

/** The version of the package whose entry point is `mainPath` (`package.json` is not exported). */
function packageVersion(mainPath: string): string {
  const { readFileSync } = require("node:fs") as typeof import("node:fs");
  const { dirname, join } = require("node:path") as typeof import("node:path");
  return JSON.parse(readFileSync(join(dirname(mainPath), "..", "package.json"), "utf8")).version;
}

/** `mainPath`: the resolved entry of this line's `@lancedb/lancedb`, to report its version. */
export function makeWriter(line: string, mainPath: string, lancedb: any, arrow: any): Writer {
  const version = packageVersion(mainPath);
  const schema = (dims: number) =>
    new arrow.Schema([
      new arrow.Field("id", new arrow.Utf8(), true),
      new arrow.Field("text_hash", new arrow.Utf8(), true),
      new arrow.Field("context_text", new arrow.Utf8(), true),
      new arrow.Field("model", new arrow.Utf8(), true),
      new arrow.Field("dimensions", new arrow.Int32(), true),
      new arrow.Field("metadata", new arrow.Utf8(), true),
      new arrow.Field("created_at", new arrow.Utf8(), true),
      new arrow.Field("updated_at", new arrow.Utf8(), true),
      new arrow.Field("vector", new arrow.FixedSizeList(dims, new arrow.Field("item", new arrow.Float32(), true)), true),
    ]);

  return {
    line,
    version,
    lancedb,
    async write(dbDir, rows, opts = {}) {
      const dims = opts.dims ?? 4;
      const name = opts.name ?? "embeddings";
      const db = await lancedb.connect(dbDir);
      const data = rows.map((r, i) => resonaRow(r, dims, i));
      const step = opts.fragmentRows ?? Math.max(data.length, 1);
      const createOpts: any = { mode: "overwrite", schema: schema(dims) };
      if (opts.legacy) createOpts.useLegacyFormat = true;
      const table = await db.createTable(name, data.slice(0, step), createOpts);
      for (let start = step; start < data.length; start += step) {
        await table.add(data.slice(start, start + step));
      }
      return table;
    },
    async toArray(table) {
      const rows = await table.query().select(["id", "text_hash"]).toArray();
      return rows.map((r: any) => ({ id: r.id, text_hash: r.text_hash }));
    },
    fullRows(rows, dims = 4, offset = 0) {
      return lancedb.makeArrowTable(
        rows.map((r, i) => resonaRow(r, dims, offset + i)),
        { schema: schema(dims) },
      );
    },
    async open(dbDir, name = "embeddings") {
      const db = await lancedb.connect(dbDir);
      return db.openTable(name);
    },
  };
}
