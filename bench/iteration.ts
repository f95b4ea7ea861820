// Walking the collections from JS against walking a JS Set / Map with the same content, in ONE
// process, alternating, beside the time of the load itself (issue: a walk should cost at most half
// of buildHashMaps). Usage: bun bench/iteration.ts <tablePath> [rounds]
import { buildHashMaps } from "../index";
import { median } from "./util";

const [tablePath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);

const loadMs: number[] = [];
let maps = await buildHashMaps(tablePath);
for (let r = 0; r < rounds; r++) {
  Bun.gc(true);
  const t0 = performance.now();
  maps = await buildHashMaps(tablePath);
  loadMs.push(performance.now() - t0);
}
const jsSet = maps.existingIds.toSet();
const jsMap = maps.baseHashMap.toMap();
const jsChunks = maps.existingChunks.toMap();

let sink = 0;
const walks: Record<string, [() => void, () => void]> = {
  "Array.from(existingIds)": [
    () => void (sink += Array.from(maps.existingIds).length),
    () => void (sink += Array.from(jsSet).length),
  ],
  "existingIds.toArray()": [
    () => void (sink += maps.existingIds.toArray().length),
    () => void (sink += [...jsSet].length),
  ],
  "for (const id of existingIds)": [
    () => {
      for (const id of maps.existingIds) sink += id.length;
    },
    () => {
      for (const id of jsSet) sink += id.length;
    },
  ],
  "existingIds.forEach": [
    () => maps.existingIds.forEach((id) => void (sink += id.length)),
    () => jsSet.forEach((id) => void (sink += id.length)),
  ],
  "existingIds.toSet()": [() => void (sink += maps.existingIds.toSet().size), () => void (sink += new Set(jsSet).size)],
  "for (const [k, v] of baseHashMap)": [
    () => {
      for (const [k, v] of maps.baseHashMap) sink += k.length + (v?.length ?? 0);
    },
    () => {
      for (const [k, v] of jsMap) sink += k.length + (v?.length ?? 0);
    },
  ],
  "baseHashMap.toMap()": [() => void (sink += maps.baseHashMap.toMap().size), () => void (sink += new Map(jsMap).size)],
  "for (const [k, ids] of existingChunks)": [
    () => {
      for (const [k, ids] of maps.existingChunks) sink += k.length + ids.length;
    },
    () => {
      for (const [k, ids] of jsChunks) sink += k.length + ids.length;
    },
  ],
};

const out: Record<string, { nativeMs: number; jsMs: number }> = {};
for (const [name, [native, js]] of Object.entries(walks)) {
  const t: { native: number[]; js: number[] } = { native: [], js: [] };
  for (let r = 0; r < rounds; r++) {
    for (const which of r % 2 ? (["js", "native"] as const) : (["native", "js"] as const)) {
      const t0 = performance.now();
      (which === "native" ? native : js)();
      t[which].push(performance.now() - t0);
    }
  }
  out[name] = { nativeMs: median(t.native), jsMs: median(t.js) };
}
console.log(
  JSON.stringify({
    ids: maps.existingIds.size,
    bases: maps.baseHashMap.size,
    loadMs: median(loadMs),
    walks: out,
    sink: sink > 0,
  }),
);
