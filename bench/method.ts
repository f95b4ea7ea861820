// Runs ONE load path in this process and prints a JSON line: time of the load step, peak process
// memory (VmHWM), memory still held after it, and a digest of the resulting maps.
// Usage: bun bench/method.ts <toArray|stream|native> <tablePath> <0.13|latest>
// (LHM_STORAGE_OPTIONS: JSON storage options, for a table URI on an object store)
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { basename, dirname } from "node:path";
import { sdk, type Line } from "../fixtures/sdk";
import { buildHashMaps } from "../index";
import { buildFromRows, streamingMaps } from "../fixtures/reference";

const [method, tablePath, line] = process.argv.slice(2) as [string, string, Line];
// For a table on an object store: the storage options, as JSON (bench/object-store.ts).
const storageOptions = process.env.LHM_STORAGE_OPTIONS ? JSON.parse(process.env.LHM_STORAGE_OPTIONS) : undefined;

function statusKb(field: string): number {
  const m = readFileSync("/proc/self/status", "utf8").match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return m ? Number(m[1]) : NaN;
}

interface AnyMaps {
  baseHashMap: Iterable<[string, string | null]> & { size: number };
  existingIds: Iterable<string> & { size: number };
  existingChunks: Iterable<[string, string[]]> & { size: number };
}

function digest(m: AnyMaps): string {
  const h = createHash("sha256");
  for (const [k, v] of m.baseHashMap) h.update(`${k}\0${v}\n`);
  for (const id of m.existingIds) h.update(`${id}\n`);
  for (const [k, ids] of m.existingChunks) h.update(`${k}\0${ids.join("\0")}\n`);
  return h.digest("hex").slice(0, 16);
}

async function openTable() {
  const { lancedb } = sdk(line);
  const db = await lancedb.connect(dirname(tablePath), storageOptions ? { storageOptions } : undefined);
  return db.openTable(basename(tablePath).replace(/\.lance$/, ""));
}

Bun.gc(true);
const rssBefore = statusKb("VmRSS");
let maps: AnyMaps;
let t0: number;
let cpu0: NodeJS.CpuUsage;
if (method === "native") {
  cpu0 = process.cpuUsage();
  t0 = performance.now();
  maps = await buildHashMaps(tablePath, { storageOptions });
} else {
  const table = await openTable(); // opening is not part of the load step for the SDK paths
  cpu0 = process.cpuUsage();
  t0 = performance.now();
  if (method === "toArray") {
    const rows = await table.query().select(["id", "text_hash"]).toArray();
    maps = buildFromRows(rows); // the service's loop over the rows, as it did it
  } else if (method === "stream") {
    maps = await streamingMaps(table);
  } else {
    throw new Error(`unknown method ${method}`);
  }
}
const ms = performance.now() - t0;
// CPU time of the load step on every thread of the process, user and kernel.
const cpu = process.cpuUsage(cpu0);
const peakKb = statusKb("VmHWM");
Bun.gc(true);
const heldKb = statusKb("VmRSS") - rssBefore;
console.log(
  JSON.stringify({
    method,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    sysMs: cpu.system / 1000,
    peakMB: peakKb / 1024,
    heldMB: heldKb / 1024,
    ids: maps.existingIds.size,
    bases: maps.baseHashMap.size,
    digest: digest(maps),
  }),
);
