import { mkdtempSync, rmSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Row } from "../writers/make-writer";

/** A fresh temp directory per test. */
export function tempDir(tag = "t"): string {
  return mkdtempSync(join(tmpdir(), `lhm-${tag}-`));
}

export function removeDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

/** A 64-char lowercase hex string derived from `seed` (looks like the service's sha256 hashes). */
export function fakeHash(seed: string | number): string {
  return createHash("sha256").update(String(seed)).digest("hex");
}

/** Ids and hashes that exercise every rule: chunk suffixes, near misses, nulls, duplicates, unicode. */
export function edgeCaseRows(): Row[] {
  const rows: Row[] = [];
  const add = (id: string, hash: string | null = fakeHash(id)) => rows.push({ id, text_hash: hash });
  // A chunked item whose FIRST chunk has a null hash: the null must win.
  add("doc1#0", null);
  add("doc1#1");
  add("doc1#2");
  // Suffixes that are and are not chunk numbers.
  for (const id of ["a#01", "a#1", "a", "a#", "a#x", "z#+1", "z#-1", "x#1\n", "x#1 ", "n#١", "n#１", "w#1.5"]) add(id);
  add("multi#part#3");
  add("multi#part");
  add("#5");
  add("#");
  add("");
  // Duplicates: the same id twice, first hash wins, chunk list has it twice.
  add("dup", fakeHash("dup-1"));
  add("dup", fakeHash("dup-2"));
  add("dup#1");
  // Hash values that are not lowercase hex digests must round-trip exactly.
  add("upper", fakeHash("u").toUpperCase());
  add("short", "abc");
  add("empty-hash", "");
  add("unicode-hash", "hash-ü-😀");
  add("null-hash", null);
  // Long and non-ASCII ids.
  add("long-" + "x".repeat(10_000) + "#7");
  add("ünïcödé/文書/😀#3");
  add("ünïcödé/文書/😀#4");
  add("tab\there#2");
  add("rep\uFFFD#1"); // a real U+FFFD: a lookup with a lone surrogate must not match it
  add("rep\uFFFD");
  add("quote'\"#9");
  return rows;
}

/** A resona-shaped table: `items` items, 5% of them in 3 chunks, ids like the service's. */
export function serviceRows(items: number, seed = 1): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < items; i++) {
    const base = `workspace/node-${seed}-${i.toString(36)}`;
    if (i % 20 === 7) {
      for (let c = 0; c < 3; c++) rows.push({ id: `${base}#${c}`, text_hash: fakeHash(`${seed}:${i}`) });
    } else {
      rows.push({ id: base, text_hash: i % 997 === 3 ? null : fakeHash(`${seed}:${i}`) });
    }
  }
  return rows;
}

/** A digest of every file under `dir` (path, size, content), to show a call changed nothing. */
export function treeDigest(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      h.update(p + "\0" + s.size + "\0" + s.mtimeMs + "\0");
      if (s.isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest("hex");
}
