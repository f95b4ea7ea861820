// The service's filter loop from JS: for every row, baseHashMap.get(baseId) and a `!==` compare,
// over the native map and over a plain JS Map with the same content, in ONE process, alternating.
// Usage: bun bench/filter-loop.ts <tablePath> [rounds]
import { buildHashMaps } from "../index";
import { getBaseId } from "../__test__/helpers/reference";

const [tablePath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);
const maps = await buildHashMaps(tablePath);
const jsMap = maps.baseHashMap.toMap();
const items = [...maps.existingIds].map((id) => ({ baseId: getBaseId(id), hash: jsMap.get(getBaseId(id)) ?? "" }));

function loop(m: { get(k: string): string | null | undefined }): number {
  let changed = 0;
  for (const it of items) if (m.get(it.baseId) !== it.hash) changed++;
  return changed;
}

// The floor of any native `get`: the same loop reading `size`, one napi call with no argument and
// no lookup, so what remains of `get` above it is the key copy, the lookup and the result string.
function callFloor(m: { size: number }): number {
  let n = 0;
  for (const it of items) if (m.size !== it.hash.length) n++;
  return n;
}

const times: Record<string, number[]> = { native: [], jsMap: [], floor: [] };
for (let r = 0; r < rounds; r++) {
  for (const [name, m] of (r % 2 ? [["jsMap", jsMap], ["native", maps.baseHashMap]] : [["native", maps.baseHashMap], ["jsMap", jsMap]]) as [string, any][]) {
    const t0 = performance.now();
    const changed = loop(m);
    times[name].push(performance.now() - t0);
    if (changed !== 0) throw new Error(`${name}: ${changed} lookups disagreed`);
  }
}
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  callFloor(maps.baseHashMap);
  times.floor.push(performance.now() - t0);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  JSON.stringify({ lookups: items.length, nativeMs: median(times.native), jsMapMs: median(times.jsMap), callFloorMs: median(times.floor) }),
);
