// The demo: the toArray path, the TS streaming path and buildHashMaps on one table, each in its own
// process, side by side. Usage: bun bench/demo.ts [tablePath] [--rows N] [--dims N] [--line 0.13|latest]
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { writeServiceTable } from "../fixtures/service-table";
import type { Line } from "../fixtures/sdk";
import { sdk } from "../fixtures/sdk";
import { methodCmd, runJson } from "./util";

const args = process.argv.slice(2);
const flag = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args.splice(i, 2)[1] : dflt;
};
const rows = Number(flag("rows", "450000"));
const dims = Number(flag("dims", "768"));
const line = flag("line", "0.13") as Line;
let tablePath = args[0];
let tempDir: string | null = null;

if (!tablePath) {
  tempDir = mkdtempSync(join(tmpdir(), "lhm-demo-"));
  process.stderr.write(
    `writing a ${rows.toLocaleString()}-row table (${dims}-dim vectors) with @lancedb/lancedb ${sdk(line).version} in ${tempDir} ...\n`,
  );
  const t0 = performance.now();
  tablePath = await writeServiceTable(tempDir, { rows, dims, fragmentRows: 10_000, line });
  process.stderr.write(`  written in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

export interface Result {
  method: string;
  ms: number;
  peakMB: number;
  heldMB: number;
  ids: number;
  bases: number;
  digest: string;
}

try {
  const names: Record<string, string> = {
    toArray: "toArray path (JS SDK)",
    stream: "for-await streaming (JS SDK)",
    native: "buildHashMaps (this addon)",
  };
  const results: Result[] = [];
  for (const m of ["toArray", "stream", "native"]) {
    process.stderr.write(`running ${names[m]} ...\n`);
    results.push(runJson<Result>(methodCmd(m, tablePath, line)));
  }
  const base = results[0];
  console.log(`\ntable: ${tablePath}`);
  console.log(`machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}; JS SDK ${sdk(line).version}\n`);
  console.log("| method | load time | vs toArray | peak process memory | maps digest |");
  console.log("|---|---:|---:|---:|---|");
  for (const r of results) {
    console.log(
      `| ${names[r.method]} | ${r.ms.toFixed(0)} ms | ${(base.ms / r.ms).toFixed(1)}× | ${r.peakMB.toFixed(0)} MB | ${r.digest} |`,
    );
  }
  const same = results.every((r) => r.digest === base.digest);
  console.log(
    `\n${base.ids.toLocaleString()} ids, ${base.bases.toLocaleString()} base ids. ` +
      (same ? "All three paths built identical maps (same content and order)." : "DIGESTS DIFFER: the paths disagree!"),
  );
  console.log("One process per method, one run each; `npm run bench` repeats rounds and reports medians.");
  if (!same) process.exitCode = 1;
} finally {
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}
