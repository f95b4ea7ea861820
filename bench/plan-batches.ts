// planChanges before / after a change, by kind of batch, in ONE process: this checkout's addon
// against another checkout's (as bench/compare-builds.ts), alternating, wall time and CPU time of
// all threads (process.cpuUsage), a collected heap and fresh maps before each call. Batches over
// the table's bases: nothing changed, the bench's (10% edited, 5% new), every item changed.
// Usage: bun bench/plan-batches.ts <other checkout> <tablePath> [rounds]
import { join, resolve } from "node:path";
import { median } from "./util";

const [otherDir, tablePath, roundsArg] = process.argv.slice(2);
if (!otherDir || !tablePath) throw new Error("usage: bun bench/plan-batches.ts <other checkout> <tablePath> [rounds]");
const rounds = Number(roundsArg ?? 9);

type Api = typeof import("../index");
const builds: [string, Api][] = [
  ["this", require(join(import.meta.dir, "..", "index.js"))],
  ["other", require(join(resolve(otherDir), "index.js"))],
];

type Item = { id: string; text: string };
const bases = [...(await builds[0][1].buildHashMaps(tablePath)).baseHashMap.keys()];
/** One item per base (its text: the base id); those where `edited(k)` edited; 5% new items when
 * `extra`. */
function batch(edited: (k: number) => boolean, extra: boolean): Item[] {
  const items = bases.map((base, k) => ({ id: base, text: edited(k) ? `${base} (edited)` : base }));
  if (extra) for (let i = 0; i < items.length / 20; i++) items.push({ id: `new-item-${i}`, text: `new text ${i}` });
  return items;
}
const batches: Record<string, Item[]> = {
  "nothing changed": batch(() => false, false),
  "the bench's (10% edited, 5% new)": batch((k) => k % 10 === 3, true),
  "every item changed": batch(() => true, false),
};

const out: Record<string, Record<string, { ms: number; cpuMs: number }>> = {};
for (const [name, items] of Object.entries(batches)) {
  const t: Record<string, { ms: number[]; cpu: number[] }> = { this: { ms: [], cpu: [] }, other: { ms: [], cpu: [] } };
  for (let r = 0; r < rounds; r++) {
    for (const [build, api] of r % 2 ? [...builds].reverse() : builds) {
      const maps = await api.buildHashMaps(tablePath); // fresh: planChanges removes ids
      Bun.gc(true);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await api.planChanges(maps, items);
      t[build].ms.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      t[build].cpu.push((c.user + c.system) / 1000);
    }
  }
  out[name] = Object.fromEntries(
    Object.entries(t).map(([b, v]) => [b, { ms: +median(v.ms).toFixed(1), cpuMs: +median(v.cpu).toFixed(0) }]),
  );
}
console.log(
  JSON.stringify(
    { items: Object.fromEntries(Object.entries(batches).map(([k, v]) => [k, v.length])), rounds, out },
    null,
    1,
  ),
);
