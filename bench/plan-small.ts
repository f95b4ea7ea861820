// planChanges against the service's own loop by batch size, in ONE process, alternating: for each
// size (1 to 100,000 items) the loop the service runs without planChanges (sha256 with
// node:crypto, `baseHashMap.get(getBaseId(id))` on the addon's map) against
// `planChanges(maps, items, { removeFromExistingIds: false })` (the maps stay as loaded, so every
// call sees the same table). Items: bases of the table, every tenth with new text. Small batches
// repeat the call so that each sample is at least a few milliseconds; medians of per-call times.
// Usage: bun bench/plan-small.ts <tablePath> [rounds]   (run by npm run bench)
import { createHash } from "node:crypto";
import { buildHashMaps, planChanges } from "../index";
import { getBaseId } from "../fixtures/reference";
import { median } from "./util";

const [tablePath, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 7);
const sizes = [1, 10, 100, 1_000, 4_000, 10_000, 100_000];

const maps = await buildHashMaps(tablePath);
const bases: string[] = [];
for (const base of maps.baseHashMap.keys()) {
  bases.push(base);
  if (bases.length >= sizes.at(-1)!) break;
}
const { baseHashMap } = maps;

function loop(items: { id: string; text: string }[]) {
  const toEmbed: number[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const hash = createHash("sha256").update(items[i].text).digest("hex");
    if (baseHashMap.get(getBaseId(items[i].id)) === hash) continue;
    toEmbed.push(i);
    hashes.push(hash);
  }
  return { toEmbed, hashes };
}

const out: { items: number; loopUs: number; planUs: number; ratio: number; same: boolean }[] = [];
for (const n of sizes) {
  // fixtures/service-table.ts stores sha256(base) as a base's hash: `text: base` is unchanged.
  const items = bases.slice(0, n).map((base, k) => ({ id: base, text: k % 10 === 3 ? `${base} (edited)` : base }));
  const reps = Math.max(1, Math.round(20_000 / n));
  const t: Record<string, number[]> = { loop: [], plan: [] };
  let same = true;
  for (let r = 0; r < rounds + 1; r++) {
    for (const which of r % 2 ? ["plan", "loop"] : ["loop", "plan"]) {
      const t0 = performance.now();
      let last: { toEmbed: number[]; hashes: string[] } | undefined;
      for (let i = 0; i < reps; i++) {
        last = which === "loop" ? loop(items) : await planChanges(maps, items, { removeFromExistingIds: false });
      }
      const us = ((performance.now() - t0) * 1000) / reps;
      if (r > 0) t[which].push(us); // round 0 warms up both
      if (which === "plan") {
        const ref = loop(items);
        same &&= JSON.stringify([last!.toEmbed, last!.hashes]) === JSON.stringify([ref.toEmbed, ref.hashes]);
      }
    }
  }
  const [loopUs, planUs] = [median(t.loop), median(t.plan)];
  out.push({
    items: n,
    loopUs: +loopUs.toFixed(1),
    planUs: +planUs.toFixed(1),
    ratio: +(planUs / loopUs).toFixed(2),
    same,
  });
}
console.log(JSON.stringify(out));
if (out.some((o) => !o.same)) process.exitCode = 1;
