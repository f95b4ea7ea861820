// What `require("lance-hashmaps")` costs a fresh process (the cold-path issue's third part), for
// each binary given: the everyday release build and the published (dist) build. From the ELF
// headers: size, relocations (each one a write into the binary's RELRO pages at load: a page
// fault per page) and the RELRO size. Then fresh processes, alternating: the first node builtin
// (`node:fs`), the binary alone (`process.dlopen`), and the whole package's `require` with its
// loader pointed at that binary. Medians; ms and minor page faults.
// Usage: bun bench/require.ts [--rounds N] [--out file.md] <name>=<binary.node>...
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { median, runJson, takeFlag } from "./util";

const USAGE = "usage: bun bench/require.ts [--rounds N] [--out file.md] <name>=<binary.node>...";
const args = process.argv.slice(2);
const flag = (name: string) => takeFlag(args, name);
const rounds = Number(flag("--rounds") ?? 9);
const out = flag("--out");
const binaries = args.map((a) => {
  const i = a.indexOf("=");
  if (i < 1) throw new Error(USAGE);
  return { name: a.slice(0, i), path: resolve(a.slice(i + 1)) };
});
if (binaries.length === 0) throw new Error(USAGE);
const here = resolve(import.meta.dir, "..");
const child = join(import.meta.dir, "require-child.ts");

/** Relocation entries (DT_RELASZ / DT_RELAENT) and the RELRO segment's size of a 64-bit little-endian ELF file. */
function elfFacts(path: string): { relocations: number; relroBytes: number } {
  const b = readFileSync(path);
  if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) return { relocations: NaN, relroBytes: NaN };
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  let relroBytes = 0;
  let dyn: [number, number] | undefined;
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    const type = b.readUInt32LE(p);
    if (type === 0x6474e552) relroBytes = Number(b.readBigUInt64LE(p + 0x28)); // PT_GNU_RELRO, p_memsz
    if (type === 2) dyn = [Number(b.readBigUInt64LE(p + 0x08)), Number(b.readBigUInt64LE(p + 0x20))]; // PT_DYNAMIC
  }
  let relaSize = 0;
  let relaEnt = 24;
  if (dyn) {
    for (let o = dyn[0]; o < dyn[0] + dyn[1]; o += 16) {
      const tag = Number(b.readBigInt64LE(o));
      const val = Number(b.readBigUInt64LE(o + 8));
      if (tag === 0) break;
      if (tag === 8) relaSize = val; // DT_RELASZ
      if (tag === 9) relaEnt = val; // DT_RELAENT
    }
  }
  return { relocations: relaSize / relaEnt, relroBytes };
}

interface Child {
  fsMs: number;
  ms: number;
  faults: number;
}
const runs = new Map<string, { dlopen: Child[]; require: Child[] }>();
for (const b of binaries) runs.set(b.name, { dlopen: [], require: [] });
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...binaries].reverse() : binaries;
  for (const b of order) {
    const env = { NAPI_RS_NATIVE_LIBRARY_PATH: b.path };
    runs.get(b.name)!.dlopen.push(runJson<Child>([process.execPath, child, "dlopen", b.path], env));
    runs.get(b.name)!.require.push(runJson<Child>([process.execPath, child, "require", b.path, here], env));
  }
}

const lines: string[] = [];
const say = (s: string) => {
  console.log(s);
  lines.push(s);
};
const mb = (n: number) => (n / 2 ** 20).toFixed(1);
say(
  `# require, split (\`bun bench/require.ts\`), ${process.versions.bun ? `bun ${process.versions.bun}` : `node ${process.version}`}, ${rounds} rounds, medians, ${new Date().toISOString().slice(0, 10)}\n`,
);
say("| binary | size | relocations | RELRO | `node:fs` | dlopen | its faults | whole `require` | its faults |");
say("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const b of binaries) {
  const { relocations, relroBytes } = elfFacts(b.path);
  const { dlopen, require: req } = runs.get(b.name)!;
  const m = (xs: Child[], f: (c: Child) => number) => median(xs.map(f));
  say(
    `| ${b.name} | ${mb(statSync(b.path).size)} MB | ${relocations.toLocaleString("en")} | ${mb(relroBytes)} MB | ${m(dlopen, (c) => c.fsMs).toFixed(1)} ms | ${m(dlopen, (c) => c.ms).toFixed(1)} ms | ${m(dlopen, (c) => c.faults).toFixed(0)} | ${m(req, (c) => c.ms).toFixed(1)} ms | ${m(req, (c) => c.faults).toFixed(0)} |`,
  );
}
say("");
say(
  "The whole `require` is `node:fs` + the binary + the JS layer; what it takes beyond the first two is the JS modules a load needs (the ones it does not need load on first use).",
);
if (out) writeFileSync(out, `${lines.join("\n")}\n`);
