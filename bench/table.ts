// A service-shaped `embeddings` table: ids like the service's, 5% of items in 3 chunks, sha256-like
// hashes, 768-dim vectors by default, written in fragments of 10,000 rows.
import { createHash } from "node:crypto";
import { sdk, type Line } from "./sdk";

export interface TableSpec {
  rows: number;
  dims: number;
  fragmentRows: number;
  line: Line;
}

/** The ids and hashes of a table of `rows` rows, deterministic. */
export function* serviceIds(rows: number): Generator<[string, string]> {
  let written = 0;
  for (let item = 0; written < rows; item++) {
    const base = `ws/notes/2026/${(item % 97).toString(36)}/node-${item.toString(36).padStart(6, "0")}`;
    const hash = createHash("sha256").update(base).digest("hex");
    const chunks = item % 20 === 7 ? 3 : 1;
    for (let c = 0; c < chunks && written < rows; c++, written++) {
      yield [chunks > 1 ? `${base}#${c}` : base, hash];
    }
  }
}

export async function writeServiceTable(dbDir: string, spec: TableSpec): Promise<string> {
  const { lancedb, arrow } = sdk(spec.line);
  const db = await lancedb.connect(dbDir);
  const ids = serviceIds(spec.rows);
  let table: any = null;
  for (let start = 0; start < spec.rows; start += spec.fragmentRows) {
    const n = Math.min(spec.fragmentRows, spec.rows - start);
    const idCol: string[] = [];
    const hashCol: string[] = [];
    for (let i = 0; i < n; i++) {
      const [id, h] = ids.next().value as [string, string];
      idCol.push(id);
      hashCol.push(h);
    }
    const floats = new Float32Array(n * spec.dims);
    for (let i = 0; i < floats.length; i++) floats[i] = ((i * 2654435761) % 1000) / 1000;
    const vectorType = new arrow.FixedSizeList(spec.dims, new arrow.Field("item", new arrow.Float32(), true));
    const child = arrow.makeData({ type: new arrow.Float32(), length: floats.length, data: floats });
    const vectors = arrow.makeVector(arrow.makeData({ type: vectorType, length: n, nullCount: 0, child }));
    const str = (values: (string | null)[]) => arrow.vectorFromArray(values, new arrow.Utf8());
    const now = new Date().toISOString();
    const batch = new arrow.Table({
      id: str(idCol),
      text_hash: str(hashCol),
      context_text: str(new Array(n).fill(null)),
      model: str(new Array(n).fill("text-embedding-3-small")),
      dimensions: arrow.vectorFromArray(new Array(n).fill(spec.dims), new arrow.Int32()),
      metadata: str(new Array(n).fill("{}")),
      created_at: str(new Array(n).fill(now)),
      updated_at: str(new Array(n).fill(now)),
      vector: vectors,
    });
    if (table === null) table = await db.createTable("embeddings", batch, { mode: "overwrite" });
    else await table.add(batch);
  }
  return `${dbDir}/embeddings.lance`;
}
