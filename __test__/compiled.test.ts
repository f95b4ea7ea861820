// A `bun build --compile` binary that imports the package runs buildHashMaps (and planChanges) on a 450k-row table
// (the setting of the original SIGILL crash), from another working directory.
import { test, expect, afterAll } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeServiceTable, serviceIds } from "../fixtures/service-table";
import { removeDir, tempDir } from "../fixtures/tables";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

test("a compiled Bun binary builds the maps of a 450,000-row table", async () => {
  const work = tempDir("compiled");
  dirs.push(work);
  const tablePath = await writeServiceTable(work, { rows: 450_000, dims: 8, fragmentRows: 50_000, line: "latest" });
  const entry = join(work, "app.ts");
  const main = join(import.meta.dir, "..", "index.js");
  writeFileSync(
    entry,
    `import { buildHashMaps, planChanges } from ${JSON.stringify(main)};
const m = await buildHashMaps(process.argv[2]);
const counts = { rows: m.rowCount, ids: m.existingIds.size, bases: m.baseHashMap.size, chunks: m.existingChunks.size };
// planChanges too (its packer is compiled inside the binary's engine): the table's hash of a base
// is sha256 of the base, so every other item below is unchanged.
const items = [...m.baseHashMap.keys()].slice(0, 20000).map((b, i) => ({ id: b, text: i % 2 ? b : b + "!" }));
const p = await planChanges(m, items);
console.log(JSON.stringify({ ...counts, skipped: p.skipped, toEmbed: p.toEmbed.length, idsToDelete: p.idsToDelete.length }));\n`,
  );
  const exe = join(work, "app");
  const build = Bun.spawnSync([process.execPath, "build", "--compile", entry, "--outfile", exe], { stderr: "pipe" });
  expect(build.stderr.toString()).not.toContain("error");
  expect(build.exitCode).toBe(0);
  const run = Bun.spawnSync([exe, tablePath], { cwd: "/", stderr: "pipe" });
  expect(run.stderr.toString()).toBe("");
  expect(run.exitCode).toBe(0);
  const chunksOf = new Map<string, number>();
  for (const [id] of serviceIds(450_000)) {
    const b = id.replace(/#\d+$/, "");
    chunksOf.set(b, (chunksOf.get(b) ?? 0) + 1);
  }
  const first = [...chunksOf.values()].slice(0, 20000);
  const deleted = first.reduce((n, c, i) => n + (i % 2 ? 0 : c), 0);
  expect(JSON.parse(run.stdout.toString())).toEqual({
    rows: 450_000,
    ids: 450_000,
    bases: chunksOf.size,
    chunks: chunksOf.size,
    skipped: 10000,
    toEmbed: 10000,
    idsToDelete: deleted,
  });
}, 180_000);
