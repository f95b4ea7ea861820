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

function emptyMaps(): RefMaps {
  return { baseHashMap: new Map(), existingIds: new Set(), existingChunks: new Map(), rowCount: 0 };
}

/** One row of the service's loop. */
function addRow(m: RefMaps, id: string, textHash: string | null) {
  const baseId = getBaseId(id);
  m.existingIds.add(id);
  if (!m.baseHashMap.has(baseId)) m.baseHashMap.set(baseId, textHash);
  if (!m.existingChunks.has(baseId)) m.existingChunks.set(baseId, []);
  m.existingChunks.get(baseId)!.push(id);
  m.rowCount++;
}

/** The service's loop over rows in scan order. */
export function buildFromRows(rows: Iterable<{ id: string; text_hash: string | null }>): RefMaps {
  const m = emptyMaps();
  for (const { id, text_hash } of rows) addRow(m, id, text_hash);
  return m;
}

/** The toArray path: `table.query().select(["id","text_hash"]).toArray()`, then the loop. */
export async function referenceMaps(table: any): Promise<RefMaps> {
  const rows = await table.query().select(["id", "text_hash"]).toArray();
  return buildFromRows(rows.map((r: any) => ({ id: r.id, text_hash: r.text_hash })));
}

/** The service's streaming path: `for await` over record batches. */
export async function streamingMaps(table: any): Promise<RefMaps> {
  const m = emptyMaps();
  for await (const batch of table.query().select(["id", "text_hash"])) {
    const idColumn = batch.getChild("id");
    const hashColumn = batch.getChild("text_hash");
    for (let i = 0; i < batch.numRows; i++) addRow(m, idColumn.get(i) as string, hashColumn.get(i) as string | null);
  }
  return m;
}

export interface Item {
  id: string;
  text: string;
  contextText?: string;
}

/**
 * The service's change check, in JS: hash `contextText || text`, skip items whose stored hash is
 * equal, collect the chunk ids of every base to re-embed and forget them in `existingIds`.
 */
export function servicePlan(
  maps: { baseHashMap: ReadonlyMap<string, string | null>; existingChunks: ReadonlyMap<string, string[]>; existingIds: Set<string> },
  items: Item[],
  forceAll = false,
) {
  const toEmbed: number[] = [];
  const hashes: string[] = [];
  let skipped = 0;
  items.forEach((item, i) => {
    const hash = new Bun.CryptoHasher("sha256").update(item.contextText || item.text).digest("hex");
    if (!forceAll && maps.baseHashMap.get(getBaseId(item.id)) === hash) return void skipped++;
    toEmbed.push(i);
    hashes.push(hash);
  });
  const idsToDelete: string[] = [];
  const seen = new Set<string>();
  for (const i of toEmbed) {
    const b = getBaseId(items[i].id);
    if (seen.has(b)) continue;
    seen.add(b);
    for (const id of maps.existingChunks.get(b) ?? []) idsToDelete.push(id);
  }
  for (const id of idsToDelete) maps.existingIds.delete(id);
  return { toEmbed, hashes, skipped, idsToDelete };
}
