// 5,000,000 rows (small vectors): buildHashMaps stays within the memory bound of the performance
// issue — peak process memory at most a third of the TS streaming path's — and equals it exactly.
import { test, expect, afterAll } from "bun:test";
import { join } from "node:path";
import { writeServiceTable } from "../fixtures/service-table";
import { removeDir, tempDir } from "../fixtures/tables";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** One load by `method` in a child process (started through `prefix`, e.g. `taskset`). */
function measure(method: string, tablePath: string, prefix: string[] = []) {
  const p = Bun.spawnSync(
    [...prefix, process.execPath, join(import.meta.dir, "..", "bench", "method.ts"), method, tablePath, "latest"],
    {
      stderr: "pipe",
    },
  );
  expect(p.stderr.toString()).toBe("");
  return JSON.parse(p.stdout.toString().trim().split("\n").pop()!);
}

test("a 5,000,000-row table: a third of the streaming path's peak memory, the same maps", async () => {
  const d = tempDir("scale");
  dirs.push(d);
  const rows = 5_000_000;
  const tablePath = await writeServiceTable(d, { rows, dims: 4, fragmentRows: 250_000, line: "latest" });
  const native = measure("native", tablePath);
  const stream = measure("stream", tablePath);
  console.log(
    `5M rows: buildHashMaps ${native.ms.toFixed(0)} ms, peak ${native.peakMB.toFixed(0)} MB; streaming ${stream.ms.toFixed(0)} ms, peak ${stream.peakMB.toFixed(0)} MB`,
  );
  expect(native.ids).toBe(rows);
  expect(native.digest).toBe(stream.digest);
  expect(native.peakMB).toBeLessThanOrEqual(stream.peakMB / 3);
}, 300_000);

// The scan reads ranges of fragments (at most 131,072 rows each) with one read ahead per other
// core: with one core none is read ahead, and each next range must still be read (a build that
// stopped after the first range returned 120,000 of 450,000 rows on one core). Linux only:
// `taskset` pins the child to one CPU.
test.if(process.platform === "linux")(
  "on one core, every range of fragments is read: the same maps",
  async () => {
    const d = tempDir("one-core");
    dirs.push(d);
    const rows = 400_000;
    const tablePath = await writeServiceTable(d, { rows, dims: 4, fragmentRows: 50_000, line: "latest" });
    const oneCore = measure("native", tablePath, ["taskset", "-c", "0"]);
    const stream = measure("stream", tablePath);
    expect(oneCore.ids).toBe(rows);
    expect(oneCore.digest).toBe(stream.digest);
  },
  120_000,
);
