// The benchmark: every load path on the same tables, each in its own process, alternating, several
// rounds, medians. Usage: bun bench/bench.ts [--rows 100000,450000] [--big] [--rounds 3]
//   [--lines 0.13,latest] [--dims 768]
// Writes bench/results.md and bench/scaling.svg (with --big: bench/results-2m.md, bench/scaling-2m.svg).
import { existsSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { cpus, homedir, totalmem } from "node:os";
import { join } from "node:path";
import { writeServiceTable } from "../fixtures/service-table";
import { sdk, type Line } from "../fixtures/sdk";
import { median, methodCmd, runJson } from "./util";

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const sizes = opt("rows", "100000,450000").split(",").map(Number);
if (args.includes("--big")) sizes.push(2_000_000);
const rounds = Number(opt("rounds", "3"));
const big = sizes.some((n) => n >= 2_000_000);
const [reportFile, svgFile] = big ? ["results-2m.md", "scaling-2m.svg"] : ["results.md", "scaling.svg"];
const lines = opt("lines", "0.13,latest").split(",") as Line[];
const dims = Number(opt("dims", "768"));
const rawScanBin = process.env.RAW_SCAN_BIN!;
const cacheDir = join(homedir(), ".cache", "lance-hashmaps", "bench-tables");

interface Sample {
  method: string;
  ms: number;
  cpuMs: number;
  peakMB: number;
  heldMB: number;
}

async function table(line: Line, rows: number): Promise<string> {
  const dir = join(cacheDir, `${line}-${sdk(line).version}-${rows}-${dims}`);
  const path = join(dir, "embeddings.lance");
  if (existsSync(join(dir, "done"))) return path;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`writing ${rows} rows with @lancedb/lancedb ${sdk(line).version} ...\n`);
  await writeServiceTable(dir, { rows, dims, fragmentRows: 10_000, line });
  writeFileSync(join(dir, "done"), "");
  return path;
}

const methods = ["toArray", "stream", "native", "rawScan"] as const;
const label: Record<string, string> = {
  toArray: "toArray path (JS SDK)",
  stream: "for-await streaming (JS SDK)",
  native: "buildHashMaps",
  rawScan: "raw Rust scan, no maps (lower bound)",
};

interface Row {
  line: Line;
  rows: number;
  m: Record<string, { ms: number; cpuMs: number; peakMB: number; heldMB: number }>;
  filter?: { lookups: number; nativeMs: number; jsMapMs: number };
  walk?: { ids: number; bases: number; loadMs: number; walks: Record<string, { nativeMs: number; jsMs: number }> };
  plan?: { items: number; jsMs: number; planMs: number; same: boolean };
  small?: { items: number; loopUs: number; planUs: number; ratio: number; same: boolean }[];
}
const results: Row[] = [];

for (const line of lines) {
  for (const rows of sizes) {
    const path = await table(line, rows);
    const samples: Record<string, Sample[]> = {};
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 ? [...methods].reverse() : methods;
      for (const m of order) {
        // The SDK paths at 2M rows take long and much memory; one round of them is enough there.
        if (rows > 1_000_000 && (m === "toArray" || m === "stream") && r > 0) continue;
        const cmd = m === "rawScan" ? [rawScanBin, path] : methodCmd(m, path, line);
        (samples[m] ??= []).push(runJson<Sample>(cmd));
        process.stderr.write(`  ${line} ${rows} round ${r + 1} ${m}: ${samples[m].at(-1)!.ms.toFixed(0)} ms\n`);
      }
    }
    const row: Row = { line, rows, m: {} };
    for (const m of methods) {
      const s = samples[m];
      row.m[m] = {
        ms: median(s.map((x) => x.ms)),
        cpuMs: median(s.map((x) => x.cpuMs)),
        peakMB: median(s.map((x) => x.peakMB)),
        heldMB: median(s.map((x) => x.heldMB)),
      };
    }
    if (rows === 450_000 || rows === sizes[0]) {
      const p = Bun.spawnSync([process.execPath, join(import.meta.dir, "filter-loop.ts"), path, "5"], {
        stderr: "pipe",
      });
      if (p.exitCode === 0) row.filter = JSON.parse(p.stdout.toString().trim());
      const w = Bun.spawnSync([process.execPath, join(import.meta.dir, "iteration.ts"), path, "5"], { stderr: "pipe" });
      if (w.exitCode === 0) row.walk = JSON.parse(w.stdout.toString().trim());
      else throw new Error(`iteration.ts failed: ${w.stderr.toString()}`);
      const q = Bun.spawnSync([process.execPath, join(import.meta.dir, "plan.ts"), path, String(rounds)], {
        stderr: "pipe",
      });
      if (q.exitCode === 0) row.plan = JSON.parse(q.stdout.toString().trim());
      else throw new Error(`plan.ts failed: ${q.stderr.toString()}`);
      const b = Bun.spawnSync([process.execPath, join(import.meta.dir, "plan-small.ts"), path, "7"], {
        stderr: "pipe",
      });
      if (b.exitCode === 0) row.small = JSON.parse(b.stdout.toString().trim());
      else throw new Error(`plan-small.ts failed: ${b.stderr.toString()}`);
    }
    results.push(row);
  }
}

// ---- report ----
const cpu = cpus()[0]?.model ?? "unknown CPU";
const out: string[] = [];
out.push(`# Benchmark results`, ``);
out.push(
  `Machine: ${cpus().length} cores, ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB. Table: service-shaped (5% of items in 3 chunks, ${dims}-dim vectors, 10,000-row fragments).`,
);
out.push(
  `Each figure is the median of ${rounds} rounds; every method runs in its own process, methods alternate within a round.`,
);
out.push(
  `Command: \`npm run bench -- ${args.join(" ")}\`. Ratios are what to compare across machines, not absolute times.`,
);
out.push(
  `CPU time is that of the load step alone, on every thread (process.cpuUsage() in bench/method.ts; for the raw scan, the sum of its threads' /proc schedstat): with ${cpus().length} cores, no load step can take less than its CPU time / ${cpus().length}.`,
  ``,
);
out.push(
  `| written by | rows | method | load time | CPU time (all threads, user + kernel) | speed-up vs toArray | vs streaming | vs raw scan | peak process memory | held by result |`,
);
out.push(`|---|---:|---|---:|---:|---:|---:|---:|---:|---:|`);
for (const r of results) {
  for (const m of methods) {
    const x = r.m[m];
    out.push(
      `| ${sdk(r.line).version} | ${r.rows.toLocaleString()} | ${label[m]} | ${x.ms.toFixed(0)} ms | ${x.cpuMs.toFixed(0)} ms | ${(r.m.toArray.ms / x.ms).toFixed(1)}× | ${(r.m.stream.ms / x.ms).toFixed(1)}× | ${(x.ms / r.m.rawScan.ms).toFixed(2)}× | ${x.peakMB.toFixed(0)} MB | ${m === "rawScan" ? "–" : `${x.heldMB.toFixed(0)} MB`} |`,
    );
  }
}
out.push(``, `Filter loop (\`baseHashMap.get(baseId) !== hash\` for every row, from JS):`, ``);
out.push(`| written by | lookups | native get | JS Map get | native / JS Map |`, `|---|---:|---:|---:|---:|`);
for (const r of results.filter((r) => r.filter)) {
  const f = r.filter!;
  out.push(
    `| ${sdk(r.line).version} | ${f.lookups.toLocaleString()} | ${f.nativeMs.toFixed(1)} ms | ${f.jsMapMs.toFixed(1)} ms | **${(f.nativeMs / f.jsMapMs).toFixed(2)}×** |`,
  );
}
out.push(
  ``,
  `Walking the collections (bench/iteration.ts, one process, medians of 5), beside a JS Set / Map with the same content and beside the load (\`buildHashMaps\` in the same process):`,
  ``,
);
out.push(
  `| written by | walk | native | JS collection | native / JS | native / load |`,
  `|---|---|---:|---:|---:|---:|`,
);
for (const r of results.filter((r) => r.walk)) {
  const w = r.walk!;
  for (const [name, x] of Object.entries(w.walks)) {
    out.push(
      `| ${sdk(r.line).version} | \`${name}\` (${(name.includes("Chunks") || name.includes("baseHashMap") ? w.bases : w.ids).toLocaleString()}) | ${x.nativeMs.toFixed(1)} ms | ${x.jsMs.toFixed(1)} ms | ${(x.nativeMs / x.jsMs).toFixed(1)}× | **${(x.nativeMs / w.loadMs).toFixed(2)}** (load ${w.loadMs.toFixed(0)} ms) |`,
    );
  }
}
out.push(
  ``,
  `Change check of a batch (one item per base id, 10% edited, plus 5% new items), end to end including sha256: the service's JS loop (Bun.CryptoHasher + JS Maps) against \`planChanges\`:`,
  ``,
);
out.push(`| written by | items | JS loop | planChanges | speed-up | same result |`, `|---|---:|---:|---:|---:|---|`);
for (const r of results.filter((r) => r.plan)) {
  const p = r.plan!;
  out.push(
    `| ${sdk(r.line).version} | ${p.items.toLocaleString()} | ${p.jsMs.toFixed(0)} ms | ${p.planMs.toFixed(0)} ms | ${(p.jsMs / p.planMs).toFixed(2)}× | ${p.same ? "yes" : "NO"} |`,
  );
}
out.push(
  ``,
  `planChanges by batch size against the service's loop without it (node:crypto sha256 + \`baseHashMap.get(getBaseId(id))\`), \`removeFromExistingIds: false\`, per call, medians of 7 alternated rounds in one process (\`bench/plan-small.ts\`):`,
  ``,
  `| written by | items | service loop | planChanges | planChanges / loop | same result |`,
  `|---|---:|---:|---:|---:|---|`,
);
for (const r of results.filter((r) => r.small)) {
  for (const b of r.small!) {
    out.push(
      `| ${sdk(r.line).version} | ${b.items.toLocaleString()} | ${b.loopUs} µs | ${b.planUs} µs | ${b.ratio.toFixed(2)} | ${b.same ? "yes" : "NO"} |`,
    );
  }
}
const report = `${out.join("\n")}\n`;
writeFileSync(join(import.meta.dir, reportFile), report);
writeFileSync(join(import.meta.dir, svgFile), svg(results));
console.log(report);

/** Time per row against rows, one line per method and SDK line (log-scaled x). */
function svg(rs: Row[]): string {
  const W = 720,
    H = 420,
    L = 70,
    B = 50,
    T = 30,
    R = 220;
  const xs = [...new Set(rs.map((r) => r.rows))].sort((a, b) => a - b);
  const series: { name: string; pts: [number, number][] }[] = [];
  for (const line of lines)
    for (const m of methods) {
      const pts = rs
        .filter((r) => r.line === line)
        .map((r) => [r.rows, (r.m[m].ms * 1e6) / r.rows] as [number, number]);
      series.push({ name: `${label[m]} (${sdk(line).version})`, pts });
    }
  const maxY = Math.max(...series.flatMap((s) => s.pts.map((p) => p[1]))) * 1.1;
  const lx = (x: number) =>
    xs.length < 2 ? L : L + ((Math.log(x) - Math.log(xs[0])) / (Math.log(xs.at(-1)!) - Math.log(xs[0]))) * (W - L - R);
  const ly = (y: number) => H - B - (y / maxY) * (H - B - T);
  const colors = ["#d62728", "#ff7f0e", "#2ca02c", "#1f77b4", "#9467bd", "#8c564b", "#17becf", "#7f7f7f"];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  parts.push(`<text x="${L}" y="18" font-size="13">Load time per row (ns) against table rows</text>`);
  parts.push(
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/><line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
  );
  for (const x of xs)
    parts.push(`<text x="${lx(x)}" y="${H - B + 16}" text-anchor="middle">${x.toLocaleString()}</text>`);
  for (let k = 0; k <= 4; k++) {
    const y = (maxY * k) / 4;
    parts.push(
      `<text x="${L - 6}" y="${ly(y) + 4}" text-anchor="end">${y.toFixed(0)}</text><line x1="${L}" y1="${ly(y)}" x2="${W - R}" y2="${ly(y)}" stroke="#eee"/>`,
    );
  }
  series.forEach((s, i) => {
    const c = colors[i % colors.length];
    const dash = i >= methods.length ? ` stroke-dasharray="5,3"` : "";
    parts.push(
      `<polyline fill="none" stroke="${c}" stroke-width="2"${dash} points="${s.pts.map((p) => `${lx(p[0])},${ly(p[1])}`).join(" ")}"/>`,
    );
    for (const p of s.pts) parts.push(`<circle cx="${lx(p[0])}" cy="${ly(p[1])}" r="3" fill="${c}"/>`);
    parts.push(
      `<line x1="${W - R + 10}" y1="${T + 14 * i}" x2="${W - R + 30}" y2="${T + 14 * i}" stroke="${c}" stroke-width="2"${dash}/><text x="${W - R + 34}" y="${T + 14 * i + 4}">${s.name}</text>`,
    );
  });
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">rows (log scale)</text></svg>`);
  return parts.join("\n");
}
