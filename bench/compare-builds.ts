// Before / after a change, in ONE process: this checkout's addon against another checkout's (built
// with the same cargo features, e.g. a `git worktree` of the commit before), alternating, on the
// same table: buildHashMaps, the filter loop (baseHashMap.get per row), the service's
// existingIds loop (has, then delete, per id), every walk (for..of of each collection,
// existingIds.forEach and toArray) and planChanges, each step in a phase of its own. Both addons are loaded side by side (each is its
// own .node file).
// Usage: bun bench/compare-builds.ts <other checkout> <tablePath> [rounds]
//   The other checkout: `bash scripts/bench-baseline.sh <commit>` builds one and prints its path
//   (same toolchain and target directory), e.g.
//        bun bench/compare-builds.ts "$(bash scripts/bench-baseline.sh 942e20f)" ~/.cache/lance-hashmaps/bench-tables/latest-0.39.0-450000-768/embeddings.lance
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

const steps = [
  "buildHashMaps",
  "filter loop",
  "existingIds has + delete",
  "for..of baseHashMap",
  "for..of existingChunks",
  "for..of existingIds",
  "existingIds.forEach",
  "existingIds.toArray",
  "planChanges",
] as const;
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
const ids = sample.existingIds.toArray();
await alternate("existingIds has + delete", async (_, api) => {
  const { existingIds } = await api.buildHashMaps(tablePath); // fresh: the loop deletes
  Bun.gc(true);
  const t0 = performance.now();
  let n = 0;
  for (const id of ids) if (existingIds.has(id) && existingIds.delete(id)) n++;
  const ms = performance.now() - t0;
  if (n !== ids.length || existingIds.size !== 0) throw new Error("existingIds has + delete: ids left");
  return ms;
});
/** A step that walks a collection of each build and checks it saw something. */
function walk(step: (typeof steps)[number], run: (maps: Awaited<ReturnType<Api["buildHashMaps"]>>) => number) {
  return alternate(step, async (name) => {
    const t0 = performance.now();
    const n = run(loaded.get(name)!);
    const ms = performance.now() - t0;
    if (n === 0) throw new Error(`${step}: empty walk`);
    return ms;
  });
}
await walk("for..of baseHashMap", (m) => {
  let n = 0;
  for (const [key, v] of m.baseHashMap) n += key.length + (v?.length ?? 0);
  return n;
});
await walk("for..of existingChunks", (m) => {
  let n = 0;
  for (const [key, list] of m.existingChunks) n += key.length + list.length;
  return n;
});
await walk("for..of existingIds", (m) => {
  let n = 0;
  for (const id of m.existingIds) n += id.length;
  return n;
});
await walk("existingIds.forEach", (m) => {
  let n = 0;
  m.existingIds.forEach((id) => {
    n += id.length;
  });
  return n;
});
await walk("existingIds.toArray", (m) => m.existingIds.toArray().length);
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
