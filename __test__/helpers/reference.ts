// The service's own logic, in JS, as the reference our native maps must equal.

/** The base-id rule: text after the LAST '#' is one or more ASCII digits and nothing else. */
export function getBaseId(id: string): string {
  const i = id.lastIndexOf("#");
  if (i >= 0 && /^[0-9]+$/.test(id.slice(i + 1))) return id.slice(0, i);
  return id;
}

export interface RefMaps {
  baseHashMap: Map<string, string | null>;
  existingIds: Set<string>;
  existingChunks: Map<string, string[]>;
  rowCount: number;
}

/** The service's loop over rows in scan order. */
export function buildFromRows(rows: Iterable<{ id: string; text_hash: string | null }>): RefMaps {
  const baseHashMap = new Map<string, string | null>();
  const existingIds = new Set<string>();
  const existingChunks = new Map<string, string[]>();
  let rowCount = 0;
  for (const { id, text_hash } of rows) {
    const baseId = getBaseId(id);
    existingIds.add(id);
    if (!baseHashMap.has(baseId)) baseHashMap.set(baseId, text_hash);
    if (!existingChunks.has(baseId)) existingChunks.set(baseId, []);
    existingChunks.get(baseId)!.push(id);
    rowCount++;
  }
  return { baseHashMap, existingIds, existingChunks, rowCount };
}

/** The toArray path: `table.query().select(["id","text_hash"]).toArray()`, then the loop. */
export async function referenceMaps(table: any): Promise<RefMaps> {
  const rows = await table.query().select(["id", "text_hash"]).toArray();
  return buildFromRows(rows.map((r: any) => ({ id: r.id, text_hash: r.text_hash })));
}

/** The service's streaming path: `for await` over record batches. */
export async function streamingMaps(table: any): Promise<RefMaps> {
  const baseHashMap = new Map<string, string | null>();
  const existingIds = new Set<string>();
  const existingChunks = new Map<string, string[]>();
  let rowCount = 0;
  for await (const batch of table.query().select(["id", "text_hash"])) {
    const idColumn = batch.getChild("id");
    const hashColumn = batch.getChild("text_hash");
    for (let i = 0; i < batch.numRows; i++) {
      const id = idColumn.get(i) as string;
      const textHash = hashColumn.get(i) as string | null;
      const baseId = getBaseId(id);
      existingIds.add(id);
      if (!baseHashMap.has(baseId)) baseHashMap.set(baseId, textHash);
      if (!existingChunks.has(baseId)) existingChunks.set(baseId, []);
      existingChunks.get(baseId)!.push(id);
      rowCount++;
    }
  }
  return { baseHashMap, existingIds, existingChunks, rowCount };
}
