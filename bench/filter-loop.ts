// The service's filter loop from JS: for every row, baseHashMap.get(baseId) and a `!==` compare,
// over the native map and over a plain JS Map with the same content, in ONE process, alternating.
// Usage: bun bench/filter-loop.ts <tablePath> [rounds]
import { getBaseId } from "../fixtures/reference";
import { buildHashMaps } from "../index";
import { median } from "./util";

const [tablePath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);
const maps = await buildHashMaps(tablePath);
const jsMap = maps.baseHashMap.toMap();
const items = maps.existingIds.toArray().map((id) => ({ baseId: getBaseId(id), hash: jsMap.get(getBaseId(id)) ?? "" }));

type Getter = { get(k: string): string | null | undefined };
type Loop = (items: { baseId: string; hash: string }[], m: Getter) => number;
// One copy of the loop per method, compiled separately, so that each `m.get` call site sees one
// kind of object, as in the service (a shared loop would be polymorphic and slow every method).
const makeLoop = (): Loop =>
  new Function(
    "items",
    "m",
    "let changed = 0; for (const it of items) if (m.get(it.baseId) !== it.hash) changed++; return changed;",
  ) as Loop;

const times: Record<string, number[]> = { native: [], jsMap: [] };
const methods: [string, Getter, Loop][] = [
  ["native", maps.baseHashMap, makeLoop()],
  ["jsMap", jsMap, makeLoop()],
];
for (let r = 0; r < rounds; r++) {
  for (const [name, m, loop] of r % 2 ? [...methods].reverse() : methods) {
    const t0 = performance.now();
    const changed = loop(items, m);
    times[name].push(performance.now() - t0);
    if (changed !== 0) throw new Error(`${name}: ${changed} lookups disagreed`);
  }
}
console.log(JSON.stringify({ lookups: items.length, nativeMs: median(times.native), jsMapMs: median(times.jsMap) }));
