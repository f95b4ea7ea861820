// A `bun build --compile` binary that imports the package runs buildHashMaps on a 450k-row table
// (the setting of the original SIGILL crash), from another working directory.
import { test, expect, afterAll } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeServiceTable, serviceIds } from "../bench/table";
import { removeDir, tempDir } from "./helpers/tables";

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
    `import { buildHashMaps } from ${JSON.stringify(main)};
const m = await buildHashMaps(process.argv[2]);
console.log(JSON.stringify({ rows: m.rowCount, ids: m.existingIds.size, bases: m.baseHashMap.size, chunks: m.existingChunks.size }));\n`,
  );
  const exe = join(work, "app");
  const build = Bun.spawnSync([process.execPath, "build", "--compile", entry, "--outfile", exe], { stderr: "pipe" });
  expect(build.stderr.toString()).not.toContain("error");
  expect(build.exitCode).toBe(0);
  const run = Bun.spawnSync([exe, tablePath], { cwd: "/", stderr: "pipe" });
  expect(run.stderr.toString()).toBe("");
  expect(run.exitCode).toBe(0);
  const bases = new Set<string>();
  for (const [id] of serviceIds(450_000)) bases.add(id.replace(/#\d+$/, ""));
  expect(JSON.parse(run.stdout.toString())).toEqual({ rows: 450_000, ids: 450_000, bases: bases.size, chunks: bases.size });
}, 180_000);
