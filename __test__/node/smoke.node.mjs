// The addon under Node (node:test): the core cases, on a table written by @lancedb/lancedb 0.13.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdtempSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { buildHashMaps, planChanges } = require("../../index.js");
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
const lancedb = require("../../fixtures/writers/lancedb-0.13/node_modules/@lancedb/lancedb");

const dir = mkdtempSync(join(tmpdir(), "lhm-node-"));
after(() => rmSync(dir, { recursive: true, force: true }));

import { getBaseId } from "../../fixtures/base-id.mjs";

const ids = ["a#0", "a#1", "a", "b#x", "c#01", "c", "dup", "dup", "ü#2", "z#+1"];
const rows = ids.map((id, i) => ({ id, text_hash: `h${i}`, vector: [i, 1] }));

test("equals the toArray path, and Map/Set methods work", async () => {
  const db = await lancedb.connect(dir);
  const table = await db.createTable("embeddings", rows);
  await table.delete("id = 'b#x'");
  const ref = await table.query().select(["id", "text_hash"]).toArray();
  const baseHashMap = new Map();
  const existingIds = new Set();
  const existingChunks = new Map();
  for (const r of ref) {
    const b = getBaseId(r.id);
    existingIds.add(r.id);
    if (!baseHashMap.has(b)) baseHashMap.set(b, r.text_hash);
    if (!existingChunks.has(b)) existingChunks.set(b, []);
    existingChunks.get(b).push(r.id);
  }
  const ours = await buildHashMaps(join(dir, "embeddings.lance"));
  assert.equal(ours.tableFound, true);
  assert.equal(ours.rowCount, ref.length);
  assert.deepEqual([...ours.baseHashMap], [...baseHashMap]);
  assert.deepEqual([...ours.existingChunks], [...existingChunks]);
  assert.deepEqual([...ours.existingIds], [...existingIds]);
  assert.equal(ours.baseHashMap.get("nope"), undefined);
  assert.equal(ours.existingIds.delete("a#0"), true);
  assert.equal(ours.existingIds.delete("a#0"), false);
  assert.equal(ours.existingIds.has("a#0"), false);
  assert.deepEqual([...ours.baseHashMap.toMap()], [...baseHashMap]);
});

test("a missing table resolves empty; bad input rejects with a code", async () => {
  const missing = await buildHashMaps(join(dir, "none", "x.lance"));
  assert.equal(missing.tableFound, false);
  assert.equal(missing.baseHashMap.size, 0);
  assert.deepEqual(readdirSync(dir).includes("none"), false);
  await assert.rejects(buildHashMaps(42), (e) => e instanceof Error && e.code === "E_ARG");
  await assert.rejects(buildHashMaps(dir), (e) => e.code === "E_NOT_A_TABLE" && e.message.includes("tableName"));
  await assert.rejects(
    buildHashMaps(join(dir, "embeddings.lance"), { hashColumn: "nope" }),
    (e) => e.code === "E_SCHEMA" && e.message.includes("nope"),
  );
});

// The service's loop, with node:crypto: the reference for planChanges.
function servicePlan(maps, items, forceAll = false) {
  const sha = (t) => createHash("sha256").update(t).digest("hex");
  const toEmbed = [];
  const hashes = [];
  let skipped = 0;
  items.forEach((item, i) => {
    const hash = sha(item.contextText || item.text);
    if (!forceAll && maps.baseHashMap.get(getBaseId(item.id)) === hash) return void skipped++;
    toEmbed.push(i);
    hashes.push(hash);
  });
  const idsToDelete = [];
  const seen = new Set();
  for (const i of toEmbed) {
    const b = getBaseId(items[i].id);
    if (seen.has(b)) continue;
    seen.add(b);
    for (const id of maps.existingChunks.get(b) ?? []) if (maps.existingIds.has(id)) idsToDelete.push(id);
  }
  return { toEmbed, hashes, skipped, idsToDelete };
}

const sha = (t) => createHash("sha256").update(t).digest("hex");
const planRows = Array.from({ length: 3000 }, (_, i) => ({
  id: i % 10 === 3 ? `doc${i}#${i % 3}` : `doc${i}`,
  text_hash: sha(`text ${i}`),
  vector: [i, 1],
}));
const planItems = Array.from({ length: 20000 }, (_, i) => ({
  id: i % 7 === 0 ? `new-${i}-ü` : `doc${i % 3000}`,
  text: i % 5 === 0 ? `edited ${i} 😀` : `text ${i % 3000}`,
  ...(i % 11 === 0 ? { contextText: i % 2 ? "" : `ctx ${i}` } : {}),
}));

test("planChanges equals the service's loop, in the main thread and a worker", async () => {
  const db = await lancedb.connect(dir);
  await db.createTable("plan", planRows);
  const tablePath = join(dir, "plan.lance");
  for (const forceAll of [false, true]) {
    const maps = await buildHashMaps(tablePath);
    const want = servicePlan(maps, planItems, forceAll);
    const got = await planChanges(maps, planItems, { forceAll });
    assert.deepEqual(got, want);
    assert.equal(maps.existingIds.size, planRows.length - want.idsToDelete.length);
  }
  // A worker has its own JS environment and its own copy of the JS layer.
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const { buildHashMaps, planChanges } = require(workerData.index);
     (async () => {
       const maps = await buildHashMaps(workerData.tablePath);
       parentPort.postMessage(await planChanges(maps, workerData.items));
     })().catch((e) => parentPort.postMessage({ error: String(e) }));`,
    { eval: true, workerData: { index: require.resolve("../../index.js"), tablePath, items: planItems } },
  );
  const fromWorker = await new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  assert.deepEqual(fromWorker, servicePlan(await buildHashMaps(tablePath), planItems));
});
