// The service as it ships: one `bun build --compile` binary per load path, each run from another
// directory, at 450k rows. Both binaries embed @lancedb/lancedb 0.13 (the service writes with it);
// one loads the maps with the SDK's `for await` stream, the other with buildHashMaps, installed
// from the tarballs of `npm run pack` (scripts/pack.sh) into a project of its own. Per binary:
// its size, the first run (a fresh BUN_TMPDIR: the embedded addons are written out and loaded)
// and later runs (medians; the load step as the binary times it, and the whole process), peak RSS
// (VmHWM, median of all runs) and a digest of the maps (the same for both). Runs alternate.
// Prints one JSON line.
// Usage: bun bench/compiled.ts <tablePath> [rounds] [addon .node, default dist/ if built, else the release build]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { median } from "./util";

const root = join(import.meta.dir, "..");
const { platformName } = require(join(root, "js", "platform-name.js"));
const platform: string = platformName();
const [tablePath, roundsArg, binaryArg] = process.argv.slice(2);
if (!tablePath) throw new Error("usage: bun bench/compiled.ts <tablePath> [rounds] [addon .node]");
const rounds = Number(roundsArg ?? 3);
const distNode = join(root, "dist", `lance-hashmaps.${platform}.node`);
const releaseNode = join(root, `lance-hashmaps.${platform}.node`);
// A dist build older than the everyday one is of older code (its JS layer may not match): not used.
const distIsCurrent =
  existsSync(distNode) && (!existsSync(releaseNode) || statSync(distNode).mtimeMs >= statSync(releaseNode).mtimeMs);
if (!binaryArg && existsSync(distNode) && !distIsCurrent) {
  console.error(
    `compiled-binary bench skipped: ${distNode} is older than ${releaseNode} (run scripts/build-dist.sh, or pass a .node)`,
  );
  process.exit(0);
}
const addonNode = binaryArg ?? (distIsCurrent ? distNode : releaseNode);
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

function sh(cmd: string[], cwd: string, env: Record<string, string | undefined> = process.env) {
  const p = Bun.spawnSync(cmd, { cwd, env, stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed (${p.exitCode}): ${p.stderr.toString()}`);
  return p.stdout.toString();
}

const work = join(homedir(), ".cache", "lance-hashmaps", "bench-compiled");
mkdirSync(work, { recursive: true });
sh(["bash", "scripts/pack.sh", "--binary", addonNode, "--out", join(work, "pack")], root);
writeFileSync(
  join(work, "package.json"),
  JSON.stringify({
    name: "bench-compiled-service",
    private: true,
    dependencies: {
      "@lancedb/lancedb": "0.13.0",
      "apache-arrow": "17.0.0",
      "lance-hashmaps": `file:pack/lance-hashmaps-${version}.tgz`,
      [`lance-hashmaps-${platform}`]: `file:pack/lance-hashmaps-${platform}-${version}.tgz`,
    },
  }),
);
// The tarballs keep their name from build to build: without the lock (which pins the old
// tarball's integrity), npm installs what was just packed.
rmSync(join(work, "package-lock.json"), { force: true });
rmSync(join(work, "node_modules", "lance-hashmaps"), { recursive: true, force: true });
rmSync(join(work, "node_modules", `lance-hashmaps-${platform}`), { recursive: true, force: true });
sh(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], work);
const installed = join(work, "node_modules", `lance-hashmaps-${platform}`, `lance-hashmaps.${platform}.node`);
if (statSync(installed).size !== statSync(addonNode).size)
  throw new Error(`npm installed another binary than ${addonNode}`);

// What both binaries share: the SDK imported (its addon embedded and loaded, as in the service),
// the time of the load step, the peak RSS, a digest of the maps.
const common = `import * as lancedb from "@lancedb/lancedb";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
const [db, name] = process.argv.slice(2);
const hwm = () => Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]) / 1024;
function digest(m) {
  const h = createHash("sha256");
  for (const [k, v] of m.baseHashMap) h.update(k + "\\0" + v + "\\n");
  for (const id of m.existingIds) h.update(id + "\\n");
  for (const [k, ids] of m.existingChunks) h.update(k + "\\0" + ids.join("\\0") + "\\n");
  return h.digest("hex").slice(0, 16);
}
const t0 = performance.now();
const maps = await load();
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, peakMB: hwm(), digest: digest(maps), rows: maps.existingIds.size }));
`;
writeFileSync(
  join(work, "stream.mjs"),
  `${common}
async function load() {
  const table = await (await lancedb.connect(db)).openTable(name);
  const m = { baseHashMap: new Map(), existingIds: new Set(), existingChunks: new Map() };
  for await (const batch of table.query().select(["id", "text_hash"])) {
    const ids = batch.getChild("id");
    const hashes = batch.getChild("text_hash");
    for (let i = 0; i < batch.numRows; i++) {
      const id = ids.get(i);
      const hash = hashes.get(i);
      const at = id.lastIndexOf("#");
      const base = at >= 0 && /^[0-9]+$/.test(id.slice(at + 1)) ? id.slice(0, at) : id;
      m.existingIds.add(id);
      if (!m.baseHashMap.has(base)) m.baseHashMap.set(base, hash);
      let chunks = m.existingChunks.get(base);
      if (!chunks) m.existingChunks.set(base, (chunks = []));
      chunks.push(id);
    }
  }
  return m;
}
`,
);
writeFileSync(
  join(work, "addon.mjs"),
  `${common}
import { buildHashMaps } from "lance-hashmaps";
void lancedb.connect; // the service keeps the SDK for its writes
async function load() {
  return buildHashMaps(db, { tableName: name });
}
`,
);
const binaries: Record<string, string> = {};
for (const path of ["stream", "addon"]) {
  binaries[path] = join(work, `${path}-bin`);
  sh([process.execPath, "build", "--compile", `${path}.mjs`, "--outfile", binaries[path]], work);
}

const db = dirname(tablePath);
const name = basename(tablePath).replace(/\.lance$/, "");
type Run = { ms: number; wallMs: number; peakMB: number; digest: string; rows: number };
const runs: Record<string, { first: Run[]; later: Run[] }> = {
  stream: { first: [], later: [] },
  addon: { first: [], later: [] },
};
const kept = mkdtempSync(join(tmpdir(), "lhm-bun-tmp-"));
for (let r = 0; r < rounds; r++) {
  for (const path of r % 2 ? ["addon", "stream"] : ["stream", "addon"]) {
    const fresh = mkdtempSync(join(tmpdir(), "lhm-bun-tmp-"));
    for (const [kind, tmp] of [
      ["first", fresh],
      ["later", kept],
    ] as const) {
      const t0 = performance.now();
      const out = sh([binaries[path], db, name], "/", { ...process.env, BUN_TMPDIR: tmp, TMPDIR: tmp });
      const wallMs = performance.now() - t0;
      runs[path][kind].push({ ...JSON.parse(out.trim().split("\n").pop()!), wallMs });
    }
    rmSync(fresh, { recursive: true, force: true });
  }
}
rmSync(kept, { recursive: true, force: true });
const result = Object.fromEntries(
  Object.entries(runs).map(([path, { first, later }]) => {
    const all = [...first, ...later];
    return [
      path,
      {
        binaryMB: +(statSync(binaries[path]).size / 1e6).toFixed(1),
        firstMs: +median(first.map((x) => x.ms)).toFixed(0),
        laterMs: +median(later.map((x) => x.ms)).toFixed(0),
        firstProcessMs: +median(first.map((x) => x.wallMs)).toFixed(0),
        laterProcessMs: +median(later.map((x) => x.wallMs)).toFixed(0),
        peakMB: +median(all.map((x) => x.peakMB)).toFixed(0),
        peakRange: [Math.min(...all.map((x) => x.peakMB)), Math.max(...all.map((x) => x.peakMB))].map(
          (x) => +x.toFixed(0),
        ),
        digests: [...new Set(all.map((x) => x.digest))],
        rows: all[0].rows,
      },
    ];
  }),
);
const [st, ad] = [result.stream, result.addon] as any[];
const md = [
  "# Compiled service binaries (`bun build --compile`, 450k rows, SDK 0.13 embedded in both)",
  "",
  `\`bun bench/compiled.ts ${tablePath} ${rounds}\` (npm run bench), the addon's binary ${basename(addonNode)} from ${basename(dirname(addonNode))}/ (${(statSync(addonNode).size / 1e6).toFixed(1)} MB), ${rounds} alternated rounds, each run from /.`,
  "",
  "| binary | size | first run: load / process | later runs: load / process | peak RSS (range) | same maps |",
  "|---|---:|---:|---:|---:|---|",
  ...[
    ["SDK `for await` stream", st],
    ["buildHashMaps", ad],
  ].map(
    ([label, x]) =>
      `| ${label} | ${x.binaryMB} MB | ${x.firstMs} / ${x.firstProcessMs} ms | ${x.laterMs} / ${x.laterProcessMs} ms | ${x.peakMB} MB (${x.peakRange.join("–")}) | ${st.digests.length === 1 && ad.digests.join() === st.digests.join() ? "yes" : "NO"} |`,
  ),
  "",
  `Addon against stream: binary ${(ad.binaryMB - st.binaryMB).toFixed(0)} MB larger, peak RSS ${(ad.peakMB / st.peakMB).toFixed(2)}×, later-run load ${(st.laterMs / ad.laterMs).toFixed(1)}× faster.`,
  "",
];
writeFileSync(join(import.meta.dir, "results-compiled.md"), md.join("\n"));
console.log(
  JSON.stringify({
    addonNodeMB: +(statSync(addonNode).size / 1e6).toFixed(1),
    addonNode: basename(dirname(addonNode)),
    rounds,
    ...result,
  }),
);
