// hashText / hashTexts against Bun's and Node's sha256; planChanges against the service's JS loop.
import { describe, test, expect, beforeAll, afterAll } from "bun:test";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { buildHashMaps, hashText, hashTexts, planChanges } from "../index";
import { referenceMaps, servicePlan, type Item, type RefMaps } from "./helpers/reference";
import { removeDir, tempDir } from "./helpers/tables";
import { latest } from "./writers/latest";

const bunSha = (s: string) => new Bun.CryptoHasher("sha256").update(s).digest("hex");
const nodeSha = (s: string) => createHash("sha256").update(s).digest("hex");

function adversarialStrings(): string[] {
  let seed = 99;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
  const out = ["", "a", "abc", "\0", "ü", "文書", "😀", "\uD800", "\uDFFF", "a\uD800b", "\uDC00\uD800", "x\uD83D", "\uFFFD", "e\u0301", "\r\n\t"];
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
    { id: "long-id-" + "y".repeat(2000), text: "z".repeat(1500) },
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

  test("generated batches of every kind agree with the loop", async () => {
    const ref0 = await referenceMaps(await latest.open(dir));
    let seed = 5;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    const ids = [...ref0.existingIds, "new1", "new2", "chunked#9", "same#0"];
    for (let round = 0; round < 20; round++) {
      const batch = Array.from({ length: rnd(3000) }, () => {
        const t = texts[rnd(texts.length)];
        return rnd(4) === 0 ? { id: ids[rnd(ids.length)], text: "z", contextText: t } : { id: ids[rnd(ids.length)], text: t };
      });
      const maps = await buildHashMaps(tablePath);
      const ref = await referenceMaps(await latest.open(dir));
      expect(await planChanges(maps, batch, { removeFromExistingIds: round % 2 === 0 })).toEqual(referencePlan(ref, batch));
      if (round % 2 === 0) expect([...maps.existingIds]).toEqual([...ref.existingIds]);
      else expect(maps.existingIds.size).toBe(ref0.existingIds.size);
    }
  });

  test("bad arguments reject with E_ARG", async () => {
    const maps = await buildHashMaps(tablePath);
    const call = planChanges as (...a: unknown[]) => Promise<unknown>;
    for (const args of [[null, []], [{}, []], [maps, 5], [maps, [{ id: 1, text: "x" }]], [maps, [{ id: "a" }]], [maps, [], 7]]) {
      const e: any = await call(...args).then(() => null, (x) => x);
      expect(e?.code).toBe("E_ARG");
    }
  });
});
