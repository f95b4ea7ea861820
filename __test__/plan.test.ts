// hashText / hashTexts against Bun's and Node's sha256; planChanges against the service's JS loop.
import { describe, test, expect, beforeAll, afterAll } from "bun:test";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { buildHashMaps, hashText, hashTexts, planChanges } from "../index";
import { referenceMaps, servicePlan, type Item, type RefMaps } from "../fixtures/reference";
import { removeDir, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";

const bunSha = (s: string) => new Bun.CryptoHasher("sha256").update(s).digest("hex");
const nodeSha = (s: string) => createHash("sha256").update(s).digest("hex");

function adversarialStrings(): string[] {
  let seed = 99;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  const out = [
    "",
    "a",
    "abc",
    "\0",
    "ü",
    "文書",
    "😀",
    "\uD800",
    "\uDFFF",
    "a\uD800b",
    "\uDC00\uD800",
    "x\uD83D",
    "\uFFFD",
    "e\u0301",
    "\r\n\t",
  ];
  out.push("long ".repeat(200_000));
  for (let i = 0; i < 300; i++) {
    let s = "";
    const len = rnd(40);
    for (let k = 0; k < len; k++) s += String.fromCharCode(rnd(4) === 0 ? rnd(0x10000) : 32 + rnd(95));
    out.push(s);
  }
  return out;
}

describe("hashText / hashTexts", () => {
  test("byte-identical to Bun.CryptoHasher and node:crypto, lone surrogates included", () => {
    for (const s of adversarialStrings()) {
      const want = bunSha(s);
      expect(nodeSha(s)).toBe(want);
      if (hashText(s) !== want) expect({ s, got: hashText(s) }).toEqual({ s, got: want });
    }
  });

  test("hashTexts equals hashText element by element, small and large batches", () => {
    const all = adversarialStrings();
    expect(hashTexts(all.slice(0, 10))).toEqual(all.slice(0, 10).map(bunSha));
    const many = Array.from({ length: 5000 }, (_, i) => all[i % all.length] + i);
    expect(hashTexts(many)).toEqual(many.map(bunSha));
    expect(hashTexts([])).toEqual([]);
  });
});

const referencePlan = (ref: RefMaps, items: Item[], forceAll = false) => servicePlan(ref, items, forceAll);

/** planChanges over a temp table of `rows`, and the service loop's plan over the same table. */
async function planOnTable(name: string, rows: { id: string; text_hash: string | null }[], batch: Item[]) {
  const d = tempDir(name);
  try {
    await latest.write(d, rows);
    const maps = await buildHashMaps(join(d, "embeddings.lance"));
    const ref = await referenceMaps(await latest.open(d));
    return { got: await planChanges(maps, batch), want: referencePlan(ref, batch) };
  } finally {
    removeDir(d);
  }
}

describe("planChanges", () => {
  let dir: string;
  let tablePath: string;
  const texts = ["alpha", "beta", "", "ünï 😀", "gamma"];
  beforeAll(async () => {
    dir = tempDir("plan");
    tablePath = join(dir, "embeddings.lance");
    const rows = [
      { id: "same", text_hash: bunSha("alpha") },
      { id: "changed", text_hash: bunSha("old") },
      { id: "chunked#0", text_hash: bunSha("beta") },
      { id: "chunked#1", text_hash: bunSha("beta") },
      { id: "chunked#2", text_hash: bunSha("beta") },
      { id: "nullhash", text_hash: null },
      { id: "ctx", text_hash: bunSha("context!") },
      { id: "empty", text_hash: bunSha("") },
      { id: "uni", text_hash: bunSha("ünï 😀") },
      { id: "upper", text_hash: bunSha("gamma").toUpperCase() },
      { id: "repl\uFFFD", text_hash: bunSha("alpha") },
    ];
    await latest.write(dir, rows);
  });
  afterAll(() => removeDir(dir));

  const items = [
    { id: "same", text: "alpha" },
    { id: "changed", text: "new text" },
    { id: "chunked", text: "beta" },
    { id: "chunked", text: "beta2" },
    { id: "nullhash", text: "anything" },
    { id: "ctx", text: "ignored", contextText: "context!" },
    { id: "ctx-empty", text: "alpha", contextText: "" },
    { id: "brand-new", text: "x" },
    { id: "empty", text: "" },
    { id: "uni", text: "ünï 😀" },
    { id: "upper", text: "gamma" },
    { id: "same", text: "alpha" },
    { id: "chunked#1", text: "beta" },
    { id: "long-text", text: "ü".repeat(3000), contextText: "x".repeat(5000) }, // longer than the read buffer
    { id: `long-id-${"y".repeat(2000)}`, text: "z".repeat(1500) },
    { id: "repl\uFFFD", text: "alpha" }, // a stored U+FFFD: unchanged
    { id: "repl\uD800", text: "alpha" }, // a lone surrogate equals no stored id: new
    { id: "repl\uD800#1", text: "alpha" },
  ];

  for (const forceAll of [false, true]) {
    test(`equals the service's loop (forceAll: ${forceAll}), existingIds updated the same way`, async () => {
      const maps = await buildHashMaps(tablePath);
      const ref = await referenceMaps(await latest.open(dir));
      const want = referencePlan(ref, items, forceAll);
      const got = await planChanges(maps, items, { forceAll });
      expect(got).toEqual(want);
      expect([...maps.existingIds]).toEqual([...ref.existingIds]);
    });
  }

  test("results handed back in 4 KB strings: hundreds of hashes, long and multi-byte ids to delete", async () => {
    const d = tempDir("plan-chunks");
    try {
      // 300 bases of 3 chunks with 3-byte characters (4 KB strings hold fewer ids than their UTF-16
      // length suggests), one 5,000-character id (a string of its own), then items that change
      // every base: 300 hashes (5 strings of hex) and 901 ids to delete (~60 KB).
      const rows = [];
      for (let b = 0; b < 300; b++) {
        for (let c = 0; c < 3; c++)
          rows.push({ id: `文書-${b}-${"ü".repeat(b % 7)}#${c}`, text_hash: bunSha(`old ${b}`) });
      }
      rows.push({ id: `long-${"x".repeat(5000)}`, text_hash: bunSha("old") });
      await latest.write(d, rows);
      const batch: Item[] = rows
        .filter((_, i) => i % 3 === 0)
        .map((r, k) => ({ id: r.id.replace(/#0$/, ""), text: `new ${k}` }));
      for (const forceAll of [false, true]) {
        const maps = await buildHashMaps(join(d, "embeddings.lance"));
        const ref = await referenceMaps(await latest.open(d));
        const got = await planChanges(maps, batch, { forceAll });
        expect(got.hashes.length).toBe(301);
        expect(got.idsToDelete.length).toBe(901);
        expect(got).toEqual(referencePlan(ref, batch, forceAll));
      }
    } finally {
      removeDir(d);
    }
  });

  test("more hashes and ids to delete than one task of the addon packs: every one, in order", async () => {
    // 25,000 bases of 2 chunks (ids of 1- to 3-byte characters), every base changed: 50,000 ids
    // to delete (the addon packs them 16,384 to a task) and 25,000 hashes over 4 slices.
    const rows = [];
    for (let b = 0; b < 25_000; b++) {
      for (let c = 0; c < 2; c++)
        rows.push({ id: `${["d", "ü", "文"][b % 3].repeat(1 + (b % 5))}-${b}#${c}`, text_hash: bunSha(`old ${b}`) });
    }
    const batch: Item[] = rows
      .filter((_, i) => i % 2 === 0)
      .map((r, k) => ({ id: r.id.replace(/#0$/, ""), text: k % 7 === 0 ? `old ${k}` : `new ${k}` }));
    const { got, want } = await planOnTable("plan-many", rows, batch);
    expect(got.idsToDelete.length).toBe(2 * got.toEmbed.length);
    expect(got.toEmbed.length).toBeGreaterThan(20_000);
    expect(got).toEqual(want);
  });

  test("a run of empty ids longer than one task of the addon: the ids after it are read whole", async () => {
    // 40,000 rows with the id "" (a table does not make ids unique) between "a" and "b": the
    // addon packs the ids to delete 16,384 to a task, so one task's string is empty.
    const rows = [{ id: "a", text_hash: bunSha("old a") }];
    for (let i = 0; i < 40_000; i++) rows.push({ id: "", text_hash: bunSha("old") });
    rows.push({ id: "b", text_hash: bunSha("old b") }, { id: "c#0", text_hash: bunSha("old c") });
    const batch: Item[] = ["a", "", "b", "c"].map((id) => ({ id, text: `new ${id}` }));
    const { got, want } = await planOnTable("plan-empty-ids", rows, batch);
    expect(got.idsToDelete).toEqual(["a", "", "b", "c#0"]);
    expect(got).toEqual(want);
  });

  test("a few changes in a large table, some bases twice: each id to delete once, as the loop does", async () => {
    const d = tempDir("plan-sparse");
    try {
      const rows = [];
      for (let b = 0; b < 1000; b++)
        for (let c = 0; c < 2; c++) rows.push({ id: `doc-${b}#${c}`, text_hash: bunSha(`t${b}`) });
      await latest.write(d, rows);
      const batch: Item[] = [3, 500, 3, 999, 500, 42].map((b, k) => ({ id: `doc-${b}`, text: `changed ${k}` }));
      const maps = await buildHashMaps(join(d, "embeddings.lance"));
      const ref = await referenceMaps(await latest.open(d));
      const got = await planChanges(maps, batch);
      expect(got.idsToDelete.length).toBe(8);
      expect(got).toEqual(referencePlan(ref, batch));
      expect(maps.existingIds.size).toBe(ref.existingIds.size);
    } finally {
      removeDir(d);
    }
  });

  test("a falsy contextText of another type means text, as `contextText || text` does", async () => {
    const maps = await buildHashMaps(tablePath);
    const ref = await referenceMaps(await latest.open(dir));
    const odd = [false, 0, Number.NaN, null, undefined, ""].map((contextText, k) => ({
      id: `odd-${k}`,
      text: "alpha",
      contextText,
    }));
    expect(await planChanges(maps, odd as unknown as Item[])).toEqual(referencePlan(ref, odd as unknown as Item[]));
  });

  test("generated batches of every kind agree with the loop", async () => {
    const ref0 = await referenceMaps(await latest.open(dir));
    let seed = 5;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const ids = [...ref0.existingIds, "new1", "new2", "chunked#9", "same#0"];
    for (let round = 0; round < 20; round++) {
      const batch = Array.from({ length: rnd(3000) }, () => {
        const t = texts[rnd(texts.length)];
        return rnd(4) === 0
          ? { id: ids[rnd(ids.length)], text: "z", contextText: t }
          : { id: ids[rnd(ids.length)], text: t };
      });
      const maps = await buildHashMaps(tablePath);
      const ref = await referenceMaps(await latest.open(dir));
      expect(await planChanges(maps, batch, { removeFromExistingIds: round % 2 === 0 })).toEqual(
        referencePlan(ref, batch),
      );
      if (round % 2 === 0) expect([...maps.existingIds]).toEqual([...ref.existingIds]);
      else expect(maps.existingIds.size).toBe(ref0.existingIds.size);
    }
  });

  // Adversarial text: lone surrogates, astral characters, and surrogate pairs split across two
  // neighbouring items (the packed path joins items into one string: halves must not pair up).
  function unicodeBatch(n: number, seed: number) {
    const rnd = (k: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % k);
    const ids = [
      "same",
      "changed",
      "chunked",
      "chunked#1",
      "nullhash",
      "uni",
      "repl\uFFFD",
      "repl\uD800",
      "new\uDC00x",
      "😀#2",
    ];
    const pieces = ["a", "ü", "😀", "\uD83D", "\uDE00", "\uD800", "\uDFFF", "文", "", "alpha", "ünï 😀"];
    return Array.from({ length: n }, () => {
      let text = "";
      for (let k = rnd(6); k > 0; k--) text += pieces[rnd(pieces.length)];
      const item: Item = { id: ids[rnd(ids.length)] + (rnd(3) === 0 ? pieces[rnd(pieces.length)] : ""), text };
      if (rnd(5) === 0) item.contextText = rnd(2) ? "" : `${text}\uD83D`;
      return item;
    });
  }

  test("large unicode batches (several slices) agree with the loop", async () => {
    const ascii = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: ["same", "changed", "chunked#1", `n${i}`][i % 4],
        text: i % 3 ? "alpha" : `t${i}`,
      }));
    // Slices are up to 8192 items: ASCII slices are read as bytes, the others as UTF-16; mix both.
    const mixed = [...ascii(9000), ...unicodeBatch(9000, 3), ...ascii(9000)];
    for (const batch of [
      unicodeBatch(1, 1),
      unicodeBatch(8191, 2),
      unicodeBatch(8193, 4),
      unicodeBatch(30_000, 5),
      ascii(20_000),
      mixed,
    ]) {
      const maps = await buildHashMaps(tablePath);
      const ref = await referenceMaps(await latest.open(dir));
      expect(await planChanges(maps, batch)).toEqual(referencePlan(ref, batch));
      expect([...maps.existingIds]).toEqual([...ref.existingIds]);
    }
  });

  test("Latin-1 texts and ids (one byte per character in the engines), small and large batches", async () => {
    // Bun 1.1 stores such strings as Latin-1 and once rejected them ("lengths do not add up").
    const latin1 = ["héllo", "zé", "ÿ", "café#1", "naïve", "Ærø", "\u00a0", "\u00ff".repeat(5000)];
    const batch = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        id: i % 5 === 0 ? "same" : `${latin1[i % latin1.length]}-${i % 7}`,
        text: i % 3 ? latin1[(i + 1) % latin1.length] : "alpha",
      }));
    // Up to 4,096 items a batch is planned on the JS thread in one call; 4,097 and more on the pool.
    for (const items of [
      [{ id: "zz", text: "héllo" }],
      [{ id: "zé", text: "a" }],
      batch(10),
      batch(4096),
      batch(4097),
      batch(20_000),
    ]) {
      const maps = await buildHashMaps(tablePath);
      const ref = await referenceMaps(await latest.open(dir));
      expect(await planChanges(maps, items)).toEqual(referencePlan(ref, items));
      expect([...maps.existingIds]).toEqual([...ref.existingIds]);
    }
  });

  test("a small batch whose texts are too long for one slice goes to the pool, with the same result", async () => {
    const items = [
      { id: "changed", text: "a".repeat(9_000_000) },
      { id: "same", text: "alpha" },
      { id: "chunked", text: "é".repeat(9_000_000) },
    ];
    const maps = await buildHashMaps(tablePath);
    const ref = await referenceMaps(await latest.open(dir));
    expect(await planChanges(maps, items)).toEqual(referencePlan(ref, items));
    expect([...maps.existingIds]).toEqual([...ref.existingIds]);
  });

  test("getters, class instances and a throwing getter", async () => {
    class Item2 {
      constructor(private readonly key: string) {}
      get id() {
        return this.key;
      }
      get text() {
        return "alpha";
      }
    }
    const maps = await buildHashMaps(tablePath);
    const ref = await referenceMaps(await latest.open(dir));
    const batch = [new Item2("same"), new Item2("changed")];
    expect(await planChanges(maps, batch)).toEqual(referencePlan(ref, batch));
    const boom = new Error("boom from a getter");
    const bad = [
      { id: "same", text: "x" },
      {
        get id(): string {
          throw boom;
        },
        text: "y",
      },
    ];
    const e = await planChanges(maps, bad).then(
      () => null,
      (x) => x,
    );
    expect(e).toBe(boom); // the caller's own error, as the JS loop would throw it
    expect(maps.existingIds.size).toBe(ref.existingIds.size); // nothing removed
  });

  test("existingIds of another result is updated by id text", async () => {
    const [a, b] = [await buildHashMaps(tablePath), await buildHashMaps(tablePath)];
    const ref = await referenceMaps(await latest.open(dir));
    const mixed = { ...a, existingIds: b.existingIds };
    expect(await planChanges(mixed, items)).toEqual(referencePlan(ref, items));
    expect([...b.existingIds]).toEqual([...ref.existingIds]);
    expect(a.existingIds.size).toBe(
      b.existingIds.size + referencePlan(await referenceMaps(await latest.open(dir)), items).idsToDelete.length,
    );
  });

  test("batch after batch: idsToDelete lists only ids still in existingIds, each once (as the loop does)", async () => {
    const maps = await buildHashMaps(tablePath);
    const ref = await referenceMaps(await latest.open(dir));
    const refMaps = { ...ref, existingIds: new Set(ref.existingIds) };
    for (const batch of [
      [{ id: "chunked#0", text: "new" }],
      [{ id: "chunked#1", text: "other" }],
      [
        { id: "chunked", text: "again" },
        { id: "chunked#5", text: "x" },
      ],
    ]) {
      expect(await planChanges(maps, batch)).toEqual(servicePlan(refMaps, batch));
      expect([...maps.existingIds]).toEqual([...refMaps.existingIds]);
    }
    // Without removal the ids stay, and are listed again.
    const keep = await buildHashMaps(tablePath);
    const first = await planChanges(keep, [{ id: "chunked#0", text: "new" }], { removeFromExistingIds: false });
    const again = await planChanges(keep, [{ id: "chunked#0", text: "new" }], { removeFromExistingIds: false });
    expect(again.idsToDelete).toEqual(first.idsToDelete);
    expect(first.idsToDelete.length).toBeGreaterThan(0);
    expect(keep.existingIds.size).toBe(ref.existingIds.size);
  });

  test("bad arguments reject with E_ARG", async () => {
    const maps = await buildHashMaps(tablePath);
    const call = planChanges as (...a: unknown[]) => Promise<unknown>;
    const sparse = [{ id: "a", text: "x" }, undefined, { id: "b", text: "y" }];
    const badCtx = [{ id: "a", text: "x", contextText: 5 }];
    for (const args of [
      [null, []],
      [{}, []],
      [maps, 5],
      [maps, [{ id: 1, text: "x" }]],
      [maps, [{ id: "a" }]],
      [maps, [], 7],
      [maps, sparse],
      [maps, badCtx],
      [maps, [null]],
    ]) {
      const e: any = await call(...args).then(
        () => null,
        (x) => x,
      );
      expect(e?.code).toBe("E_ARG");
    }
  });
});
