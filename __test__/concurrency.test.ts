// Many calls at once, a writer changing the table while we read, memory over many calls, permissions.
import { test, expect, afterAll } from "bun:test";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { buildHashMaps } from "../index";
import { expectSameMaps } from "./helpers/compare";
import { referenceMaps } from "../fixtures/reference";
import { removeDir, serviceRows, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));
function dir(tag: string) {
  const d = tempDir(tag);
  dirs.push(d);
  return d;
}

test("20 calls at once on one table all equal the reference", async () => {
  const d = dir("many");
  const table = await latest.write(d, serviceRows(5000), { fragmentRows: 1000 });
  const ref = await referenceMaps(table);
  const all = await Promise.all(Array.from({ length: 20 }, () => buildHashMaps(join(d, "embeddings.lance"))));
  for (const m of all) expectSameMaps(m, await referenceMaps(table));
  expect(all.every((m) => m.rowCount === ref.rowCount)).toBe(true);
}, 60_000);

test("with a writer adding and deleting, every result is exactly one table version", async () => {
  const d = dir("writer");
  const table = await latest.write(d, serviceRows(2000), { fragmentRows: 500 });
  const p = join(d, "embeddings.lance");
  let stop = false;
  const writer = (async () => {
    for (let i = 0; !stop && i < 40; i++) {
      await table.add(latest.fullRows(serviceRows(100, 100 + i)));
      await table.delete(`id LIKE 'workspace/node-${100 + i - 1}-%'`);
    }
  })();
  const results = [];
  for (let i = 0; i < 15; i++) results.push(await buildHashMaps(p));
  stop = true;
  await writer;
  const versions = new Set<number>();
  for (const r of results) {
    versions.add(r.version!);
    const at = await latest.open(d);
    await at.checkout(r.version!);
    expectSameMaps(r, await referenceMaps(at));
  }
  expect(versions.size).toBeGreaterThan(1); // the writer really moved the table on
}, 120_000);

test("1,000 calls in a row leave memory flat", async () => {
  const d = dir("leak");
  await latest.write(d, serviceRows(300));
  const p = join(d, "embeddings.lance");
  const rss = () => {
    Bun.gc(true);
    return process.memoryUsage().rss / 2 ** 20;
  };
  for (let i = 0; i < 100; i++) await buildHashMaps(p);
  const after100 = rss();
  for (let i = 0; i < 900; i++) {
    const m = await buildHashMaps(p);
    m.existingIds.delete([...m.existingIds][0]);
  }
  const after1000 = rss();
  // 900 results of ~300 rows each would be far more than this if they were kept.
  expect(after1000 - after100).toBeLessThan(25);
}, 120_000);

test.skipIf(process.getuid?.() === 0)(
  "a directory we may not read rejects with E_IO (skipped as root: root reads everything)",
  async () => {
    const d = dir("perm");
    await latest.write(d, serviceRows(10));
    const p = join(d, "embeddings.lance");
    chmodSync(p, 0o000);
    try {
      const e: any = await buildHashMaps(p).then(
        () => null,
        (x) => x,
      );
      expect(e?.code).toBe("E_IO");
      expect(e.message).toContain(p);
    } finally {
      chmodSync(p, 0o755);
    }
  },
);
