// Bad input: every failure rejects with an Error carrying a stable code; nothing is written.
import { describe, test, expect, afterEach } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { buildHashMaps, emptyHashMaps, planChanges } from "../index";
import { removeDir, serviceRows, tempDir, treeDigest } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";
import { v013 } from "../fixtures/writers/lancedb-0.13/writer";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) removeDir(dirs.pop()!);
});
function dir(tag: string) {
  const d = tempDir(tag);
  dirs.push(d);
  return d;
}

/** The rejection of `p` (failing the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error & { code: string }> {
  const r = await p.then(
    () => undefined,
    (e) => e,
  );
  if (!r) throw new Error("expected a rejection, but the promise resolved");
  expect(r).toBeInstanceOf(Error);
  return r;
}

async function expectCode(p: Promise<unknown>, code: string, mentions?: string) {
  const e = await rejection(p);
  expect({ code: e.code, message: e.message }).toMatchObject({ code });
  if (mentions) expect(e.message).toContain(mentions);
  return e;
}

describe("arguments", () => {
  test("a table path that is not a non-empty string rejects with E_ARG", async () => {
    const call = buildHashMaps as (...a: unknown[]) => Promise<unknown>;
    for (const args of [[], [undefined], [null], [42], [{}], [""], [["a"]], ["a\0b"]]) {
      await expectCode(call(...args), "E_ARG");
    }
  });

  test("bad options reject with E_ARG", async () => {
    const d = dir("args");
    const call = buildHashMaps as (...a: unknown[]) => Promise<unknown>;
    for (const opts of [
      5,
      "x",
      { tableName: 5 },
      { tableName: "../escape" },
      { tableName: "" },
      { idColumn: 1 },
      { idColumn: "" },
      { hashColumn: false },
      { version: 1.5 },
      { version: -1 },
      { version: "3" },
      { batchSize: 0 },
    ]) {
      await expectCode(call(d, opts), "E_ARG");
    }
  });

  test("URI schemes this build does not read (no request is made)", async () => {
    for (const uri of ["gs://bucket/db/embeddings.lance", "hf://x/y", "oss://b/t.lance", "http://127.0.0.1:9/t"]) {
      const scheme = uri.slice(0, uri.indexOf("://") + 3);
      await expectCode(buildHashMaps(uri), "E_UNSUPPORTED", scheme);
    }
    // Object-store URIs are checked before any request: no bucket, a query string.
    await expectCode(buildHashMaps("s3:///t.lance"), "E_ARG");
    await expectCode(buildHashMaps("az://container/t.lance?sig=secret"), "E_ARG");
  });

  test("a URI that lost a slash of its // (path.join) says to pass the database URI with tableName", async () => {
    for (const uri of [
      join("s3://bucket/db", "embeddings.lance"),
      "az:/container/db/embeddings.lance",
      "S3:/b/t.lance",
    ]) {
      const e = await expectCode(buildHashMaps(uri), "E_ARG", "tableName");
      expect(e.message).toContain("lost a slash");
    }
  });

  test("the option keys checked are exactly those index.d.ts declares", () => {
    const { BUILD_OPTIONS } = require("../js/options.js");
    const { PLAN_OPTIONS } = require("../js/plan-changes.js");
    const dts = readFileSync(join(import.meta.dir, "..", "index.d.ts"), "utf8");
    const declared = (name: string) =>
      [
        ...dts
          .slice(dts.indexOf(`export interface ${name} {`))
          .split("\n}")[0]
          .matchAll(/^ {2}(\w+)\?:/gm),
      ]
        .map((m) => m[1])
        .sort();
    expect(declared("BuildHashMapsOptions")).toEqual([...BUILD_OPTIONS].sort());
    expect(declared("PlanOptions")).toEqual([...PLAN_OPTIONS].sort());
  });

  test("an unknown option key rejects with E_ARG naming it and the key it resembles", async () => {
    const d = dir("keys");
    const call = buildHashMaps as (...a: unknown[]) => Promise<unknown>;
    await expectCode(call(d, { ifmissing: "error" }), "E_ARG", '"ifmissing": did you mean ifMissing?');
    await expectCode(call(d, { tablename: "t" }), "E_ARG", "did you mean tableName?");
    await expectCode(call(d, { storage: {} }), "E_ARG", "did you mean storageOptions?");
    await expectCode(call(d, { zzz: 1 }), "E_ARG", "its options are tableName,");
    const plan = planChanges as (...a: unknown[]) => Promise<unknown>;
    const maps = emptyHashMaps();
    await expectCode(plan(maps, [], { forceall: true }), "E_ARG", '"forceall": did you mean forceAll?');
    await expectCode(plan(maps, [], { removeFromExistingId: false }), "E_ARG", "did you mean removeFromExistingIds?");
    // Known keys, undefined values and symbol keys are fine.
    expect(
      (await buildHashMaps(join(d, "t.lance"), { ifMissing: "empty", tableName: undefined, [Symbol("x")]: 1 } as any))
        .tableFound,
    ).toBe(false);
    expect((await planChanges(maps, [], { forceAll: false, removeFromExistingIds: true })).toEmbed).toEqual([]);
  });
});

describe("paths that are not tables", () => {
  test("a regular file", async () => {
    const d = dir("file");
    const f = join(d, "embeddings.lance");
    writeFileSync(f, "not a table");
    await expectCode(buildHashMaps(f), "E_NOT_A_TABLE", f);
    await expectCode(buildHashMaps(`${d}/embeddings.lance/`, {}), "E_NOT_A_TABLE");
  });

  test("an empty directory and a directory of other data", async () => {
    const d = dir("empty");
    await expectCode(buildHashMaps(d), "E_NOT_A_TABLE", d);
    writeFileSync(join(d, "data.json"), "{}");
    mkdirSync(join(d, "sub"));
    await expectCode(buildHashMaps(d), "E_NOT_A_TABLE", d);
    expect(readdirSync(d).sort()).toEqual(["data.json", "sub"]);
  });

  test("a database directory without tableName says how to fix it", async () => {
    const d = dir("db");
    await latest.write(d, serviceRows(5));
    const e = await expectCode(buildHashMaps(d), "E_NOT_A_TABLE");
    expect(e.message).toContain("tableName");
    expect(e.message).toContain("embeddings");
  });
});

describe("schema", () => {
  test("a missing text_hash or id column", async () => {
    const d = dir("schema");
    const db = await latest.lancedb.connect(d);
    await db.createTable("nohash", [{ id: "a", vector: [1, 2] }]);
    await db.createTable("noid", [{ text_hash: "a", vector: [1, 2] }]);
    await expectCode(buildHashMaps(join(d, "nohash.lance")), "E_SCHEMA", "text_hash");
    await expectCode(buildHashMaps(d, { tableName: "noid" }), "E_SCHEMA", '"id"');
    await expectCode(buildHashMaps(join(d, "nohash.lance"), { hashColumn: "nope" }), "E_SCHEMA", "nope");
  });

  test("id or text_hash of a non-string type", async () => {
    const d = dir("types");
    const db = await latest.lancedb.connect(d);
    await db.createTable("intid", [{ id: 1, text_hash: "h", vector: [1, 2] }]);
    await db.createTable("inthash", [{ id: "a", text_hash: 7, vector: [1, 2] }]);
    await expectCode(buildHashMaps(join(d, "intid.lance")), "E_SCHEMA", "id");
    await expectCode(buildHashMaps(join(d, "inthash.lance")), "E_SCHEMA", "text_hash");
  });

  test("a null id rejects with E_NULL_ID, for both SDK lines", async () => {
    for (const w of [v013, latest]) {
      const d = dir("nullid");
      await w.write(d, [
        { id: "a", text_hash: "h" },
        { id: null, text_hash: "h2" },
      ]);
      const e = await expectCode(buildHashMaps(join(d, "embeddings.lance")), "E_NULL_ID", "row 1");
      // The builder's error names the table directory, like the scan's own errors.
      expect(e.message).toContain(join(d, "embeddings.lance"));
    }
  });
});

describe("versions", () => {
  test("options.version reads an older version; a missing one rejects with E_VERSION", async () => {
    const d = dir("version");
    const rows = serviceRows(50);
    const table = await latest.write(d, rows);
    const v1 = await table.version();
    await table.delete("true");
    const p = join(d, "embeddings.lance");
    expect((await buildHashMaps(p)).rowCount).toBe(0);
    const old = await buildHashMaps(p, { version: v1 });
    expect(old.rowCount).toBe(rows.length);
    expect(old.version).toBe(v1);
    await expectCode(buildHashMaps(p, { version: 999 }), "E_VERSION", p);
  });
});

// Codes come from lance's error variants and the OS error kind, never from the message text: the
// same damage gives the same code under directories named like the words a text match would see.
for (const parent of ["", "versioned", "unsupported", "corrupt", "not found", "permission denied"]) {
  describe(`corruption${parent ? ` (under a directory named "${parent}")` : ""}`, () => {
    async function damagedTable(tag: string) {
      const d = parent ? join(dir(tag), parent) : dir(tag);
      const table = await latest.write(d, serviceRows(2000), { fragmentRows: 500 });
      await table.delete("id LIKE '%7'");
      const p = join(d, "embeddings.lance");
      const dataFiles = readdirSync(join(p, "data")).map((f) => join(p, "data", f));
      return { p, dataFiles, table };
    }

    test("a truncated data file", async () => {
      const { p, dataFiles } = await damagedTable("trunc");
      truncateSync(dataFiles[1], Math.floor(statSync(dataFiles[1]).size / 2));
      const e = await expectCode(buildHashMaps(p), "E_CORRUPT", p);
      expect(e.message).toContain(basename(dataFiles[1]));
    });

    test("a deleted data file", async () => {
      const { p, dataFiles } = await damagedTable("deleted");
      rmSync(dataFiles[2]);
      const e = await expectCode(buildHashMaps(p), "E_CORRUPT", p);
      expect(e.message).toContain(basename(dataFiles[2]));
    });

    test("a garbage manifest", async () => {
      const { p } = await damagedTable("manifest");
      const versions = join(p, "_versions");
      const names = readdirSync(versions);
      for (const f of names) writeFileSync(join(versions, f), "garbage".repeat(100));
      const e = await expectCode(buildHashMaps(p), "E_CORRUPT", p);
      expect(e.message).toContain(`_versions/${names.sort().at(-1)}`);
    });

    test("a damaged deletion file, and a missing one", async () => {
      const { p } = await damagedTable("deletion");
      const del = join(p, "_deletions");
      const names = readdirSync(del);
      for (const f of names) writeFileSync(join(del, f), "garbage");
      const e = await expectCode(buildHashMaps(p), "E_CORRUPT", p);
      expect(names.some((n) => e.message.includes(`_deletions/${n}`))).toBe(true);
      for (const f of names) rmSync(join(del, f));
      await expectCode(buildHashMaps(p), "E_CORRUPT", p);
    });

    test("a version that does not exist", async () => {
      const { p, table } = await damagedTable("version");
      await expectCode(buildHashMaps(p, { version: (await table.version()) + 5 }), "E_VERSION", p);
    });
  });
}

test("the table is only read: every file is unchanged after good and bad calls", async () => {
  const d = dir("readonly");
  await latest.write(d, serviceRows(300), { fragmentRows: 100 });
  const p = join(d, "embeddings.lance");
  const before = treeDigest(d);
  await buildHashMaps(p);
  await buildHashMaps(d, { tableName: "embeddings" });
  await buildHashMaps(p, { version: 1 });
  await rejection(buildHashMaps(p, { hashColumn: "nope" }));
  await rejection(buildHashMaps(p, { version: 99 }));
  await buildHashMaps(d, { tableName: "other" });
  await rejection(buildHashMaps(p, { signal: AbortSignal.abort() }));
  await buildHashMaps(p, { onProgress: () => {}, progressEvery: 10, batchSize: 50 });
  await rejection(
    buildHashMaps(p, {
      onProgress: () => {
        throw new Error("x");
      },
      progressEvery: 10,
      batchSize: 50,
    }),
  );
  await planChanges(await buildHashMaps(p), [{ id: "workspace/node-1-0", text: "changed" }]);
  expect(treeDigest(d)).toBe(before);
});

describe("the codes are written once, in Rust", () => {
  test("index.d.ts lists exactly the addon's codes (errorCodes()) and the JS layer's own", () => {
    const native = require("../native.js");
    const { JS_CODES } = require("../js/errors.js");
    const dts = readFileSync(join(import.meta.dir, "..", "index.d.ts"), "utf8");
    // The union runs to the first member that ends the statement (`| "E_…";`).
    const union = /export type ErrorCode =([\s\S]*?"E_[A-Z_]+";)/.exec(dts)?.[1] ?? "";
    const declared = [...union.matchAll(/\| "(E_[A-Z_]+)"/g)].map((m) => m[1]).sort();
    expect(declared).toEqual([...native.errorCodes(), ...JS_CODES].sort());
    expect(new Set(declared).size).toBe(declared.length);
  });

  test("an addon error reaches JS with its code as `code`, the message as written", async () => {
    const native = require("../native.js");
    const d = dir("codes");
    await latest.write(d, serviceRows(3));
    const rejected: any = await native
      .loadMaps(
        {
          path: join(d, "embeddings.lance"),
          idColumn: "nope",
          hashColumn: "text_hash",
          batchSize: 1024,
          progressEvery: 1,
          waitTimeoutMs: 1000,
        },
        new native.AbortFlag(),
      )
      .then(
        () => null,
        (x: unknown) => x,
      );
    expect(rejected).toBeInstanceOf(Error);
    expect(rejected.code).toBe("E_SCHEMA");
    expect(rejected.message.startsWith("E_")).toBe(false);
  });
});
