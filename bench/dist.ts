// The published (dist) build against the everyday (release) build, in ONE run: size of each
// `.node` (as built, and stripped), and buildHashMaps on the cached 450k-row bench tables, each
// load in its own process, alternating, medians. Both builds load through the same index.js
// (NAPI_RS_NATIVE_LIBRARY_PATH picks the file). Writes bench/results-dist.md.
// Usage: bun bench/dist.ts <release.node> <dist.node> [rounds] [tablePath...]   (scripts/dist.sh)
import { existsSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { median, methodCmd, runJson } from "./util";

const [releaseNode, distNode, roundsArg, ...tables] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 7);
const MB = 1024 * 1024;

function stripped(file: string): number {
  const dir = mkdtempSync(join(tmpdir(), "lhm-strip-"));
  const out = join(dir, basename(file));
  const p = Bun.spawnSync(["strip", "-o", out, file]);
  const size = p.exitCode === 0 ? statSync(out).size : NaN;
  rmSync(dir, { recursive: true, force: true });
  return size;
}

function load(node: string, table: string): { ms: number; peakMB: number; digest: string } {
  return runJson(methodCmd("native", table, "latest"), { NAPI_RS_NATIVE_LIBRARY_PATH: node });
}

const builds = { release: releaseNode, dist: distNode } as const;
const out: string[] = ["# Published (dist) build against the everyday (release) build", ""];
out.push(
  `Machine: ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"}. Command: \`bash scripts/dist.sh\`.`,
  "",
);
out.push("| build | profile | `.node` size | stripped |", "|---|---|---:|---:|");
out.push(
  `| release (everyday, tests) | opt-level 3, no LTO, 16 codegen units | ${(statSync(releaseNode).size / MB).toFixed(1)} MB | ${(stripped(releaseNode) / MB).toFixed(1)} MB |`,
);
out.push(
  `| dist (published) | fat LTO, 1 codegen unit, stripped, read path at opt-level 3, SQL front end "z", rest "s" | ${(statSync(distNode).size / MB).toFixed(1)} MB | ${(stripped(distNode) / MB).toFixed(1)} MB |`,
);
// For scale: the JS SDK's own native module, as installed here (a devDependency).
const sdkNode = join(
  import.meta.dir,
  "..",
  "node_modules",
  "@lancedb",
  "lancedb-linux-x64-gnu",
  "lancedb.linux-x64-gnu.node",
);
if (existsSync(sdkNode)) {
  const v = JSON.parse(readFileSync(join(sdkNode, "..", "package.json"), "utf8")).version;
  out.push(
    `| \`@lancedb/lancedb\` ${v}'s own \`.node\`, for scale | (as published) | ${(statSync(sdkNode).size / MB).toFixed(1)} MB | ${(stripped(sdkNode) / MB).toFixed(1)} MB |`,
  );
}
out.push("", "MB here is 2^20 bytes.", "");
out.push(`buildHashMaps, median of ${rounds} loads each, alternating, each in its own process:`, "");
out.push("| table | release | dist | dist / release | same maps |", "|---|---:|---:|---:|---|");
for (const table of tables) {
  const ms: Record<string, number[]> = { release: [], dist: [] };
  const digests = new Set<string>();
  for (let r = 0; r < rounds; r++) {
    for (const which of (r % 2 ? ["dist", "release"] : ["release", "dist"]) as (keyof typeof builds)[]) {
      const s = load(builds[which], table);
      ms[which].push(s.ms);
      digests.add(s.digest);
    }
  }
  const [rel, dist] = [median(ms.release), median(ms.dist)];
  out.push(
    `| ${table.split("/").slice(-2, -1)[0]} | ${rel.toFixed(0)} ms | ${dist.toFixed(0)} ms | ${(dist / rel).toFixed(2)} | ${digests.size === 1 ? "yes" : "NO"} |`,
  );
}
const text = `${out.join("\n")}\n`;
writeFileSync(join(import.meta.dir, "results-dist.md"), text);
console.log(text);
