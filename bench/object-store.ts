// The load paths over a table in an S3-compatible store on loopback (moto's server, started here):
// the SDK's toArray and for-await paths against buildHashMaps over the same URI, each in its own
// process, alternating, medians. Vectors are small (8 dims): only the id and hash columns are read.
// Usage: bun bench/object-store.ts [--rows 450000] [--rounds 3]
import { createBucket, s3StorageOptions, startS3 } from "../fixtures/object-store/servers";
import { writeServiceTable } from "../fixtures/service-table";
import { median, methodCmd, runJsonAsync } from "./util";

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const rows = Number(opt("rows", "450000"));
const rounds = Number(opt("rounds", "3"));

const s3 = await startS3();
try {
  await createBucket(s3.endpoint, "bench");
  const storageOptions = s3StorageOptions(s3.endpoint);
  const t0 = performance.now();
  const tableUri = await writeServiceTable("s3://bench/db", {
    rows,
    dims: 8,
    fragmentRows: 50_000,
    line: "latest",
    storageOptions,
  });
  process.stderr.write(`wrote ${rows} rows to ${tableUri} in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  const env = { LHM_STORAGE_OPTIONS: JSON.stringify(storageOptions), AWS_EC2_METADATA_DISABLED: "true" };
  type Sample = { ms: number; cpuMs: number; peakMB: number; digest: string; requests?: number };
  const samples: Record<string, Sample[]> = { toArray: [], stream: [], native: [] };
  // A process that does not finish in 2 minutes is killed and counted (the SDK paths have hung
  // here on moto: a read that never completes).
  const hung: Record<string, number> = { toArray: 0, stream: 0, native: 0 };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? ["native", "stream", "toArray"] : ["toArray", "stream", "native"];
    for (const m of order) {
      try {
        const before = s3.requests();
        const sample = await runJsonAsync<Sample>(methodCmd(m, tableUri, "latest"), env, 120_000);
        // The server logs a request as it answers it; let the last lines of its log arrive.
        await new Promise((r) => setTimeout(r, 200));
        samples[m].push({ ...sample, requests: s3.requests() - before });
        process.stderr.write(`  round ${r + 1} ${m}: ${samples[m].at(-1)!.ms.toFixed(0)} ms\n`);
      } catch (e) {
        hung[m]++;
        process.stderr.write(`  round ${r + 1} ${m}: FAILED ${String(e).slice(0, 300)}\n`);
      }
    }
  }
  const digests = new Set(Object.values(samples).flatMap((s) => s.map((x) => x.digest)));
  const out = Object.fromEntries(
    Object.entries(samples).map(([m, s]) => [
      m,
      {
        ms: median(s.map((x) => x.ms)),
        cpuMs: median(s.map((x) => x.cpuMs)),
        peakMB: median(s.map((x) => x.peakMB)),
        requests: median(s.map((x) => x.requests ?? 0)),
      },
    ]),
  );
  console.log(JSON.stringify({ rows, rounds, sameMaps: digests.size === 1, failed: hung, ...out }));
} finally {
  await s3.stop();
}
