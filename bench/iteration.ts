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

// What any JS code pays to build a Set / Map of strings it has just made (the engine hashes each
// new string on insertion): the same ids and entries sliced from one joined string, as the pages
// hand them over. toSet() / toMap() cannot beat this; copying an existing Set (`new Set(jsSet)`)
// reuses hashes the engine already has.
const joined = (strings: string[]) => ({ text: strings.join(""), lens: strings.map((s) => s.length) });
const sliceAll = ({ text, lens }: { text: string; lens: number[] }) => {
  const out = new Array<string>(lens.length);
  for (let i = 0, at = 0; i < lens.length; i++) out[i] = text.slice(at, (at += lens[i]));
  return out;
};
const idText = joined([...jsSet]);
const baseText = joined([...jsMap.keys()]);
const hashText = joined([...jsMap.values()].map((v) => v ?? ""));
const freshSet = () => new Set(sliceAll(idText));
const freshMap = () => {
  const keys = sliceAll(baseText);
  const values = sliceAll(hashText);
  const m = new Map<string, string>();
  for (let i = 0; i < keys.length; i++) m.set(keys[i], values[i]);
  return m;
};

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
  "existingIds.toSet() vs a Set of fresh strings": [
    () => void (sink += maps.existingIds.toSet().size),
    () => void (sink += freshSet().size),
  ],
  "baseHashMap.toMap() vs a Map of fresh strings": [
    () => void (sink += maps.baseHashMap.toMap().size),
    () => void (sink += freshMap().size),
  ],
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
