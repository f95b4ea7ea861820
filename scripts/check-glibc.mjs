// Checks that a Linux .node loads wherever @lancedb/lancedb's own binary loads: it needs no glibc
// symbol version newer than the floor (2.17, as napi-rs's templates build), and links nothing but
// the system's C runtime. Reads the ELF dynamic section, symbol table and version needs through
// `readelf` (binutils). Exits 1 listing what is too new or not allowed.
// Usage: node scripts/check-glibc.mjs <file.node> [floor, default 2.17]
import { execFileSync } from "node:child_process";

const [file, floor = "2.17"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/check-glibc.mjs <file.node> [floor]");
  process.exit(2);
}

/** The C runtime's libraries: present on every glibc system, and nothing else may be needed. */
const ALLOWED = /^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libgcc_s\.so\.1|ld-linux-(x86-64|aarch64)\.so\.[12])$/;

const readelf = (...args) => execFileSync("readelf", ["-W", ...args, file], { encoding: "utf8", maxBuffer: 1 << 28 });
const newer = (a, b) => {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  }
  return false;
};

const needed = [...readelf("--dynamic").matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
const notAllowed = needed.filter((lib) => !ALLOWED.test(lib));

// Every symbol the binary takes from glibc, with the version it binds to ("hypot@GLIBC_2.35").
const tooNew = new Map();
for (const m of readelf("--dyn-syms").matchAll(/\sUND\s+(\S+?)@(GLIBC_[0-9.]+)/g)) {
  const version = m[2].slice("GLIBC_".length);
  if (newer(version, floor)) tooNew.set(`${m[1]}@${m[2]}`, version);
}
// The version needs (.gnu.version_r) as well: a version needed by no listed symbol still counts.
for (const m of readelf("--version-info").matchAll(/Name: GLIBC_([0-9.]+)/g)) {
  if (newer(m[1], floor) && ![...tooNew.values()].includes(m[1])) tooNew.set(`(version need) GLIBC_${m[1]}`, m[1]);
}

const problems = [];
if (tooNew.size > 0) {
  const list = [...tooNew.keys()].sort();
  problems.push(`${list.length} glibc symbol versions newer than ${floor}:\n  ${list.join("\n  ")}`);
}
if (notAllowed.length > 0) problems.push(`libraries outside the C runtime: ${notAllowed.join(", ")}`);
if (problems.length > 0) {
  console.error(`${file}: does not load on glibc ${floor}:\n${problems.join("\n")}`);
  process.exit(1);
}
const newest = [...readelf("--version-info").matchAll(/Name: GLIBC_([0-9.]+)/g)]
  .map((m) => m[1])
  .reduce((a, b) => (newer(b, a) ? b : a), "0");
console.log(`${file}: needs glibc ${newest} at most (floor ${floor}); links ${needed.join(", ")}`);
