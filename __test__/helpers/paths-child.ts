// Run by __test__/paths.test.ts in a child process with its own HOME and working directory: for
// each location, what @lancedb/lancedb's `connect(location).openTable("embeddings")` reads and
// what buildHashMaps reads, given the database location with `tableName` and the table location.
// Prints one JSON array: per location { location, sdk, withTableName, tablePath }, each the ids
// read in scan order, "missing", or "error: <code or message>".
import { buildHashMaps } from "../../index";
import { type Line, sdk } from "../../fixtures/sdk";

const [line, ...locations] = process.argv.slice(2) as [Line, ...string[]];
const { lancedb } = sdk(line);

async function ours(path: string, options?: { tableName: string }): Promise<string[] | string> {
  try {
    const maps = await buildHashMaps(path, options);
    return maps.tableFound ? maps.existingIds.toArray() : "missing";
  } catch (e: any) {
    return `error: ${e.code}`;
  }
}

async function theirs(location: string): Promise<string[] | string> {
  try {
    const table = await (await lancedb.connect(location)).openTable("embeddings");
    const rows = await table.query().select(["id", "text_hash"]).toArray();
    return rows.map((r: any) => r.id);
  } catch (e: any) {
    return /not found|does not exist/i.test(String(e?.message)) ? "missing" : `error: ${e?.message}`;
  }
}

const results = [];
for (const location of locations) {
  const tablePath = `${location}${location.endsWith("/") ? "" : "/"}embeddings.lance`;
  // Ours first: connect() creates a missing database directory.
  const withTableName = await ours(location, { tableName: "embeddings" });
  const fromTablePath = await ours(tablePath);
  results.push({ location, sdk: await theirs(location), withTableName, tablePath: fromTablePath });
}
process.stdout.write(JSON.stringify(results));
