// What a service written against Map / Set needs beyond lookups: ES2024 Set methods, bulk copies,
// how the collections print, missing tables that say why, empty maps, and one-sentence errors.
import { describe, test, expect, beforeAll, afterAll } from "bun:test";
import { mkdirSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import { inspect } from "node:util";
import {
  BaseHashMap,
  buildHashMaps,
  emptyHashMaps,
  ExistingChunks,
  ExistingIds,
  LanceHashMapsError,
  planChanges,
} from "../index";
import { referenceMaps, type RefMaps } from "../fixtures/reference";
import { edgeCaseRows, removeDir, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";

let dir: string;
let tablePath: string;
let ref: RefMaps;

beforeAll(async () => {
  dir = tempDir("drop-in");
  ref = await referenceMaps(await latest.write(dir, edgeCaseRows()));
  tablePath = join(dir, "embeddings.lance");
});
afterAll(() => removeDir(dir));

async function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e) => e,
  );
}

describe("existingIds has every Set method, with Set's results", () => {
  const others = (): Iterable<string>[] => [
    [],
    ["doc1#0", "nope", "a"],
    ref.existingIds,
    new Set([...ref.existingIds].slice(0, 3)),
    new Set(["x", "y", ...ref.existingIds]),
  ];
  for (const method of ["union", "intersection", "difference", "symmetricDifference"] as const) {
    test(method, async () => {
      const { existingIds } = await buildHashMaps(tablePath);
      for (const o of others()) {
        const other = new Set(o);
        const ours = (existingIds as any)[method](other);
        const theirs = polyfill[method](new Set(ref.existingIds), other);
        expect(ours).toBeInstanceOf(Set);
        expect([...ours]).toEqual([...theirs]);
      }
    });
  }
  for (const method of ["isSubsetOf", "isSupersetOf", "isDisjointFrom"] as const) {
    test(method, async () => {
      const { existingIds } = await buildHashMaps(tablePath);
      for (const o of others()) {
        const other = new Set(o);
        expect([method, (existingIds as any)[method](other)]).toEqual([
          method,
          polyfill[method](new Set(ref.existingIds), other),
        ]);
      }
    });
  }
  test("intersection walks this set live and difference its copy, as the specification says: a has() that changes it", () => {
    for (const method of ["intersection", "difference"] as const) {
      const { existingIds } = emptyHashMaps();
      const model = new Set<string>();
      for (const id of ["a", "b", "c", "d"]) {
        existingIds.add(id);
        model.add(id);
      }
      // At "a": deletes "c" (not reached yet: skipped) and moves "b" to the end (visited there).
      const otherFor = (set: { delete(v: string): boolean; add(v: string): unknown }) => ({
        size: 10,
        has(v: string) {
          if (v === "a") {
            set.delete("c");
            set.delete("b");
            set.add("b");
          }
          return v !== "d";
        },
        keys: () => [][Symbol.iterator](),
      });
      const ours = [...(existingIds as any)[method](otherFor(existingIds))];
      // The specification's steps when this set is the smaller: intersection walks it live,
      // difference walks the copy it starts from.
      const other = otherFor(model);
      const theirs = method === "intersection" ? new Set<string>() : new Set(model);
      for (const e of method === "intersection" ? model : [...model]) {
        if (!other.has(e)) continue;
        if (method === "intersection") theirs.add(e);
        else theirs.delete(e);
      }
      expect([method, ours]).toEqual([method, [...theirs]]);
      // Bun 1.1's own Set#difference walks the receiver live (against the specification): its
      // result is checked against the specification's steps above, not against that engine.
      const specSetMethods = typeof Bun === "undefined" || Bun.semver.order(Bun.version, "1.2.0") >= 0;
      if (typeof (Set.prototype as any)[method] === "function" && specSetMethods) {
        const engine = new Set(["a", "b", "c", "d"]);
        expect([method, ours]).toEqual([method, [...(engine as any)[method](otherFor(engine))]]);
      }
    }
  });
  test("a set-like argument that is not set-like throws TypeError", async () => {
    const { existingIds } = await buildHashMaps(tablePath);
    for (const bad of [
      null,
      5,
      {},
      { size: NaN, has() {}, keys() {} },
      { size: 1, keys() {} },
      { size: 1, has() {} },
    ]) {
      expect(() => existingIds.union(bad as any)).toThrow(TypeError);
    }
  });
  test("the set-like argument is read as the specification says", async () => {
    const { existingIds } = await buildHashMaps(tablePath);
    expect(() => existingIds.union({ size: -1, has: () => true, keys: () => [][Symbol.iterator]() })).toThrow(
      RangeError,
    );
    expect(() => existingIds.union({ size: 1n as any, has: () => true, keys: () => [][Symbol.iterator]() })).toThrow(
      TypeError,
    );
    // Stopping early closes the other set's iterator, as IteratorClose does.
    let closed = 0;
    const many = new Set(Array.from({ length: 1000 }, (_, i) => `x${i}`));
    const other = {
      size: 1000,
      has: (v: string) => many.has(v),
      keys() {
        const it = many.keys();
        return { next: () => it.next(), return: () => (closed++, { done: true, value: undefined }) };
      },
    };
    expect(existingIds.isSupersetOf(other as any)).toBe(false);
    expect(closed).toBe(0); // the size check answers first (this is smaller)
    const small = {
      size: 2,
      has: () => false,
      keys() {
        const it = ["doc1#0", "zzz"][Symbol.iterator]();
        return { next: () => it.next(), return: () => (closed++, { done: true, value: undefined }) };
      },
    };
    expect(existingIds.isDisjointFrom(small as any)).toBe(false);
    expect(closed).toBe(1);
  });

  test("deleting every id while iterating, and adding while iterating, as a Set does", async () => {
    const { existingIds } = await buildHashMaps(tablePath);
    for (let i = 0; i < 20_000; i++) existingIds.add(`extra-${i}`);
    const model = new Set(existingIds);
    const seen: string[] = [];
    const want: string[] = [];
    for (const [set, out] of [
      [existingIds, seen],
      [model, want],
    ] as const) {
      let n = 0;
      for (const id of set) {
        out.push(id);
        set.delete(id);
        if (n++ % 5000 === 0) set.add(`late-${n}`);
      }
    }
    expect(seen).toEqual(want);
    expect(existingIds.size).toBe(0);
  });

  test("toArray and toSet copy every id in order; the original stays live", async () => {
    const { existingIds } = await buildHashMaps(tablePath);
    expect(existingIds.toArray()).toEqual([...ref.existingIds]);
    existingIds.delete("doc1#0");
    existingIds.add("late");
    const want = [...ref.existingIds].filter((x) => x !== "doc1#0").concat("late");
    expect(existingIds.toArray()).toEqual(want);
    expect([...existingIds.toSet()]).toEqual(want);
    expect(Array.from(existingIds)).toEqual(want);
  });
});

// The ES2024 semantics, written out (Bun may or may not have them natively).
const polyfill = {
  union: (a: Set<string>, b: Set<string>) => new Set([...a, ...b]),
  intersection: (a: Set<string>, b: Set<string>) =>
    a.size <= b.size ? new Set([...a].filter((x) => b.has(x))) : new Set([...b].filter((x) => a.has(x))),
  difference: (a: Set<string>, b: Set<string>) => new Set([...a].filter((x) => !b.has(x))),
  symmetricDifference: (a: Set<string>, b: Set<string>) => {
    const out = new Set(a);
    for (const x of b) a.has(x) ? out.delete(x) : out.add(x);
    return out;
  },
  isSubsetOf: (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x)),
  isSupersetOf: (a: Set<string>, b: Set<string>) => [...b].every((x) => a.has(x)),
  isDisjointFrom: (a: Set<string>, b: Set<string>) => [...a].every((x) => !b.has(x)),
};

describe("how the collections look", () => {
  test("Object.prototype.toString says Map / Set", async () => {
    const m = await buildHashMaps(tablePath);
    expect(Object.prototype.toString.call(m.baseHashMap)).toBe("[object Map]");
    expect(Object.prototype.toString.call(m.existingChunks)).toBe("[object Map]");
    expect(Object.prototype.toString.call(m.existingIds)).toBe("[object Set]");
  });

  test("util.inspect and Bun.inspect show size and first entries, like a Map / Set", async () => {
    const m = await buildHashMaps(tablePath);
    for (const show of [(v: unknown) => inspect(v), (v: unknown) => Bun.inspect(v)]) {
      const base = show(m.baseHashMap);
      expect(base.startsWith(`Map(${ref.baseHashMap.size}) {`)).toBe(true);
      expect(base).toContain(`'doc1' => null`.replace(/'/g, base.includes("'doc1'") ? "'" : '"'));
      expect(show(m.existingIds).startsWith(`Set(${ref.existingIds.size}) {`)).toBe(true);
      expect(show(m.existingChunks)).toContain("doc1#2");
      expect(show(emptyHashMaps().existingIds)).toBe("Set(0) {}");
    }
    // Long collections are cut, not walked whole.
    const many = Array.from({ length: 300 }, (_, i) => `m${i}`);
    const big = emptyHashMaps().existingIds;
    for (const id of many) big.add(id);
    expect(inspect(big)).toContain("... 200 more items");
  });

  test("the classes cannot be constructed by users", () => {
    for (const C of [BaseHashMap, ExistingChunks, ExistingIds] as any[]) {
      expect(() => new C()).toThrow(TypeError);
    }
  });
});

describe("a missing table is empty maps, an error on request, and says why when it looks like a mistake", () => {
  test("ifMissing: 'empty' (the default) and 'error'", async () => {
    const missing = join(dir, "nope.lance");
    const empty = await buildHashMaps(missing);
    expect([empty.tableFound, empty.rowCount, empty.baseHashMap.size]).toEqual([false, 0, 0]);
    const e = await rejection(buildHashMaps(missing, { ifMissing: "error" }));
    expect(e).toBeInstanceOf(LanceHashMapsError);
    expect(e.code).toBe("E_NO_TABLE");
    expect(e.message).toContain(missing);
    expect((await rejection(buildHashMaps(missing, { ifMissing: "maybe" as any }))).code).toBe("E_ARG");
  });

  test("hints: a tableName with .lance, a ~name path, a missing directory, a relative path, a database that holds other tables", async () => {
    const withSuffix = await buildHashMaps(dir, { tableName: "embeddings.lance" });
    expect(withSuffix.tableFound).toBe(false);
    expect(withSuffix.warning).toContain('"embeddings"');
    // `~/` is the home directory (as for the SDK, __test__/paths.test.ts); `~name` is not.
    const tilde = await buildHashMaps("~/lhm-no-such-db/embeddings.lance");
    expect(tilde.warning).toBe(`the directory ${join(homedir(), "lhm-no-such-db")} does not exist`);
    const tildeName = await buildHashMaps("~lhm/db/embeddings.lance");
    expect(tildeName.warning).toContain('"~lhm" is a directory of that name in the working directory');
    // A relative path: the absolute path looked at and the working directory.
    const cwd = realpathSync(process.cwd());
    const rel = await buildHashMaps("lhm-no-such-db", { tableName: "embeddings" });
    expect(rel.warning).toContain(`nothing at ${join(cwd, "lhm-no-such-db", "embeddings.lance")}`);
    expect(rel.warning).toContain(`from the working directory, ${cwd}`);
    expect(rel.warning).toContain(`the directory ${join(cwd, "lhm-no-such-db")} does not exist`);
    const e0 = await rejection(buildHashMaps("lhm-no-such-db", { tableName: "embeddings", ifMissing: "error" }));
    expect([e0.code, e0.message.includes(cwd)]).toEqual(["E_NO_TABLE", true]);
    const typo = await buildHashMaps(join(dir, "embedings.lance"));
    expect(typo.warning).toContain('"embeddings"');
    const other = await buildHashMaps(dir, { tableName: "docs" });
    expect(other.warning).toContain('"embeddings"');
    const e = await rejection(buildHashMaps(dir, { tableName: "docs", ifMissing: "error" }));
    expect([e.code, e.message.includes('"embeddings"')]).toEqual(["E_NO_TABLE", true]);
    // Nothing looks wrong: no warning.
    const empty = join(dir, "empty-db");
    mkdirSync(empty, { recursive: true });
    expect((await buildHashMaps(join(empty, "t.lance"))).warning).toBeNull();
    expect((await buildHashMaps(tablePath)).warning).toBeNull();
  });
});

describe("emptyHashMaps", () => {
  test("empty collections that planChanges accepts", async () => {
    const maps = emptyHashMaps();
    expect([maps.tableFound, maps.rowCount, maps.version, maps.baseHashMap.size, maps.existingIds.size]).toEqual([
      false,
      0,
      null,
      0,
      0,
    ]);
    const plan = await planChanges(
      maps,
      [
        { id: "a#1", text: "x" },
        { id: "b", text: "y" },
      ],
      { forceAll: true },
    );
    expect([plan.toEmbed, plan.skipped, plan.idsToDelete]).toEqual([[0, 1], 0, []]);
    maps.existingIds.add("a#1");
    expect([...maps.existingIds]).toEqual(["a#1"]);
    expect(emptyHashMaps().existingIds.size).toBe(0);
  });
});

describe("error messages: the cause once, the path once as given", () => {
  test("a missing version", async () => {
    const e = await rejection(buildHashMaps(tablePath, { version: 99 }));
    expect(e.code).toBe("E_VERSION");
    expect(e.message.split(tablePath).length - 1).toBe(1);
    expect(e.message).not.toContain(`${tablePath.slice(1)}/`);
    expect(e.message).toContain("99");
  });

  test("a missing column, through a relative path: named as given", async () => {
    const rel = relative(process.cwd(), tablePath);
    const e = await rejection(buildHashMaps(rel, { idColumn: "nope" }));
    expect(e.code).toBe("E_SCHEMA");
    const [named, ...cause] = e.message.split(": ");
    expect(named).toBe(rel);
    expect(cause.join(": ")).not.toContain("lhm-drop-in");
  });

  test("every code's message names the table once", async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => buildHashMaps(tablePath, { version: 99 }), "E_VERSION"],
      [() => buildHashMaps(tablePath, { hashColumn: "vector" }), "E_SCHEMA"],
      [() => buildHashMaps(dir), "E_NOT_A_TABLE"],
      [() => buildHashMaps(tablePath, { signal: AbortSignal.abort() }), "E_ABORTED"],
      [() => buildHashMaps(join(dir, "x.lance"), { ifMissing: "error" }), "E_NO_TABLE"],
    ];
    for (const [call, code] of cases) {
      const e = await rejection(call());
      expect(e.code).toBe(code);
      const named = e.message.split(dir).length - 1;
      expect([code, named]).toEqual([code, 1]);
    }
  });
});
