// One cold load in this fresh process, timed from the first line of this script: what a service
// that loads once per process pays. Prints a JSON line: require (the import of the load path's
// package) and the first load, in ms, and the load's CPU time (every thread, user + kernel).
// Usage: bun bench/cold-child.ts <addon|toArray|stream> <checkout (addon) or 0.13|latest (SDK)> <tablePath>
const t0 = performance.now();
const [method, from, tablePath] = process.argv.slice(2);

let requireMs: number;
let loadMs: number;
let rows: number;
let cpu0: NodeJS.CpuUsage;
if (method === "addon") {
  const api = require(`${from}/index.js`);
  requireMs = performance.now() - t0;
  cpu0 = process.cpuUsage();
  const maps = await api.buildHashMaps(tablePath);
  loadMs = performance.now() - t0 - requireMs;
  rows = maps.rowCount;
} else {
  const { sdk } = await import("../fixtures/sdk");
  const { lancedb } = sdk(from as "0.13" | "latest");
  const { buildFromRows, streamingMaps } = await import("../fixtures/reference");
  const { basename, dirname } = await import("node:path");
  requireMs = performance.now() - t0;
  cpu0 = process.cpuUsage();
  const db = await lancedb.connect(dirname(tablePath));
  const table = await db.openTable(basename(tablePath).replace(/\.lance$/, ""));
  const maps =
    method === "toArray"
      ? buildFromRows(await table.query().select(["id", "text_hash"]).toArray())
      : await streamingMaps(table);
  loadMs = performance.now() - t0 - requireMs;
  rows = maps.existingIds.size;
}
const cpu = process.cpuUsage(cpu0);
const loadCpuMs = (cpu.user + cpu.system) / 1000;
console.log(JSON.stringify({ requireMs, loadMs, loadCpuMs, rows }));
export {};
