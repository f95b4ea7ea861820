// 5,000,000 rows (small vectors): buildHashMaps stays within the memory bound of the performance
// issue — peak process memory at most a third of the TS streaming path's — and equals it exactly.
import { test, expect, afterAll } from "bun:test";
import { join } from "node:path";
import { writeServiceTable } from "../fixtures/service-table";
import { removeDir, tempDir } from "../fixtures/tables";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function measure(method: string, tablePath: string) {
  const p = Bun.spawnSync(
    [process.execPath, join(import.meta.dir, "..", "bench", "method.ts"), method, tablePath, "latest"],
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
