// options.signal, options.onProgress and options.progressEvery.
import { describe, test, expect, beforeAll, afterAll } from "bun:test";
import { join } from "node:path";
import { buildHashMaps } from "../index";
import { removeDir, serviceRows, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";

let dir: string;
let tablePath: string;
const ROWS = 55_000; // 50,000 items, 5% in 3 chunks

beforeAll(async () => {
  dir = tempDir("control");
  await latest.write(dir, serviceRows(50_000), { fragmentRows: 10_000 });
  tablePath = join(dir, "embeddings.lance");
});
afterAll(() => removeDir(dir));

const settle = () => new Promise((r) => setTimeout(r, 50));
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: any) => e.code,
  );

describe("signal", () => {
  test("an already aborted signal rejects with E_ABORTED", async () => {
    expect(await codeOf(buildHashMaps(tablePath, { signal: AbortSignal.abort() }))).toBe("E_ABORTED");
  });

  test("aborting mid-scan stops it with E_ABORTED and leaves the user's onabort alone", async () => {
    const ac = new AbortController();
    let userHandler = 0;
    ac.signal.onabort = () => userHandler++;
    let calls = 0;
    const p = buildHashMaps(tablePath, {
      signal: ac.signal,
      batchSize: 500,
      progressEvery: 1000,
      onProgress: () => {
        if (++calls === 2) ac.abort();
      },
    });
    expect(await codeOf(p)).toBe("E_ABORTED");
    expect(userHandler).toBe(1);
  });

  test("a signal that is never aborted changes nothing, and our listener is removed", async () => {
    const log: string[] = [];
    const fake = {
      aborted: false,
      addEventListener: (type: string, fn: unknown) => log.push(`add ${type} ${typeof fn}`),
      removeEventListener: (type: string, fn: unknown) => log.push(`remove ${type} ${typeof fn}`),
    };
    const maps = await buildHashMaps(tablePath, { signal: fake as any });
    expect(maps.rowCount).toBe(ROWS);
    expect(log).toEqual(["add abort function", "remove abort function"]);
  });
});

describe("onProgress", () => {
  test("reports increasing counts at most every progressEvery rows, ending at the total", async () => {
    const seen: [number, number][] = [];
    const maps = await buildHashMaps(tablePath, {
      batchSize: 1000,
      progressEvery: 10_000,
      onProgress: (l, t) => seen.push([l, t]),
    });
    await settle();
    expect(seen.length).toBeGreaterThanOrEqual(ROWS / 10_000 - 1);
    expect(seen.length).toBeLessThanOrEqual(ROWS / 10_000 + 1);
    for (const [, total] of seen) expect(total).toBe(ROWS);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i][0]).toBeGreaterThan(seen[i - 1][0]);
      if (i < seen.length - 1) expect(seen[i][0] - seen[i - 1][0]).toBeGreaterThanOrEqual(10_000);
    }
    expect(seen.at(-1)![0]).toBe(maps.rowCount);
  });

  test("a throwing callback rejects with E_CALLBACK and the thrown error as cause", async () => {
    const boom = new Error("progress exploded");
    const e: any = await buildHashMaps(tablePath, {
      batchSize: 1000,
      progressEvery: 1000,
      onProgress: () => {
        throw boom;
      },
    }).then(
      () => null,
      (x) => x,
    );
    expect(e?.code).toBe("E_CALLBACK");
    expect(e.cause).toBe(boom);
    expect(e.message).toContain("progress exploded");
    // The process is fine and the next call works.
    expect((await buildHashMaps(tablePath)).rowCount).toBe(ROWS);
  });

  test("wrong types reject with E_ARG", async () => {
    for (const opts of [
      { signal: 5 },
      { signal: {} },
      { onProgress: "x" },
      { progressEvery: 0 },
      { progressEvery: 1.5 },
    ]) {
      expect(await codeOf(buildHashMaps(tablePath, opts as any))).toBe("E_ARG");
    }
  });
});
