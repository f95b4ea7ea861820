// The package as a user gets it: `npm pack` of the main package and of this platform's
// package, installed into a fresh project with no Rust on PATH, then run from node, from bun and
// from a `bun build --compile` binary of that project.
import { test, expect, afterAll } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { removeDir, serviceRows, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";

const root = join(import.meta.dir, "..");
const { platformName } = require(join(root, "js", "platform-name.js"));
const platform: string = platformName();
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function sh(cmd: string[], cwd: string, env: Record<string, string | undefined> = process.env) {
  const p = Bun.spawnSync(cmd, { cwd, env, stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed (${p.exitCode}): ${p.stderr.toString()}`);
  return p.stdout.toString();
}

/** A fresh project `name` in `work` with these dependencies, installed by npm; its directory. */
function project(work: string, name: string, dependencies: Record<string, string>): string {
  const dir = join(work, name);
  Bun.spawnSync(["mkdir", "-p", dir]);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, dependencies }));
  sh(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], dir);
  return dir;
}

test("npm run pack → a fresh project without Rust → bun, node and a compiled binary; without the platform package, E_NO_BINARY says what to install", async () => {
  const work = tempDir("pack");
  dirs.push(work);
  const version = require(join(root, "package.json")).version;

  // `npm run pack`, as README's "From source" says, with the everyday build (npm run pack builds
  // the dist one; scripts/dist.sh runs this test again with that).
  const binary = process.env.LANCE_HASHMAPS_PACK_BINARY ?? join(root, `lance-hashmaps.${platform}.node`);
  sh(["bash", "scripts/pack.sh", "--binary", binary, "--out", work], root);
  expect(readdirSync(work).sort()).toEqual([
    `lance-hashmaps-${version}.tgz`,
    `lance-hashmaps-${platform}-${version}.tgz`,
  ]);

  // Without the platform package (a package manager skipped the optional dependency): the import
  // says which package to install for which platform, under node and bun alike.
  const bare = project(work, "bare", { "lance-hashmaps": `file:../lance-hashmaps-${version}.tgz` });
  writeFileSync(
    join(bare, "main.cjs"),
    `try { require("lance-hashmaps"); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }\n`,
  );
  for (const runtime of ["node", process.execPath]) {
    const { code, message } = JSON.parse(sh([runtime, "main.cjs"], bare));
    expect(code).toBe("E_NO_BINARY");
    expect(message).toContain(`(${platform})`);
    for (const cmd of ["npm install", "bun add", "pnpm add"]) {
      expect(message).toContain(`${cmd} lance-hashmaps-${platform}@${version}`);
    }
    expect(message).not.toContain("npm/cli/issues/4828");
  }

  const app = project(work, "app", {
    "lance-hashmaps": `file:../lance-hashmaps-${version}.tgz`,
    [`lance-hashmaps-${platform}`]: `file:../lance-hashmaps-${platform}-${version}.tgz`,
  });
  // The main package carries no binary (it comes from the platform package), and only what a user
  // needs: the API, the generated loader, the JS layer, the types and the README.
  const installed = join(app, "node_modules", "lance-hashmaps");
  expect(readdirSync(installed).sort()).toEqual([
    "README.md",
    "index.d.ts",
    "index.js",
    "js",
    "native.d.ts",
    "native.js",
    "package.json",
  ]);
  expect(readdirSync(join(installed, "js")).every((f) => f.endsWith(".js"))).toBe(true);
  // Nothing of the repository's development set-up came along.
  expect(existsSync(join(app, "node_modules", "@lancedb"))).toBe(false);
  expect(existsSync(join(app, "node_modules", "bun"))).toBe(false);
  expect(existsSync(join(app, "node_modules", `lance-hashmaps-${platform}`, `lance-hashmaps.${platform}.node`))).toBe(
    true,
  );

  const db = join(work, "db");
  const rows = serviceRows(1000);
  await latest.write(db, rows);
  const tablePath = join(db, "embeddings.lance");
  writeFileSync(
    join(app, "main.mjs"),
    `import { buildHashMaps } from "lance-hashmaps";
const m = await buildHashMaps(process.argv[2]);
console.log(JSON.stringify({ rows: m.rowCount, found: m.tableFound, hash: m.baseHashMap.get("workspace/node-1-0") }));\n`,
  );
  // No Rust toolchain on PATH: only node's and bun's own directories and the system ones.
  const noRust = {
    ...process.env,
    PATH: [dirname(process.execPath), dirname(Bun.which("node")!), "/usr/bin", "/bin"].join(":"),
  };
  expect(Bun.which("cargo", { PATH: noRust.PATH })).toBeNull();
  expect(Bun.which("rustc", { PATH: noRust.PATH })).toBeNull();
  const want = { rows: rows.length, found: true, hash: rows.find((r) => r.id === "workspace/node-1-0")!.text_hash };

  expect(JSON.parse(sh(["node", "main.mjs", tablePath], app, noRust))).toEqual(want);
  expect(JSON.parse(sh([process.execPath, "main.mjs", tablePath], app, noRust))).toEqual(want);
  sh([process.execPath, "build", "--compile", "main.mjs", "--outfile", "main-bin"], app, noRust);
  expect(JSON.parse(sh([join(app, "main-bin"), tablePath], "/", noRust))).toEqual(want);
}, 300_000);
