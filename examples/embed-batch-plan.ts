// The service's embedBatch written with planChanges: the whole change check (hashing, comparison,
// stale chunk ids) in one native call. Compare examples/embed-batch.ts, the minimal drop-in that
// keeps the service's own loop. Type-checked by `npm test` (tsc); run it with:
//   bun examples/embed-batch-plan.ts <tablePath>
// (with a stand-in table and embedder that only print what they would do).
import { buildHashMaps, planChanges } from "../index";

interface ItemToEmbed {
  id: string;
  text: string;
  contextText?: string;
}

/** The two table calls embedBatch makes (a LanceDB `Table` has both). */
interface EmbeddingsTable {
  delete(predicate: string): Promise<unknown>;
  add(rows: Record<string, unknown>[]): Promise<unknown>;
}

type Embed = (texts: string[]) => Promise<number[][]>;

const sqlQuote = (s: string) => `'${s.replaceAll("'", "''")}'`;

export async function embedBatch(
  tablePath: string,
  table: EmbeddingsTable,
  embed: Embed,
  items: ItemToEmbed[],
  forceAll = false,
) {
  const maps = await buildHashMaps(tablePath);
  // One call: sha256 of every `contextText || text` on all cores, compared by base id; the chunk
  // ids of every item to re-embed, already removed from maps.existingIds.
  const { toEmbed, hashes, skipped, idsToDelete } = await planChanges(maps, items, { forceAll });

  if (idsToDelete.length) await table.delete(`id IN (${idsToDelete.map(sqlQuote).join(", ")})`);
  const chosen = toEmbed.map((i) => items[i]);
  const vectors = chosen.length ? await embed(chosen.map((it) => it.contextText || it.text)) : [];
  const now = new Date().toISOString();
  if (chosen.length) {
    await table.add(
      chosen.map((it, k) => ({
        id: it.id,
        text_hash: hashes[k],
        context_text: it.contextText ?? null,
        vector: vectors[k],
        created_at: now,
        updated_at: now,
      })),
    );
  }
  return { embedded: chosen.length, skipped, deleted: idsToDelete.length, remainingIds: maps.existingIds.size };
}

if (import.meta.main) {
  const tablePath = process.argv[2] ?? "./data/db.lance/embeddings.lance";
  const table: EmbeddingsTable = {
    delete: async (predicate) => console.log("would delete:", predicate.slice(0, 120)),
    add: async (rows) => console.log(`would add ${rows.length} rows`),
  };
  const embed: Embed = async (texts) => texts.map(() => [0, 0, 0]);
  const items: ItemToEmbed[] = [
    { id: "example#0", text: "hello" },
    { id: "other", text: "world" },
  ];
  console.log(await embedBatch(tablePath, table, embed, items));
}
