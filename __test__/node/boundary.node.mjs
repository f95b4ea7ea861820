// The boundary under Node: texts too long to join into one string, signals released after the
// call (a forced GC, with --expose-gc), and a worker terminated in the middle of calls.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

const require = createRequire(import.meta.url);
const { buildHashMaps, planChanges, emptyHashMaps } = require("../../index.js");
const { packItems, SLICE_ITEMS, SLICE_UNITS } = require("../../js/pack-items.js");
const lancedb = require("../../fixtures/writers/lancedb-0.13/node_modules/@lancedb/lancedb");

const dir = mkdtempSync(join(tmpdir(), "lhm-node-boundary-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sha = (t) => createHash("sha256").update(t).digest("hex");

test("the slicing rule: at most SLICE_ITEMS items and SLICE_UNITS code units, a longer item alone", () => {
  const slices = [];
  const items = [
    { id: "a", text: "x".repeat(5) },
    { id: "b", text: "y".repeat(3) },
    { id: "c", text: "z".repeat(40) },
    { id: "d", text: "w" },
    { id: "e", text: "v" },
    { id: "f", text: "u", contextText: "t".repeat(8) },
  ];
  packItems(items, (ids, idLens, texts, textLens) => slices.push([ids, [...idLens], texts.length, [...textLens]]), {
    items: 2,
    units: 12,
  });
  assert.deepEqual(slices, [
    ["ab", [1, 1], 8, [5, 3]],
    ["c", [1], 40, [40]],
    ["de", [1, 1], 2, [1, 1]],
    ["f", [1], 8, [8]],
  ]);
  assert.equal(SLICE_ITEMS, 8192);
  assert.ok(SLICE_UNITS < 2 ** 29 - 24, "a slice always fits in one V8 string");
  // Each item is read once, as the service's loop reads it, the ones that start a slice by size too.
  const reads = new Map();
  const counted = items.map((item) => {
    const out = {};
    for (const key of Object.keys(item)) {
      Object.defineProperty(out, key, {
        get: () => (reads.set(`${item.id}.${key}`, (reads.get(`${item.id}.${key}`) ?? 0) + 1), item[key]),
      });
    }
    return out;
  });
  const again = [];
  packItems(counted, (ids, idLens, texts, textLens) => again.push([ids, [...idLens], texts.length, [...textLens]]), {
    items: 2,
    units: 12,
  });
  assert.deepEqual(again, slices);
  assert.deepEqual([...new Set(reads.values())], [1]);
  assert.equal(reads.get("c.id"), 1);
});

test("planChanges with texts that add up past V8's longest string in 8192 items", async () => {
  // 8192 items of 70,000 characters: 573 million, more than V8's 2^29 - 24 in one join.
  const text = "long text ".repeat(7000);
  const items = Array.from({ length: 8192 }, (_, i) => ({ id: `big-${i}`, text }));
  assert.ok(items.length * text.length > 2 ** 29 - 24);
  const maps = emptyHashMaps();
  const plan = await planChanges(maps, items);
  assert.equal(plan.toEmbed.length, 8192);
  assert.equal(plan.skipped, 0);
  const want = sha(text);
  assert.ok(plan.hashes.every((h) => h === want));
});

test("signals are collected after the calls settle (success and refused options)", async () => {
  assert.equal(typeof global.gc, "function", "run with --expose-gc");
  const db = await lancedb.connect(dir);
  await db.createTable("sig", [{ id: "a", text_hash: "h", vector: [1, 2] }]);
  const tablePath = join(dir, "sig.lance");
  for (const bad of [false, true]) {
    const refs = [];
    // In a function of its own: a suspended frame may hold its last values in registers.
    await (async () => {
      for (let i = 0; i < 100; i++) {
        const ac = new AbortController();
        refs.push(new WeakRef(ac.signal));
        const options = bad ? { signal: ac.signal, onProgress: "x" } : { signal: ac.signal };
        await buildHashMaps(tablePath, options).catch(() => {});
      }
    })();
    // No deref() between collections: a WeakRef's target is kept until the end of the job that
    // dereferenced it (the spec's KeepDuringJob), which would pin live-looking signals.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 10));
      global.gc();
    }
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(refs.filter((r) => r.deref() === undefined).length, 100, bad ? "refused options" : "success");
  }
});

test("a worker terminated in the middle of calls leaves the main thread's maps intact", async () => {
  const db = await lancedb.connect(dir);
  const rows = Array.from({ length: 20000 }, (_, i) => ({
    id: i % 9 ? `w${i}` : `w${i}#1`,
    text_hash: sha(`t${i}`),
    vector: [i, 1],
  }));
  await db.createTable("work", rows);
  const tablePath = join(dir, "work.lance");
  const maps = await buildHashMaps(tablePath);
  const before = [...maps.existingIds];
  for (const delay of [0, 5, 20, 60]) {
    const worker = new Worker(
      `const { parentPort, workerData } = require("node:worker_threads");
       const { buildHashMaps, planChanges } = require(workerData.index);
       const items = Array.from({ length: 50000 }, (_, i) => ({ id: "w" + (i % 20000), text: "x".repeat(200) + i }));
       (async () => {
         parentPort.postMessage("started");
         for (;;) {
           const m = await buildHashMaps(workerData.tablePath);
           planChanges(m, items);
           await planChanges(m, items);
         }
       })();`,
      { eval: true, workerData: { index: require.resolve("../../index.js"), tablePath } },
    );
    await new Promise((resolve) => worker.once("message", resolve));
    await new Promise((r) => setTimeout(r, delay));
    await worker.terminate();
  }
  assert.deepEqual([...maps.existingIds], before);
  assert.equal(maps.baseHashMap.get("w1"), sha("t1"));
  const again = await buildHashMaps(tablePath);
  assert.equal(again.rowCount, 20000);
  const plan = await planChanges(again, [
    { id: "w1", text: "t1" },
    { id: "w2", text: "changed" },
  ]);
  assert.deepEqual([plan.skipped, plan.toEmbed], [1, [1]]);
});
