// Before / after a change, in ONE process: this checkout's addon against another checkout's (built
// with the same cargo features, e.g. a `git worktree` of the commit before), alternating, on the
// same table: buildHashMaps, the filter loop (baseHashMap.get per row), a walk of baseHashMap and
// planChanges, each step in a phase of its own. Both addons are loaded side by side (each is its
// own .node file).
// Usage: bun bench/compare-builds.ts <other checkout> <tablePath> [rounds]
//   e.g. git worktree add /tmp/before <commit> && (cd /tmp/before && npm run build)
//        bun bench/compare-builds.ts /tmp/before ~/.cache/lance-hashmaps/bench-tables/latest-0.39.0-450000-768/embeddings.lance
import { join, resolve } from "node:path";
import { getBaseId } from "../fixtures/reference";
import { median } from "./util";

const [otherDir, tablePath, roundsArg] = process.argv.slice(2);
if (!otherDir || !tablePath)
  throw new Error("usage: bun bench/compare-builds.ts <other checkout> <tablePath> [rounds]");
const rounds = Number(roundsArg ?? 7);

type Api = typeof import("../index");
const builds: [string, Api][] = [
  ["this", require(join(import.meta.dir, "..", "index.js"))],
  ["other", require(join(resolve(otherDir), "index.js"))],
];

const sample = await builds[0][1].buildHashMaps(tablePath);
const jsMap = sample.baseHashMap.toMap();
const rows = sample.existingIds
  .toArray()
  .map((id) => ({ baseId: getBaseId(id), hash: jsMap.get(getBaseId(id)) ?? "" }));
const items: { id: string; text: string }[] = [];
let k = 0;
for (const base of jsMap.keys()) items.push({ id: base, text: k++ % 10 === 3 ? `${base} (edited)` : base });
for (let i = 0; i < items.length / 20; i++) items.push({ id: `new-item-${i}`, text: `new text ${i}` });

// One compiled copy of the loop per build, so each call site sees one kind of object.
const makeLoop = () =>
  new Function(
    "rows",
    "m",
    "let changed = 0; for (const r of rows) if (m.get(r.baseId) !== r.hash) changed++; return changed;",
  ) as (rows: { baseId: string; hash: string }[], m: { get(k: string): unknown }) => number;
const loops = new Map(builds.map(([name]) => [name, makeLoop()]));

const steps = ["buildHashMaps", "filter loop", "planChanges", "for..of baseHashMap"] as const;
const times: Record<string, Record<string, number[]>> = {};
for (const s of steps) times[s] = Object.fromEntries(builds.map(([name]) => [name, []]));
const plans: Record<string, string> = {};
/** `rounds` rounds of `step` for each build, alternating which goes first; a GC before each. */
async function alternate(step: (typeof steps)[number], run: (name: string, api: Api) => Promise<number>) {
  for (let r = 0; r < rounds; r++) {
    for (const [name, api] of r % 2 ? [...builds].reverse() : builds) {
      Bun.gc(true);
      times[step][name].push(await run(name, api));
    }
  }
}

// Each step in a phase of its own, so that one step's garbage does not land in another's timing.
await alternate("buildHashMaps", async (_, api) => {
  const t0 = performance.now();
  await api.buildHashMaps(tablePath);
  return performance.now() - t0;
});
const loaded = new Map<string, Awaited<ReturnType<Api["buildHashMaps"]>>>();
for (const [name, api] of builds) loaded.set(name, await api.buildHashMaps(tablePath));
await alternate("filter loop", async (name) => {
  const t0 = performance.now();
  const changed = loops.get(name)!(rows, loaded.get(name)!.baseHashMap);
  const ms = performance.now() - t0;
  if (changed !== 0) throw new Error(`${name}: ${changed} lookups disagree`);
  return ms;
});
await alternate("for..of baseHashMap", async (name) => {
  const t0 = performance.now();
  let n = 0;
  for (const [key, v] of loaded.get(name)!.baseHashMap) n += key.length + (v?.length ?? 0);
  const ms = performance.now() - t0;
  if (n === 0) throw new Error("empty walk");
  return ms;
});
await alternate("planChanges", async (name, api) => {
  const maps = await api.buildHashMaps(tablePath); // fresh: planChanges removes ids from existingIds
  Bun.gc(true);
  const t0 = performance.now();
  const plan = await api.planChanges(maps, items);
  const ms = performance.now() - t0;
  plans[name] = JSON.stringify(plan);
  return ms;
});
if (plans.this !== plans.other) throw new Error("the two builds plan differently");

const out: Record<string, { thisMs: number; otherMs: number; ratio: number }> = {};
for (const s of steps) {
  const a = median(times[s].this);
  const b = median(times[s].other);
  out[s] = { thisMs: +a.toFixed(1), otherMs: +b.toFixed(1), ratio: +(a / b).toFixed(3) };
}
console.log(JSON.stringify({ rows: rows.length, items: items.length, rounds, steps: out }, null, 1));
