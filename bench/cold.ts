// The cold path (issue 23): a fresh process per run, as a service that loads once per process
// (a sync run, a CLI call, a compiled binary). Per table, alternating in every round: the raw
// two-column scan (examples/raw_scan, the same scan code building no maps), `require` + the first
// `buildHashMaps` of this checkout (and of another, e.g. scripts/bench-baseline.sh's), and the SDK's
// toArray and stream paths. Each process is run under /usr/bin/time: whole-process wall, CPU
// (user + kernel, all threads), minor page faults and peak RSS. Medians.
// Usage: bun bench/cold.ts [--other <checkout> --other-raw-scan <raw_scan binary>] [--rounds N]
//   [--out file.md] <tablePath>...
//   (RAW_SCAN_BIN: this checkout's raw_scan; scripts/bench.sh builds it.)
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { median, takeFlag } from "./util";

const args = process.argv.slice(2);
const flag = (name: string) => takeFlag(args, name);
const other = flag("--other");
const otherRawScan = flag("--other-raw-scan");
const rounds = Number(flag("--rounds") ?? 7);
const out = flag("--out");
const tables = args;
const rawScan = process.env.RAW_SCAN_BIN;
if (!rawScan || tables.length === 0) {
  throw new Error(
    "usage: RAW_SCAN_BIN=<raw_scan> bun bench/cold.ts [--other <checkout> --other-raw-scan <bin>] <tablePath>...",
  );
}
const here = resolve(import.meta.dir, "..");
const child = join(import.meta.dir, "cold-child.ts");
const timeFile = join(mkdtempSync(join(tmpdir(), "lhm-cold-")), "time");
const cores = availableParallelism();

interface Run {
  /** In-process steps (ms): require and first load (the addon and the SDK), or the scan. */
  requireMs?: number;
  loadMs?: number;
  /** The first load's CPU time, every thread (the addon and the SDK). */
  loadCpuMs?: number;
  scanMs?: number;
  scanCpuMs?: number;
  /** The whole process, from /usr/bin/time. */
  wallMs: number;
  cpuMs: number;
  faults: number;
  rssMB: number;
}

function run(cmd: string[]): Run {
  const p = Bun.spawnSync(["/usr/bin/time", "-f", "%e %U %S %R %M", "-o", timeFile, ...cmd], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, RUST_LOG: "error" },
  });
  if (p.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${p.stderr.toString()}`);
  const [e, u, s, r, m] = readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
  const line = JSON.parse(p.stdout.toString().trim().split("\n").pop()!);
  return {
    requireMs: line.requireMs,
    loadMs: line.loadMs,
    loadCpuMs: line.loadCpuMs,
    scanMs: line.method === "rawScan" ? line.ms : undefined,
    scanCpuMs: line.method === "rawScan" ? line.cpuMs : undefined,
    wallMs: e * 1000,
    cpuMs: (u + s) * 1000,
    faults: r,
    rssMB: m / 1024,
  };
}

const methods: [string, (table: string) => string[]][] = [
  ["raw scan", (t) => [rawScan, t]],
  ["addon", (t) => [process.execPath, child, "addon", here, t]],
  ...(other && otherRawScan
    ? ([["raw scan (other)", (t: string) => [otherRawScan, t]]] as [string, (t: string) => string[]][])
    : []),
  ...(other
    ? ([["addon (other)", (t: string) => [process.execPath, child, "addon", resolve(other), t]]] as [
        string,
        (t: string) => string[],
      ][])
    : []),
  ["SDK toArray", (t) => [process.execPath, child, "toArray", t.includes("0.13") ? "0.13" : "latest", t]],
  ["SDK stream", (t) => [process.execPath, child, "stream", t.includes("0.13") ? "0.13" : "latest", t]],
];

const lines: string[] = [];
const say = (s: string) => {
  console.log(s);
  lines.push(s);
};
say(`# Cold processes (\`bun bench/cold.ts\`), ${rounds} rounds, medians, ${new Date().toISOString().slice(0, 10)}\n`);
for (const table of tables) {
  const runs: Record<string, Run[]> = Object.fromEntries(methods.map(([m]) => [m, []]));
  // One unrecorded round first: a binary just built or copied is not yet in the page cache.
  for (const [, cmd] of methods) run(cmd(table));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...methods].reverse() : methods;
    for (const [name, cmd] of order) runs[name].push(run(cmd(table)));
  }
  const med = (name: string, f: (x: Run) => number | undefined) =>
    median(runs[name].map(f).filter((v) => v !== undefined) as number[]);
  say(`## ${table}\n`);
  say("| process | require | first load | require + load | whole process | CPU (process) | minor faults | peak RSS |");
  say("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const [name] of methods) {
    const scan = name.startsWith("raw scan");
    const cold = scan ? med(name, (x) => x.scanMs) : med(name, (x) => (x.requireMs ?? 0) + (x.loadMs ?? 0));
    say(
      `| ${name} | ${scan ? "" : `${med(name, (x) => x.requireMs).toFixed(1)} ms`} | ${scan ? `${med(name, (x) => x.scanMs).toFixed(1)} ms (scan; CPU ${med(name, (x) => x.scanCpuMs).toFixed(0)} ms)` : `${med(name, (x) => x.loadMs).toFixed(1)} ms (CPU ${med(name, (x) => x.loadCpuMs).toFixed(0)} ms)`} | ${cold.toFixed(1)} ms | ${med(name, (x) => x.wallMs).toFixed(0)} ms | ${med(name, (x) => x.cpuMs).toFixed(0)} ms | ${med(name, (x) => x.faults).toFixed(0)} | ${med(name, (x) => x.rssMB).toFixed(0)} MB |`,
    );
  }
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const coldOf = (name: string) => med(name, (x) => (x.requireMs ?? 0) + (x.loadMs ?? 0));
  const scanOf = (name: string) => med(name, (x) => x.scanMs);
  // Ratios per round (alternated neighbours), then their median: steadier than a ratio of medians.
  const perRound = (a: (i: number) => number, b: (i: number) => number) =>
    median(Array.from({ length: rounds }, (_, i) => a(i) / b(i))).toFixed(2);
  const c = (name: string) => (i: number) => (runs[name][i].requireMs ?? 0) + (runs[name][i].loadMs ?? 0);
  const s = (name: string) => (i: number) => runs[name][i].scanMs!;
  say("");
  say(
    `- require + first buildHashMaps / raw scan: **${perRound(c("addon"), s("raw scan"))}** (medians: ${ratio(coldOf("addon"), scanOf("raw scan"))})`,
  );
  say(`- raw scan CPU / wall: **${perRound((i) => runs["raw scan"][i].scanCpuMs!, s("raw scan"))}**`);
  // What the cores allow: a load can go no faster than its CPU time spread over every core, after
  // a require that runs on one thread. Against the targets, per round.
  const floorOf = (x: Run) => (x.requireMs ?? 0) + (x.loadCpuMs ?? 0) / cores;
  const floor = (name: string) => (i: number) => floorOf(runs[name][i]);
  say(
    `- what ${cores} cores allow (require + load CPU / ${cores}): ${med("addon", floorOf).toFixed(1)} ms; / raw scan: ${perRound(floor("addon"), s("raw scan"))}${other ? `; / other's cold load: ${perRound(floor("addon"), c("addon (other)"))}` : ""}`,
  );
  // The same bound seen from the builder: its CPU time (the load's, less the raw scan's in the same
  // round) against what each target leaves it once the scan and `require` take theirs, all cores
  // busy from the start of the load to the target. A builder over its budget cannot meet the
  // target however well it overlaps the scan, unless the scan or `require` get cheaper too.
  const perRoundMs = (f: (i: number) => number) => median(Array.from({ length: rounds }, (_, i) => f(i))).toFixed(1);
  const builderCpu = (i: number) => runs.addon[i].loadCpuMs! - runs["raw scan"][i].scanCpuMs!;
  const budget = (limit: (i: number) => number) => (i: number) =>
    cores * (limit(i) - (runs.addon[i].requireMs ?? 0)) - runs["raw scan"][i].scanCpuMs!;
  say(
    `- the builder's CPU (load CPU − raw scan CPU): ${perRoundMs(builderCpu)} ms; what the targets leave it: ≤ 1.5× the raw scan ${perRoundMs(budget((i) => 1.5 * s("raw scan")(i)))} ms${other ? `, ≤ 0.65 of other's cold load ${perRoundMs(budget((i) => 0.65 * c("addon (other)")(i)))} ms` : ""}`,
  );
  if (other) {
    say(`- cold, this / other: **${perRound(c("addon"), c("addon (other)"))}**`);
    if (otherRawScan) {
      say(
        `- other: require + first buildHashMaps / its raw scan: ${perRound(c("addon (other)"), s("raw scan (other)"))}; its raw scan CPU / wall: ${perRound((i) => runs["raw scan (other)"][i].scanCpuMs!, s("raw scan (other)"))}`,
      );
    }
  }
  say(
    `- SDK toArray / addon, cold: ${perRound(c("SDK toArray"), c("addon"))}; SDK stream / addon: ${perRound(c("SDK stream"), c("addon"))}`,
  );
  say("");
}
if (out) writeFileSync(out, `${lines.join("\n")}\n`);
