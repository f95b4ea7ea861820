// Walking the collections from JS against walking a JS Set / Map with the same content, in ONE
// process, beside the time of the load itself (issue: a walk should cost at most half of
// buildHashMaps). Usage: bun bench/iteration.ts <tablePath> [rounds]
//
// Each side is timed holding only what it needs, as a program using it would: the load and the
// addon's walks with the maps alone, the JS walks with the JS collections they walk (three
// collections of 400k+ entries). The phases run one after the other: (1) the load and the addon's
// walks, alternating; (2) the rows that fill a collection (toSet, toMap and their JS references);
// (3) the JS walks. Every timed step starts from a collected heap; one round first, untimed, warms
// up the JIT. Measured while developing it (bench/README.md): holding the JS copies, or dropping
// a 400k-entry collection just before, made a walk that allocates (any walk that makes strings)
// ~1.5x slower for a while; JS walks of existing collections allocate nothing and do not notice.
import { buildHashMaps } from "../index";
import { median } from "./util";

const [tablePath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);

const maps = await buildHashMaps(tablePath);

/** The same content as JS collections. */
function jsCollections() {
  return { set: maps.existingIds.toSet(), map: maps.baseHashMap.toMap(), chunks: maps.existingChunks.toMap() };
}
type Js = ReturnType<typeof jsCollections>;

// What any JS code pays to build a Set / Map of strings it has just made (the engine hashes each
// new string on insertion): the same ids and entries sliced from one joined string, as the pages
// hand them over. toSet() / toMap() cannot beat this; copying an existing Set (`new Set(set)`)
// reuses hashes the engine already has. Both sides of these rows run in the same phase, from the
// same heap: filling a collection costs more the smaller the heap it starts from.
const joined = (strings: string[]) => ({ text: strings.join(""), lens: Uint32Array.from(strings, (s) => s.length) });
/** The ids, base ids and hashes as joined strings (made for phase 2 only). */
function joinedTexts() {
  const { set, map } = jsCollections();
  return {
    ids: joined([...set]),
    bases: joined([...map.keys()]),
    hashes: joined([...map.values()].map((v) => v ?? "")),
  };
}
let texts: ReturnType<typeof joinedTexts> | null = null;
const sliceAll = ({ text, lens }: { text: string; lens: Uint32Array }) => {
  const out = new Array<string>(lens.length);
  for (let i = 0, at = 0; i < lens.length; i++) out[i] = text.slice(at, (at += lens[i]));
  return out;
};
const freshSet = () => new Set(sliceAll(texts!.ids));
const freshMap = () => {
  const keys = sliceAll(texts!.bases);
  const values = sliceAll(texts!.hashes);
  const m = new Map<string, string>();
  for (let i = 0; i < keys.length; i++) m.set(keys[i], values[i]);
  return m;
};

let sink = 0;
/** Per row: the addon's walk, and the JS walk (given the JS collections, timed in the JS phase) or
 * the JS reference that needs none (timed in the addon's phase). */
const walks: Record<string, [() => void, ((js: Js) => void) | (() => void)]> = {
  "for (const id of existingIds)": [
    () => {
      for (const id of maps.existingIds) sink += id.length;
    },
    (js) => {
      for (const id of js.set) sink += id.length;
    },
  ],
  "existingIds.forEach": [
    () => maps.existingIds.forEach((id) => void (sink += id.length)),
    (js) => js.set.forEach((id) => void (sink += id.length)),
  ],
  "Array.from(existingIds)": [
    () => void (sink += Array.from(maps.existingIds).length),
    (js) => void (sink += Array.from(js.set).length),
  ],
  "existingIds.toArray()": [
    () => void (sink += maps.existingIds.toArray().length),
    (js) => void (sink += [...js.set].length),
  ],
  "for (const [k, v] of baseHashMap)": [
    () => {
      for (const [k, v] of maps.baseHashMap) sink += k.length + (v?.length ?? 0);
    },
    (js) => {
      for (const [k, v] of js.map) sink += k.length + (v?.length ?? 0);
    },
  ],
  "for (const [k, ids] of existingChunks)": [
    () => {
      for (const [k, ids] of maps.existingChunks) sink += k.length + ids.length;
    },
    (js) => {
      for (const [k, ids] of js.chunks) sink += k.length + ids.length;
    },
  ],
  "existingIds.toSet()": [
    () => void (sink += maps.existingIds.toSet().size),
    (js) => void (sink += new Set(js.set).size),
  ],
  "baseHashMap.toMap()": [
    () => void (sink += maps.baseHashMap.toMap().size),
    (js) => void (sink += new Map(js.map).size),
  ],
  "existingIds.toSet() vs a Set of fresh strings": [
    () => void (sink += maps.existingIds.toSet().size),
    () => void (sink += freshSet().size),
  ],
  "baseHashMap.toMap() vs a Map of fresh strings": [
    () => void (sink += maps.baseHashMap.toMap().size),
    () => void (sink += freshMap().size),
  ],
};

const loadMs: number[] = [];
const t: Record<string, { native: number[]; js: number[] }> = {};
for (const name of Object.keys(walks)) t[name] = { native: [], js: [] };
/** Runs `f` from a collected heap; its time, kept from round 0 on. */
async function timed(round: number, into: number[], f: () => unknown) {
  Bun.gc(true);
  const t0 = performance.now();
  await f();
  const ms = performance.now() - t0;
  if (round >= 0) into.push(ms);
}
/** Rows whose JS side needs no JS collections. */
const sameHeap = new Set([
  "existingIds.toSet() vs a Set of fresh strings",
  "baseHashMap.toMap() vs a Map of fresh strings",
]);
/** Rows that fill a collection of 400k+ entries (the rest walk). */
const fills = new Set(["existingIds.toSet()", "baseHashMap.toMap()", ...sameHeap]);
const rows = Object.entries(walks);
// 1. The load and the addon's walks, alternating, with the maps alone held.
for (let r = -1; r < rounds; r++) {
  await timed(r, loadMs, async () => void (sink += (await buildHashMaps(tablePath)).rowCount));
  for (const [name, [native]] of rows) if (!fills.has(name)) await timed(r, t[name].native, native);
}
// 2. The addon's rows that fill a collection, and the JS references that need no JS collections
// (holding the joined strings they slice).
texts = joinedTexts();
for (let r = -1; r < rounds; r++) {
  for (const [name, [native, js]] of rows) {
    if (!fills.has(name)) continue;
    const order = sameHeap.has(name)
      ? r % 2
        ? (["js", "native"] as const)
        : (["native", "js"] as const)
      : ["native" as const];
    for (const which of order) await timed(r, t[name][which], which === "native" ? native : (js as () => void));
  }
}
// 3. The JS walks, holding the JS collections.
texts = null;
{
  const js = jsCollections();
  for (let r = -1; r < rounds; r++) {
    for (const [name, [, jsWalk]] of rows) if (!sameHeap.has(name)) await timed(r, t[name].js, () => jsWalk(js));
  }
}
const out: Record<string, { nativeMs: number; jsMs: number }> = {};
for (const [name, { native, js }] of Object.entries(t)) out[name] = { nativeMs: median(native), jsMs: median(js) };
console.log(
  JSON.stringify({
    ids: maps.existingIds.size,
    bases: maps.baseHashMap.size,
    loadMs: median(loadMs),
    walks: out,
    sink: sink > 0,
  }),
);
