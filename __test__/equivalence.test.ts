// buildHashMaps against the toArray path, on tables written by both @lancedb/lancedb lines.
import { describe, test, expect, afterEach } from "bun:test";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { buildHashMaps } from "../index";
import { expectSameMaps } from "./helpers/compare";
import { referenceMaps, streamingMaps } from "../fixtures/reference";
import { edgeCaseRows, fakeHash, removeDir, serviceRows, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";
import { v013 } from "../fixtures/writers/lancedb-0.13/writer";
import type { Row, Writer } from "../fixtures/writers/make-writer";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeDir(dirs.pop()!);
});

async function fresh(w: Writer, rows: Row[], opts: Parameters<Writer["write"]>[2] = {}) {
  const dir = tempDir(`eq-${w.line}`);
  dirs.push(dir);
  const table = await w.write(dir, rows, opts);
  return { dir, table, tablePath: join(dir, `${opts.name ?? "embeddings"}.lance`) };
}

async function expectEquivalent(table: any, tablePath: string) {
  const ref = await referenceMaps(table);
  const ours = await buildHashMaps(tablePath);
  expect(ours.tableFound).toBe(true);
  expect(ours.version).toBe(await table.version());
  expectSameMaps(ours, ref);
  return ours;
}

for (const w of [v013, latest]) {
  describe(`tables written by @lancedb/lancedb ${w.version}`, () => {
    test("edge-case ids, null hashes (a null first chunk too), duplicates", async () => {
      const { table, tablePath } = await fresh(w, edgeCaseRows());
      const ours = await expectEquivalent(table, tablePath);
      // Spot checks of the rules themselves, beyond equality with the reference.
      expect(ours.baseHashMap.get("doc1")).toBeNull();
      expect(ours.baseHashMap.get("a")).toBe(fakeHash("a#01"));
      expect(ours.baseHashMap.has("x#1\n")).toBe(true);
      expect(ours.existingChunks.get("dup")).toEqual(["dup", "dup", "dup#1"]);
      expect(ours.baseHashMap.get("dup")).toBe(fakeHash("dup-1"));
      expect(ours.baseHashMap.get("nope")).toBeUndefined();
    });

    test("the streaming path agrees too", async () => {
      const { table, tablePath } = await fresh(w, edgeCaseRows());
      expectSameMaps(await buildHashMaps(tablePath), await streamingMaps(table));
    });

    test("deleted rows are excluded", async () => {
      const { table, tablePath } = await fresh(w, serviceRows(300), { fragmentRows: 50 });
      await table.delete("id LIKE '%-1%' OR id = 'workspace/node-1-7#0'");
      await expectEquivalent(table, tablePath);
    });

    test("mergeInsert updates and inserts", async () => {
      const { table, tablePath } = await fresh(w, serviceRows(200), { fragmentRows: 40 });
      const ids = serviceRows(260).map((r) => r.id);
      const changed = serviceRows(260, 2).map((r, i) => ({ ...r, id: ids[i] }));
      await table
        .mergeInsert("id")
        .whenMatchedUpdateAll()
        .whenNotMatchedInsertAll()
        .execute(w.fullRows(changed.filter((_, i) => i % 2 === 0)));
      await expectEquivalent(table, tablePath);
    });

    test("optimize() compaction after deletes and appends", async () => {
      const { table, tablePath } = await fresh(w, serviceRows(400), { fragmentRows: 25 });
      await table.delete("id LIKE '%3'");
      await table.add(w.fullRows(serviceRows(50, 9)));
      await table.optimize();
      await expectEquivalent(table, tablePath);
    });

    test("a BTree index on id changes nothing", async () => {
      const { table, tablePath } = await fresh(w, serviceRows(500), { fragmentRows: 100 });
      await table.createIndex("id", { config: w.lancedb.Index.btree() });
      await expectEquivalent(table, tablePath);
    });

    test("many fragments", async () => {
      const { table, tablePath } = await fresh(w, serviceRows(600), { fragmentRows: 7 });
      await expectEquivalent(table, tablePath);
    });

    test("an all-deleted table gives empty maps with tableFound", async () => {
      const { table, tablePath } = await fresh(w, serviceRows(30));
      await table.delete("true");
      const ours = await expectEquivalent(table, tablePath);
      expect(ours.rowCount).toBe(0);
      expect(ours.baseHashMap.size).toBe(0);
    });

    test("a database directory with tableName, a relative path and a file:// URI", async () => {
      const { dir, table, tablePath } = await fresh(w, edgeCaseRows(), { name: "embeddings" });
      const ref = await referenceMaps(table);
      expectSameMaps(await buildHashMaps(dir, { tableName: "embeddings" }), ref);
      expectSameMaps(await buildHashMaps(relative(process.cwd(), tablePath)), ref);
      expectSameMaps(await buildHashMaps(pathToFileURL(tablePath).href), ref);
    });

    test("custom column names", async () => {
      const dir = tempDir("cols");
      dirs.push(dir);
      const db = await w.lancedb.connect(dir);
      const data = edgeCaseRows()
        .filter((r) => r.text_hash !== null)
        .map((r, i) => ({ key: r.id, digest: r.text_hash, text_hash: `other-${i}`, vector: [1, 2] }));
      const table = await db.createTable("t", data);
      const rows = await table.query().select(["key", "digest"]).toArray();
      const { buildFromRows } = await import("../fixtures/reference");
      const ref = buildFromRows(rows.map((r: any) => ({ id: r.key, text_hash: r.digest })));
      const ours = await buildHashMaps(join(dir, "t.lance"), { idColumn: "key", hashColumn: "digest" });
      expectSameMaps(ours, ref);
    });

    test("a 110,000-row table", async () => {
      const { table, tablePath } = await fresh(w, serviceRows(100_000), { fragmentRows: 20_000 });
      const ours = await expectEquivalent(table, tablePath);
      expect(ours.rowCount).toBe(110_000);
    }, 120_000);
  });
}

test("legacy (v1) files written by 0.13 with useLegacyFormat", async () => {
  const { table, tablePath } = await fresh(v013, serviceRows(3000), { legacy: true, fragmentRows: 1000 });
  await table.delete("id LIKE '%5'");
  await expectEquivalent(table, tablePath);
});

test("a missing table resolves with empty maps and creates nothing", async () => {
  const dir = tempDir("missing");
  dirs.push(dir);
  for (const [path, opts] of [
    [join(dir, "nope", "embeddings.lance"), undefined],
    [join(dir, "db"), { tableName: "embeddings" }],
  ] as const) {
    const ours = await buildHashMaps(path, opts);
    expect(ours.tableFound).toBe(false);
    expect(ours.version).toBeNull();
    expect(ours.rowCount).toBe(0);
    expect([ours.baseHashMap.size, ours.existingIds.size, ours.existingChunks.size]).toEqual([0, 0, 0]);
    expect(ours.baseHashMap.get("x")).toBeUndefined();
    expect([...ours.existingIds]).toEqual([]);
  }
  const { readdirSync } = await import("node:fs");
  expect(readdirSync(dir)).toEqual([]);
});

test("paths with spaces, non-ASCII characters, '#', '%' and '?'", async () => {
  for (const name of ["with space", "ünï文書", "hash#dir", "pct%20dir", "q?mark"]) {
    const root = tempDir("paths");
    dirs.push(root);
    const dir = join(root, name);
    const table = await latest.write(dir, edgeCaseRows());
    expectSameMaps(await buildHashMaps(join(dir, "embeddings.lance")), await referenceMaps(table));
    expectSameMaps(await buildHashMaps(dir, { tableName: "embeddings" }), await referenceMaps(table));
  }
});
