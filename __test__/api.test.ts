// The Map / Set behaviour of the returned objects, checked against real JS Maps and Sets.
import { describe, test, expect, beforeAll, afterAll } from "bun:test";
import { join } from "node:path";
import { buildHashMaps, emptyHashMaps, type HashMaps } from "../index";
import { referenceMaps, type RefMaps } from "../fixtures/reference";
import { edgeCaseRows, fakeHash, removeDir, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";

let dir: string;
let tablePath: string;
let ref: RefMaps;

beforeAll(async () => {
  dir = tempDir("api");
  const table = await latest.write(dir, edgeCaseRows());
  tablePath = join(dir, "embeddings.lance");
  ref = await referenceMaps(table);
});
afterAll(() => removeDir(dir));

const load = (): Promise<HashMaps> => buildHashMaps(tablePath);

/** What an iterator has left after a `for … of` that breaks at its second value and a
 * destructuring of one value (each calls `return()` if there is one), and whether it has one. */
function leftAfterBreaks(it: IterableIterator<unknown>): unknown[] {
  let i = 0;
  for (const _ of it) if (i++ === 1) break;
  const [_first] = it;
  return ["return" in it, ...it];
}

describe("baseHashMap and existingChunks behave like read-only Maps", () => {
  test("get/has on absent and non-string keys", async () => {
    const { baseHashMap, existingChunks } = await load();
    for (const k of [undefined, null, 1, {}, Symbol("s"), "zzz"] as any[]) {
      expect(baseHashMap.get(k)).toBeUndefined();
      expect(baseHashMap.has(k)).toBe(false);
      expect(existingChunks.get(k)).toBeUndefined();
      expect(existingChunks.has(k)).toBe(false);
    }
  });

  test("forEach passes (value, key, map) with thisArg, in order", async () => {
    const { baseHashMap, existingChunks } = await load();
    const seen: unknown[] = [];
    const ctx = { tag: 1 };
    baseHashMap.forEach(function (this: any, v, k, m) {
      seen.push([k, v, m === baseHashMap, this === ctx]);
    }, ctx);
    expect(seen).toEqual([...ref.baseHashMap].map(([k, v]) => [k, v, true, true]));
    const chunks: unknown[] = [];
    existingChunks.forEach((v, k, m) => chunks.push([k, v, m === existingChunks]));
    expect(chunks).toEqual([...ref.existingChunks].map(([k, v]) => [k, v, true]));
  });

  test("a throwing forEach callback throws to the caller", async () => {
    const { baseHashMap } = await load();
    expect(() =>
      baseHashMap.forEach(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
  });

  test("iterators are independent, iterable, and end for good", async () => {
    const { baseHashMap } = await load();
    const a = baseHashMap.keys();
    const b = baseHashMap.keys();
    expect(a.next().value).toBe([...ref.baseHashMap.keys()][0]);
    expect([...b]).toEqual([...ref.baseHashMap.keys()]);
    expect(a[Symbol.iterator]()).toBe(a);
    const rest = [...a];
    expect(rest).toEqual([...ref.baseHashMap.keys()].slice(1));
    expect(a.next()).toEqual({ value: undefined, done: true });
    // As a Map's iterators, they have no return(): a `break` or a destructuring leaves them where
    // they were, and they go on later.
    expect(leftAfterBreaks(baseHashMap.entries())).toEqual(leftAfterBreaks(ref.baseHashMap.entries()));
    expect(leftAfterBreaks(baseHashMap.keys())).toEqual(leftAfterBreaks(ref.baseHashMap.keys()));
    // Like a Map's iterators: "[object Map Iterator]", and on %IteratorPrototype% (iterator helpers).
    const tag = (x: unknown) => Object.prototype.toString.call(x);
    const iteratorPrototype = (x: object) => Object.getPrototypeOf(Object.getPrototypeOf(x));
    for (const it of [baseHashMap.keys(), baseHashMap.values(), baseHashMap.entries()]) {
      expect(tag(it)).toBe(tag(ref.baseHashMap.keys()));
      expect(iteratorPrototype(it)).toBe(iteratorPrototype(ref.baseHashMap.keys()));
    }
  });

  test("toMap() and toSet() give plain JS collections in the same order", async () => {
    const { baseHashMap, existingIds, existingChunks } = await load();
    const m = baseHashMap.toMap();
    expect(m).toBeInstanceOf(Map);
    expect([...m]).toEqual([...ref.baseHashMap]);
    expect([...existingChunks.toMap()]).toEqual([...ref.existingChunks]);
    const s = existingIds.toSet();
    expect(s).toBeInstanceOf(Set);
    expect([...s]).toEqual([...ref.existingIds]);
  });

  test("an id that is its own base comes back in its list, however the list mixes it with chunks", async () => {
    // A page sends such an id as a marker, not as text: ids around it must keep their offsets.
    const sub = tempDir("api-own-base");
    try {
      const rows = ["a#1", "a", "a", "a#2", "", "#5", "b", "b#0", "b", "c#7", "ü", "ü#1"].map((id) => ({
        id,
        text_hash: fakeHash(id),
      }));
      const table = await latest.write(sub, rows);
      const want = await referenceMaps(table);
      const maps = await buildHashMaps(join(sub, "embeddings.lance"));
      expect([...maps.existingChunks]).toEqual([...want.existingChunks]);
      expect(maps.existingChunks.get("a")).toEqual(["a#1", "a", "a", "a#2"]);
      expect(maps.existingChunks.get("")).toEqual(["", "#5"]);
    } finally {
      removeDir(sub);
    }
  });

  test("get on existingChunks returns a fresh array each time", async () => {
    const { existingChunks } = await load();
    const first = existingChunks.get("doc1")!;
    first.push("changed");
    expect(existingChunks.get("doc1")).toEqual(["doc1#0", "doc1#1", "doc1#2"]);
  });
});

describe("lookups agree with the reference on every kind of key", () => {
  // Hits and misses, long keys, U+FFFD and other characters whose UTF-8 starts with 0xEF (read
  // again to look for lone surrogates), lone surrogates, and values that are not strings.
  const tricky = (): unknown[] => [
    ...ref.baseHashMap.keys(),
    ...ref.existingIds,
    ...[...ref.existingIds].map((id) => `${id}!`),
    "x".repeat(254),
    "x".repeat(255),
    `long-${"x".repeat(10_000)}`,
    `long-${"x".repeat(9_999)}`,
    "rep\uFFFD",
    "rep\uFFFD#1",
    "rep\uD800",
    "rep\uDC00#1",
    "\uF000",
    "ünïcödé/文書/😀",
    undefined,
    null,
    7,
    {},
    Symbol("s"),
  ];

  test("get / has / delete, through the instance and through the prototype", async () => {
    const maps = await load();
    const viaProto = await load();
    const model = new Set(ref.existingIds);
    const proto = (obj: keyof HashMaps, name: string, k: unknown) =>
      Object.getPrototypeOf(viaProto[obj])[name].call(viaProto[obj], k);
    for (const k of tricky()) {
      const key = k as string;
      expect(maps.baseHashMap.get(key)).toBe(ref.baseHashMap.get(key));
      expect(proto("baseHashMap", "get", k)).toBe(ref.baseHashMap.get(key));
      expect(maps.baseHashMap.has(key)).toBe(ref.baseHashMap.has(key));
      expect(maps.existingChunks.get(key)).toEqual(ref.existingChunks.get(key));
      expect(proto("existingChunks", "get", k)).toEqual(ref.existingChunks.get(key));
      expect(maps.existingChunks.has(key)).toBe(ref.existingChunks.has(key));
      expect(maps.existingIds.has(key)).toBe(model.has(key));
      expect(proto("existingIds", "has", k)).toBe(model.has(key));
    }
    // delete, twice each: the first removes, the second finds nothing (the model says the same).
    for (const k of [...tricky(), ...tricky()]) {
      const expected = model.delete(k as string);
      expect(maps.existingIds.delete(k as string)).toBe(expected);
      expect(proto("existingIds", "delete", k)).toBe(expected);
    }
    expect(maps.existingIds.size).toBe(0);
    expect(viaProto.existingIds.size).toBe(0);
    // Called without an argument, like Map#get() and Set#has().
    expect((maps.baseHashMap as any).get()).toBeUndefined();
    expect((maps.existingChunks as any).get()).toBeUndefined();
    expect((maps.existingIds as any).has()).toBe(false);
    expect((maps.existingIds as any).delete()).toBe(false);
  });

  test("the methods live on the prototype, the objects have no own enumerable keys", async () => {
    const maps = await load();
    for (const obj of ["baseHashMap", "existingChunks", "existingIds"] as const) {
      expect(Object.keys(maps[obj])).toEqual([]);
      expect(Object.hasOwn(maps[obj], "get")).toBe(false);
      expect(Object.hasOwn(maps[obj], "has")).toBe(false);
    }
    const other = (await load()).baseHashMap;
    (other as any).get = () => "patched";
    expect(other.get("doc1")).toBe("patched");
  });
});

describe("existingIds behaves like a JS Set", () => {
  test("a random walk of add / delete / has / clear agrees with a Set", async () => {
    const { existingIds } = await load();
    const model = new Set(ref.existingIds);
    const pool = [...ref.existingIds, "new-1", "new-2", "doc1", "doc1#9", "ü#1"];
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    for (let step = 0; step < 3000; step++) {
      const v = pool[rnd(pool.length)];
      const op = rnd(20);
      if (op < 8) expect(existingIds.delete(v)).toBe(model.delete(v));
      else if (op < 16) expect(existingIds.add(v)).toBe(existingIds), model.add(v);
      else if (op < 19) expect(existingIds.has(v)).toBe(model.has(v));
      else if (step % 500 === 0) existingIds.clear(), model.clear();
      expect(existingIds.size).toBe(model.size);
    }
    expect([...existingIds]).toEqual([...model]);
    expect([...existingIds.keys()]).toEqual([...model.keys()]);
    expect([...existingIds.entries()]).toEqual([...model.entries()]);
  });

  test("iteration is live, exactly like a Set's", async () => {
    const { existingIds } = await load();
    const model = new Set(ref.existingIds);
    const ours: string[] = [];
    const theirs: string[] = [];
    const ids = [...model];
    for (const [set, out] of [
      [existingIds, ours],
      [model, theirs],
    ] as const) {
      let i = 0;
      for (const id of set) {
        out.push(id);
        if (i === 1) set.delete(ids[3]); // not reached yet: skipped
        if (i === 2) set.delete(ids[0]), set.add(ids[0]); // moved to the end: visited again
        if (i === 4) set.add("added-during-iteration");
        i++;
      }
    }
    expect(ours).toEqual(theirs);
    const f1: unknown[] = [];
    const f2: unknown[] = [];
    existingIds.forEach((v, v2, s) => f1.push([v, v2, s === existingIds]));
    model.forEach((v, v2) => f2.push([v, v2, true]));
    expect(f1).toEqual(f2);
  });

  test("its iterators behave as a Set's: independent, no return(), '[object Set Iterator]'", async () => {
    const { existingIds } = await load();
    const ids = [...ref.existingIds];
    const a = existingIds.values();
    const b = existingIds.keys();
    expect(a.next().value).toBe(ids[0]);
    expect([...b]).toEqual(ids);
    expect(a[Symbol.iterator]()).toBe(a);
    expect([...a]).toEqual(ids.slice(1));
    expect(a.next()).toEqual({ value: undefined, done: true });
    expect([...existingIds.entries()]).toEqual([...ref.existingIds.entries()]);
    // No return(), as a Set's iterators: a `break` or a destructuring leaves them where they were.
    expect(leftAfterBreaks(existingIds.values())).toEqual(leftAfterBreaks(ref.existingIds.values()));
    expect(leftAfterBreaks(existingIds.entries())).toEqual(leftAfterBreaks(ref.existingIds.entries()));
    const tag = (x: unknown) => Object.prototype.toString.call(x);
    const iteratorPrototype = (x: object) => Object.getPrototypeOf(Object.getPrototypeOf(x));
    for (const it of [
      existingIds.keys(),
      existingIds.values(),
      existingIds.entries(),
      existingIds[Symbol.iterator](),
    ]) {
      expect(tag(it)).toBe(tag(ref.existingIds.keys()));
      expect(iteratorPrototype(it)).toBe(iteratorPrototype(ref.existingIds.keys()));
    }
  });

  test("live iteration over many pages with random changes on the way: the same ids as a Set's", () => {
    // 30,000 ids (several pages of the walk); while walking, each step may delete an id ahead or
    // behind, delete and re-add one (it moves to the end), add a new one, or clear the set.
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let run = 0; run < 6; run++) {
      const { existingIds } = emptyHashMaps();
      const model = new Set<string>();
      for (let i = 0; i < 30_000; i++) {
        existingIds.add(`id-${i}`);
        model.add(`id-${i}`);
      }
      // The same changes at the same steps of both walks.
      const ops: { op: string; id: string }[] = [];
      for (let i = 0; i < 40_000; i++) {
        const k = rnd(1000);
        const op = k < 5 ? "delete" : k < 8 ? "move" : k < 10 ? "add" : run === 5 && i === 20_000 ? "clear" : "none";
        ops.push({ op, id: `id-${rnd(31_000)}` });
      }
      const seen: [string[], string[]] = [[], []];
      for (const [which, set] of [
        [0, existingIds],
        [1, model],
      ] as const) {
        let i = 0;
        for (const id of set as Iterable<string>) {
          seen[which].push(id);
          const { op, id: other } = ops[i++] ?? { op: "none", id: "" };
          if (op === "delete") set.delete(other);
          else if (op === "move") set.delete(other) && set.add(other);
          else if (op === "add") set.add(`new-${i}`);
          else if (op === "clear") set.clear();
        }
      }
      expect(seen[0]).toEqual(seen[1]);
      expect([...existingIds]).toEqual([...model]);
    }
  });

  test("add() takes any string, as a Set does; a lone surrogate never equals a table id", async () => {
    const { existingIds } = await load();
    expect(
      (() => {
        try {
          existingIds.add(42 as any);
        } catch (e: any) {
          return e.code;
        }
      })(),
    ).toBe("E_ARG");
    const size = existingIds.size;
    expect(existingIds.has("rep\uD800")).toBe(false);
    expect(existingIds.has("rep\uFFFD")).toBe(true);
    // Added: a string of its own, not the table's "rep\uFFFD".
    existingIds.add("rep\uD800").add("lone\uDC00");
    expect(existingIds.size).toBe(size + 2);
    expect([existingIds.has("rep\uD800"), existingIds.has("lone\uDC00"), existingIds.has("lone\uFFFD")]).toEqual([
      true,
      true,
      false,
    ]);
    expect([...existingIds].slice(-2)).toEqual(["rep\uD800", "lone\uDC00"]);
    expect(existingIds.delete("rep\uD800")).toBe(true);
    expect([existingIds.has("rep\uD800"), existingIds.has("rep\uFFFD")]).toEqual([false, true]);
    expect(existingIds.has(42 as any)).toBe(false);
    expect(existingIds.delete(42 as any)).toBe(false);
  });

  test("toSet() survives a Set#add that calls back into existingIds", async () => {
    const { existingIds } = await load();
    const original = Set.prototype.add;
    let calls = 0;
    Set.prototype.add = function (this: Set<unknown>, v: unknown) {
      if (calls++ === 0) existingIds.delete("doc1#1");
      return original.call(this, v);
    };
    try {
      const copy = existingIds.toSet();
      expect(copy.has("doc1#0")).toBe(true);
      expect(existingIds.has("doc1#1")).toBe(false);
    } finally {
      Set.prototype.add = original;
    }
  });

  test("each call returns independent structures", async () => {
    const a = await load();
    const b = await load();
    a.existingIds.delete("doc1#0");
    expect(a.existingIds.has("doc1#0")).toBe(false);
    expect(b.existingIds.has("doc1#0")).toBe(true);
  });
});

describe("require loads what a load needs, the rest on first use", () => {
  test("planChanges, the Set methods and printing are loaded when first called", () => {
    const index = join(import.meta.dir, "..", "index.js");
    const script = `
      const api = require(${JSON.stringify(index)});
      const loaded = () => ["plan-changes", "pack-items", "set-methods", "inspect"].filter((m) =>
        Object.keys(require.cache).some((k) => k.endsWith("/js/" + m + ".js")));
      const before = loaded();
      const m = api.emptyHashMaps();
      m.existingIds.union(new Set(["x"]));
      require("node:util").inspect(m.baseHashMap);
      api.planChanges(m, []).then(() => console.log(JSON.stringify([before, loaded()])));`;
    for (const runtime of [process.execPath, "node"]) {
      const out = Bun.spawnSync([runtime, "-e", script]);
      expect([runtime, JSON.parse(out.stdout.toString())]).toEqual([
        runtime,
        [[], ["plan-changes", "pack-items", "set-methods", "inspect"]],
      ]);
    }
  });
});
