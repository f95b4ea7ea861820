import { expect } from "bun:test";
import type { HashMaps } from "../../index";
import type { RefMaps } from "../../fixtures/reference";

/** Keys that are near misses of real keys: a good way to catch wrong base-id rules. */
export function probeKeys(ref: RefMaps): string[] {
  const out = ["", "#", "#0", "undefined", "null"];
  let n = 0;
  for (const id of ref.existingIds) {
    out.push(`${id}#0`, `${id}x`, id.slice(0, -1), id.toUpperCase());
    if (id.includes("\uFFFD")) out.push(id.replaceAll("\uFFFD", "\uD800"), id.replaceAll("\uFFFD", "\uDFFF"));
    if (++n > 200) break;
  }
  return out;
}

/** Asserts that the native maps equal the reference in content, order and lookups. */
export function expectSameMaps(ours: HashMaps, ref: RefMaps) {
  expect(ours.rowCount).toBe(ref.rowCount);
  const probes = probeKeys(ref);

  const b = ours.baseHashMap;
  expect(b.size).toBe(ref.baseHashMap.size);
  expect([...b.entries()]).toEqual([...ref.baseHashMap.entries()]);
  expect([...b.keys()]).toEqual([...ref.baseHashMap.keys()]);
  expect([...b.values()]).toEqual([...ref.baseHashMap.values()]);
  expect([...b]).toEqual([...ref.baseHashMap]);
  for (const [k, v] of ref.baseHashMap) {
    if (b.get(k) !== v || !b.has(k))
      expect({ key: k, got: b.get(k), has: b.has(k) }).toEqual({ key: k, got: v, has: true });
  }
  for (const k of probes) {
    expect({ k, v: b.get(k), has: b.has(k) }).toEqual({ k, v: ref.baseHashMap.get(k), has: ref.baseHashMap.has(k) });
  }

  const c = ours.existingChunks;
  expect(c.size).toBe(ref.existingChunks.size);
  expect([...c.entries()]).toEqual([...ref.existingChunks.entries()]);
  expect([...c.keys()]).toEqual([...ref.existingChunks.keys()]);
  for (const [k, v] of ref.existingChunks) {
    const got = c.get(k);
    if (got === undefined || got.length !== v.length || got.some((x, i) => x !== v[i]))
      expect({ k, got }).toEqual({ k, got: v });
  }
  for (const k of probes) {
    expect({ k, v: c.get(k), has: c.has(k) }).toEqual({
      k,
      v: ref.existingChunks.get(k),
      has: ref.existingChunks.has(k),
    });
  }

  const ids = ours.existingIds;
  expect(ids.size).toBe(ref.existingIds.size);
  expect([...ids]).toEqual([...ref.existingIds]);
  for (const id of ref.existingIds) {
    if (!ids.has(id)) expect({ id, has: false }).toEqual({ id, has: true });
  }
  for (const k of probes) expect({ k, has: ids.has(k) }).toEqual({ k, has: ref.existingIds.has(k) });

  // delete as the service uses it, on both, then the same again.
  const refIds = new Set(ref.existingIds);
  const victims = [...refIds].filter((_, i) => i % 3 === 0).slice(0, 500);
  for (const id of [...victims, "never-an-id", victims[0] ?? "x"]) {
    expect(ids.delete(id)).toBe(refIds.delete(id));
  }
  expect(ids.size).toBe(refIds.size);
  expect([...ids]).toEqual([...refIds]);
}
