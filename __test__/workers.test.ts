// Calls from several worker threads at once: each loads the addon in its own JS environment.
import { test, expect, afterAll } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildHashMaps, planChanges } from "../index";
import { removeDir, serviceRows, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** Same digest as the workers compute: content and order of all three structures. */
const digestSource = `
function digest(m) {
  const h = new Bun.CryptoHasher("sha256");
  for (const [k, v] of m.baseHashMap) h.update(k + "\\0" + v + "\\n");
  for (const id of m.existingIds) h.update(id + "\\n");
  for (const [k, ids] of m.existingChunks) h.update(k + "\\0" + ids.join("\\0") + "\\n");
  return h.digest("hex");
}`;

test("4 worker threads building the same table's maps (and planning) at once agree with the main thread", async () => {
  const d = tempDir("workers");
  dirs.push(d);
  const rows = serviceRows(20_000);
  await latest.write(d, rows, { fragmentRows: 5000 });
  const tablePath = join(d, "embeddings.lance");
  const workerFile = join(d, "worker.ts");
  writeFileSync(
    workerFile,
    `import { buildHashMaps, planChanges } from ${JSON.stringify(join(import.meta.dir, "..", "index.js"))};
${digestSource}
self.onmessage = async (e) => {
  try {
    const m = await buildHashMaps(e.data);
    m.existingIds.delete("workspace/node-1-0");
    const items = [...m.existingIds].map((id, i) => ({ id, text: "t" + (i % 7) }));
    const plan = await planChanges(await buildHashMaps(e.data), items);
    postMessage({ rows: m.rowCount, digest: digest(await buildHashMaps(e.data)), plan });
  } catch (err) {
    postMessage({ error: String(err) });
  }
};\n`,
  );
  const digest = new Function(`${digestSource}; return digest;`)();
  const want = digest(await buildHashMaps(tablePath));
  const workers = Array.from({ length: 4 }, () => new Worker(workerFile));
  const results = await Promise.all(
    workers.map(
      (w) =>
        new Promise<any>((resolve) => {
          w.onmessage = (e) => resolve(e.data);
          w.postMessage(tablePath);
        }),
    ),
  );
  workers.forEach((w) => w.terminate());
  // planChanges in each worker (each has its own JS environment, hence its own compiled packer).
  const m = await buildHashMaps(tablePath);
  m.existingIds.delete("workspace/node-1-0");
  const items = [...m.existingIds].map((id, i) => ({ id, text: `t${i % 7}` }));
  const plan = await planChanges(await buildHashMaps(tablePath), items);
  for (const r of results) expect(r).toEqual({ rows: rows.length, digest: want, plan });
}, 60_000);
