// One `require` in this fresh process, split the way a cold load pays for it. Prints a JSON line.
//   dlopen <binary>: the first node builtin (`node:fs`, which the generated loader needs), then the
//     binary alone through `process.dlopen`: the dynamic loader's relocations and page faults and
//     the module's registration.
//   require <binary> <checkout>: the whole package, `require(<checkout>/index.js)`, its loader
//     pointed at <binary> (NAPI_RS_NATIVE_LIBRARY_PATH, set by bench/require.ts).
// Usage: bun bench/require-child.ts <dlopen|require> <binary> [checkout]
const [mode, binary, checkout] = process.argv.slice(2);
const faults = () => process.resourceUsage().minorPageFault;

const t0 = performance.now();
let fsMs = 0;
if (mode === "dlopen") {
  require("node:fs");
  fsMs = performance.now() - t0;
}
const t1 = performance.now();
const f1 = faults();
if (mode === "dlopen") {
  process.dlopen({ exports: {} } as NodeModule, binary);
} else {
  require(`${checkout}/index.js`);
}
const t2 = performance.now();
console.log(JSON.stringify({ fsMs, ms: t2 - t1, faults: faults() - f1 }));
export {};
