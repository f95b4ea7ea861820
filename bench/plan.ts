// planChanges against the service's JS loop (Bun.CryptoHasher + JS Maps), in ONE process,
// alternating, end to end including hashing. Items: one per base id of the table (90% unchanged,
// 10% with new text) plus 5% new items. Usage: bun bench/plan.ts <tablePath> [rounds]
import { buildHashMaps, planChanges } from "../index";
import { servicePlan } from "../fixtures/reference";
import { median } from "./util";

const [tablePath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);

const first = await buildHashMaps(tablePath);
const baseHashMap = first.baseHashMap.toMap();
const existingChunks = first.existingChunks.toMap();
const items: { id: string; text: string }[] = [];
let k = 0;
for (const base of baseHashMap.keys()) {
  // fixtures/service-table.ts stores sha256(base) as the hash, so `text: base` is an unchanged item.
  items.push({ id: base, text: k++ % 10 === 3 ? `${base} (edited)` : base });
}
for (let i = 0; i < items.length / 20; i++) items.push({ id: `new-item-${i}`, text: `new text ${i}` });

const jsLoop = (existingIds: Set<string>) => servicePlan({ baseHashMap, existingChunks, existingIds }, items);

const times: Record<string, number[]> = { js: [], plan: [] };
const last: Record<string, unknown> = {};
for (let r = 0; r < rounds; r++) {
  for (const which of r % 2 ? ["plan", "js"] : ["js", "plan"]) {
    const maps = await buildHashMaps(tablePath); // fresh: both paths remove ids from existingIds
    const ids = which === "js" ? maps.existingIds.toSet() : null;
    Bun.gc(true);
    const t0 = performance.now();
    const result = which === "js" ? jsLoop(ids!) : await planChanges(maps, items);
    times[which].push(performance.now() - t0);
    last[which] = result;
  }
}
const same = JSON.stringify(last.js) === JSON.stringify(last.plan);
console.log(JSON.stringify({ items: items.length, jsMs: median(times.js), planMs: median(times.plan), same }));
if (!same) process.exitCode = 1;
