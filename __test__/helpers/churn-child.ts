// Run by __test__/existing-ids.test.ts in a fresh child process, so that no other test's garbage
// moves its heap readings: 1,000,000 add / delete cycles on existingIds and then on a Set holding
// the same ids, each with three walks open (at the start, inside the table's ids, among the added
// ids). Prints one JSON object: { ours, theirs } (bytes the settled heap grew by) and whether the
// two ended with the same ids in the same order.
import { buildHashMaps } from "../../index";

const [tablePath] = process.argv.slice(2) as [string];
const { existingIds } = await buildHashMaps(tablePath);
const model = new Set(existingIds);
const tableIds = [...model];

/** Deletes and adds back ids (table ids move to the end), adds and deletes new ones. */
function churn(set: Set<string> | typeof existingIds) {
  const walks = [set.values(), set.values(), set.values()];
  for (let i = 0; i < 5000; i++) walks[1].next();
  for (let i = 0; i < tableIds.length + 10; i++) walks[2].next();
  for (let i = 0; i < 1_000_000; i++) {
    const id = i % 2 ? tableIds[i % tableIds.length] : `churn-${i}`;
    set.add(id);
    set.delete(id);
    if (i % 2) set.add(id);
  }
  return walks;
}

/** The heap once the collector has settled: collections with the event loop between (Bun 1.1
 * sweeps lazily, later on a busy machine) until two readings in a row agree within 64 KB. */
async function heap() {
  let last = Number.NaN;
  for (let round = 0; round < 40; round++) {
    Bun.gc(true);
    await new Promise((r) => setTimeout(r, 20));
    const now = process.memoryUsage().heapUsed;
    if (round >= 2 && Math.abs(now - last) < 64 << 10) return now;
    last = now;
  }
  return last;
}

async function grew(set: Set<string> | typeof existingIds) {
  const before = await heap();
  const walks = churn(set);
  const after = await heap();
  if (walks.length !== 3) throw new Error("the walks were not kept open");
  return after - before;
}

// Ours first: what the Set's open walks hold is let go only after its measure.
const ours = await grew(existingIds);
const theirs = await grew(model);
const same = JSON.stringify([...existingIds]) === JSON.stringify([...model]);
console.log(JSON.stringify({ ours, theirs, same }));
