// Keys around the sizes where a fixed read buffer would cut them: every UTF-8 length from 240 to
// 270 bytes, with a 1-, 2-, 3- or 4-byte character at every position of the 252..258 byte edge.
// Stored in a real table (as ids and as chunk bases) and added by hand; looked up through every
// method; hashed and planned by planChanges (ASCII and UTF-16 slices).
import { describe, test, expect, beforeAll, afterAll } from "bun:test";
import { join } from "node:path";
import { buildHashMaps, hashText, planChanges, type HashMaps } from "../index";
import { referenceMaps, servicePlan, type RefMaps } from "../fixtures/reference";
import { fakeHash, removeDir, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

/** Keys of `bytes` UTF-8 bytes: ASCII only, and with `ch` starting at each byte of 248..258. */
function keysAround(tag: string): string[] {
  const out = new Set<string>();
  for (let bytes = 240; bytes <= 270; bytes++) {
    out.add(tag + "a".repeat(bytes - tag.length));
    for (const ch of ["é", "文", "😀"]) {
      for (let at = 248; at <= 258; at++) {
        const rest = bytes - at - utf8(ch);
        if (at < tag.length || rest < 0) continue;
        out.add(tag + "b".repeat(at - tag.length) + ch + "c".repeat(rest));
      }
    }
  }
  for (const k of out) if (utf8(k) < 240 || utf8(k) > 270) throw new Error(`bad key length ${utf8(k)}`);
  return [...out];
}

let dir: string;
let tablePath: string;
let ref: RefMaps;
const stored = keysAround("s");
const absent = keysAround("m");

beforeAll(async () => {
  dir = tempDir("long-keys");
  const rows = stored.flatMap((k, i) =>
    i % 3 === 0
      ? [
          { id: `${k}#0`, text_hash: fakeHash(k) },
          { id: `${k}#1`, text_hash: fakeHash(k + 1) },
        ]
      : [{ id: k, text_hash: i % 7 === 0 ? null : fakeHash(k) }],
  );
  const table = await latest.write(dir, rows);
  tablePath = join(dir, "embeddings.lance");
  ref = await referenceMaps(table);
});
afterAll(() => removeDir(dir));

/** Every lookup of `maps` against the reference, through the instance and the prototype. */
function expectLookups(maps: HashMaps, ids: Set<string>, keys: string[]) {
  const viaProto = (obj: object, name: string, k: string) => Object.getPrototypeOf(obj)[name].call(obj, k);
  const wrong: string[] = [];
  for (const k of keys) {
    for (const key of [k, `${k}#0`, `${k}#1`, k.slice(0, -1)]) {
      const checks: [string, unknown, unknown][] = [
        ["baseHashMap.get", maps.baseHashMap.get(key), ref.baseHashMap.get(key)],
        ["baseHashMap.get (prototype)", viaProto(maps.baseHashMap, "get", key), ref.baseHashMap.get(key)],
        ["baseHashMap.has", maps.baseHashMap.has(key), ref.baseHashMap.has(key)],
        ["existingChunks.has", maps.existingChunks.has(key), ref.existingChunks.has(key)],
        [
          "existingChunks.get",
          JSON.stringify(maps.existingChunks.get(key)),
          JSON.stringify(ref.existingChunks.get(key)),
        ],
        ["existingIds.has", maps.existingIds.has(key), ids.has(key)],
        ["existingIds.has (prototype)", viaProto(maps.existingIds, "has", key), ids.has(key)],
      ];
      for (const [what, got, want] of checks)
        if (got !== want) wrong.push(`${what}(${utf8(key)} bytes): ${got} != ${want}`);
    }
  }
  expect(wrong.slice(0, 10)).toEqual([]);
}

describe("keys of 240-270 UTF-8 bytes with multi-byte characters at the 255-byte edge", () => {
  test("stored keys are found and near misses are not, by every method", async () => {
    const maps = await buildHashMaps(tablePath);
    expectLookups(maps, new Set(ref.existingIds), [...stored, ...absent]);
  });

  test("walks hand over every key whole: over 200 KB of multi-byte ids cross many 48 KiB pages", async () => {
    const maps = await buildHashMaps(tablePath);
    expect([...maps.baseHashMap]).toEqual([...ref.baseHashMap]);
    expect([...maps.existingChunks]).toEqual([...ref.existingChunks]);
    expect([...maps.existingIds]).toEqual([...ref.existingIds]);
    // Ids added by hand (from JS strings, not the table) are paged the same way.
    for (const k of absent) maps.existingIds.add(k);
    expect(maps.existingIds.toArray()).toEqual([...ref.existingIds, ...absent]);
  });

  test("keys added by hand: has, delete and add agree with a Set", async () => {
    const maps = await buildHashMaps(tablePath);
    const model = new Set(ref.existingIds);
    for (const k of absent) {
      maps.existingIds.add(k);
      model.add(k);
    }
    expectLookups(maps, model, [...stored, ...absent]);
    // The issue's own example: deleting a 256-byte key must not remove its 253-byte prefix.
    const short = "a".repeat(253);
    const long = `${short}文`;
    maps.existingIds.add(long);
    maps.existingIds.add(short);
    expect(maps.existingIds.has(long)).toBe(true);
    expect(maps.existingIds.delete(long)).toBe(true);
    expect(maps.existingIds.has(short)).toBe(true);
    expect(maps.existingIds.has(long)).toBe(false);
    for (const k of [...stored, ...absent]) expect(maps.existingIds.delete(k)).toBe(model.delete(k));
    expect([...maps.existingIds]).toEqual([...model, short]);
  });

  test("planChanges hashes and looks up such ids and texts exactly (ASCII and UTF-16 slices)", async () => {
    const all = [...stored, ...absent];
    const asciiOnly = all.filter((k) => Buffer.byteLength(k) === k.length);
    for (const keys of [asciiOnly, all]) {
      const items = keys.flatMap((k, i) => [
        // Unchanged when the stored hash is the hash of the text: fakeHash(k) is sha256(k).
        { id: k, text: k },
        { id: `${k}#2`, text: k + (i % 2 ? "x" : "") },
        { id: `n-${k}`, text: "t", contextText: k },
      ]);
      const maps = await buildHashMaps(tablePath);
      const plan = await planChanges(maps, items);
      const want = servicePlan({ ...ref, existingIds: new Set(ref.existingIds) }, items);
      expect(plan).toEqual(want);
      for (let j = 0; j < plan.toEmbed.length; j++) {
        const it = items[plan.toEmbed[j]];
        expect(plan.hashes[j]).toBe(hashText(it.contextText || it.text));
      }
    }
  });
});
