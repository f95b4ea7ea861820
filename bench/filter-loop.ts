// The service's filter loop from JS: for every row, baseHashMap.get(baseId) and a `!==` compare,
// over the native map and over a plain JS Map with the same content, in ONE process, alternating.
// `classGet` is the same loop through the class's prototype method (a napi-rs class method call),
// which `baseHashMap.get` (a function bound to the map's data) replaced.
// Usage: bun bench/filter-loop.ts <tablePath> [rounds]
import { buildHashMaps } from "../index";
import { getBaseId } from "../__test__/helpers/reference";
import { median } from "./util";

const [tablePath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);
const maps = await buildHashMaps(tablePath);
const jsMap = maps.baseHashMap.toMap();
const items = [...maps.existingIds].map((id) => ({ baseId: getBaseId(id), hash: jsMap.get(getBaseId(id)) ?? "" }));

type Getter = { get(k: string): string | null | undefined };
type Loop = (items: { baseId: string; hash: string }[], m: Getter) => number;
// One copy of the loop per method, compiled separately, so that each `m.get` call site sees one
// kind of object, as in the service (a shared loop would be polymorphic and slow every method).
const makeLoop = (): Loop =>
  new Function("items", "m", "let changed = 0; for (const it of items) if (m.get(it.baseId) !== it.hash) changed++; return changed;") as Loop;

// The floor of a napi-rs class method: the same loop reading `size`, one call into a class getter
// with no argument and no lookup.
function callFloor(m: { size: number }): number {
  let n = 0;
  for (const it of items) if (m.size !== it.hash.length) n++;
  return n;
}

const protoGet = Object.getPrototypeOf(maps.baseHashMap).get as (k: string) => string | null | undefined;
const viaClass = { get: (k: string) => protoGet.call(maps.baseHashMap, k) };
const times: Record<string, number[]> = { native: [], jsMap: [], classGet: [], floor: [] };
const methods: [string, Getter, Loop][] = [
  ["native", maps.baseHashMap, makeLoop()],
  ["jsMap", jsMap, makeLoop()],
  ["classGet", viaClass, makeLoop()],
];
for (let r = 0; r < rounds; r++) {
  // Rotate which method runs first.
  for (const [name, m, loop] of [...methods.slice(r % 3), ...methods.slice(0, r % 3)]) {
    const t0 = performance.now();
    const changed = loop(items, m);
    times[name].push(performance.now() - t0);
    if (changed !== 0) throw new Error(`${name}: ${changed} lookups disagreed`);
  }
}
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  callFloor(maps.baseHashMap);
  times.floor.push(performance.now() - t0);
}
console.log(
  JSON.stringify({
    lookups: items.length,
    nativeMs: median(times.native),
    jsMapMs: median(times.jsMap),
    classGetMs: median(times.classGet),
    callFloorMs: median(times.floor),
  }),
);
