// The promises the JS boundary keeps: every call returns a promise that settles, user code that
// throws (callbacks, getters, signal methods) rejects it, nothing the call was given is kept alive
// afterwards, and a panic anywhere in the addon is an E_INTERNAL rejection, not a crash.
import { describe, test, expect, beforeAll, afterAll } from "bun:test";
import { join } from "node:path";
import { buildHashMaps, emptyHashMaps, LanceHashMapsError, planChanges } from "../index";
import * as native from "../native.js";
import { removeDir, serviceRows, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";

let dir: string;
let tablePath: string;

beforeAll(async () => {
  dir = tempDir("boundary");
  await latest.write(dir, serviceRows(2000), { fragmentRows: 500 });
  tablePath = join(dir, "embeddings.lance");
});
afterAll(() => removeDir(dir));

/** How `p` settles within `ms`: "resolved", the rejection, or "pending" (a hang). */
async function settle(p: unknown, ms = 10_000): Promise<unknown> {
  if (!(p instanceof Promise)) throw new Error(`not a promise: ${String(p)}`);
  const timeout = new Promise((r) => setTimeout(() => r("pending"), ms));
  return Promise.race([
    p.then(
      () => "resolved",
      (e) => e,
    ),
    timeout,
  ]);
}

/** The call's result, or what it threw synchronously (which must never happen). */
function call(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    return { threwSynchronously: e };
  }
}

describe("signals are released when the call settles", () => {
  async function collected(makeOptions: (signal: AbortSignal) => object): Promise<number> {
    const refs: WeakRef<AbortSignal>[] = [];
    await (async () => {
      for (let i = 0; i < 100; i++) {
        const ac = new AbortController();
        refs.push(new WeakRef(ac.signal));
        await buildHashMaps(tablePath, makeOptions(ac.signal)).catch(() => {});
      }
    })();
    // No deref() between collections: a WeakRef's target is kept until the end of the job that
    // dereferenced it (the spec's KeepDuringJob), which would pin live-looking signals.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 10));
      Bun.gc(true);
    }
    await new Promise((r) => setTimeout(r, 10));
    return refs.filter((r) => r.deref() === undefined).length;
  }

  test("after successful calls", async () => {
    expect(await collected((signal) => ({ signal }))).toBeGreaterThanOrEqual(97);
  });

  test("after calls whose options are refused", async () => {
    // JSC scans the stack conservatively: the last signal or two made may still look referenced
    // (before the fix, every one of the 100 stayed; under Node the test asks for all 100).
    expect(await collected((signal) => ({ signal, onProgress: "x" }))).toBeGreaterThanOrEqual(97);
    expect(await collected((signal) => ({ signal, batchSize: -1 }))).toBeGreaterThanOrEqual(97);
  });
});

describe("throwing user code rejects the promise, never hangs or throws synchronously", () => {
  test("a signal whose removeEventListener throws", async () => {
    const boom = new Error("remove failed");
    const signal = {
      aborted: false,
      addEventListener() {},
      removeEventListener() {
        throw boom;
      },
    };
    const e: any = await settle(call(() => buildHashMaps(tablePath, { signal: signal as any })));
    expect(e?.code).toBe("E_ARG");
    expect(e.cause).toBe(boom);
  });

  test("a signal whose addEventListener throws", async () => {
    const boom = new Error("add failed");
    const signal = {
      aborted: false,
      addEventListener() {
        throw boom;
      },
      removeEventListener() {},
    };
    const e: any = await settle(call(() => buildHashMaps(tablePath, { signal: signal as any })));
    expect(e?.code).toBe("E_ARG");
    expect(e.cause).toBe(boom);
  });

  test("a throwing getter on buildHashMaps' options", async () => {
    const boom = new Error("getter");
    for (const name of ["tableName", "signal", "onProgress", "batchSize", "storageOptions", "ifMissing"]) {
      const options = Object.defineProperty({}, name, {
        get() {
          throw boom;
        },
        enumerable: true,
      });
      const e: any = await settle(call(() => buildHashMaps(tablePath, options)));
      expect([name, e?.code, e?.cause]).toEqual([name, "E_ARG", boom]);
    }
  });

  test("throwing getters on planChanges' maps, options and items", async () => {
    const maps = await buildHashMaps(tablePath);
    const boom = new Error("getter");
    const thrower = (name: string) =>
      Object.defineProperty({}, name, {
        get() {
          throw boom;
        },
        enumerable: true,
      });
    const cases: [string, () => unknown][] = [
      ["maps.baseHashMap", () => planChanges(thrower("baseHashMap") as any, [])],
      ["options.forceAll", () => planChanges(maps, [], thrower("forceAll") as any)],
      ["items[0].id", () => planChanges(maps, [thrower("id") as any])],
      [
        "items[0].text",
        () =>
          planChanges(maps, [
            {
              id: "x",
              get text(): string {
                throw boom;
              },
            },
          ]),
      ],
      [
        "items[1] (a Proxy)",
        () =>
          planChanges(maps, [
            { id: "a", text: "b" },
            new Proxy(
              {},
              {
                get() {
                  throw boom;
                },
              },
            ) as any,
          ]),
      ],
    ];
    for (const [what, f] of cases) {
      const e: any = await settle(call(f));
      const got = e === boom ? boom : e?.cause;
      expect([what, got]).toEqual([what, boom]);
    }
    expect(maps.existingIds.size).toBe(2200); // nothing was removed
  });

  test("a throwing onProgress stops the call with E_CALLBACK, whatever it throws", async () => {
    const noString = Object.create(null);
    const badString = {
      toString() {
        throw new Error("no string for you");
      },
    };
    for (const boom of [new Error("progress"), noString, badString, undefined, 42]) {
      const e: any = await settle(
        call(() =>
          buildHashMaps(tablePath, {
            batchSize: 100,
            progressEvery: 100,
            onProgress: () => {
              throw boom;
            },
          }),
        ),
      );
      expect([e?.code, e?.cause === boom]).toEqual(["E_CALLBACK", true]);
    }
    const noStringGetter = Object.defineProperty({}, "tableName", {
      get() {
        throw noString;
      },
    });
    const e: any = await settle(call(() => buildHashMaps(tablePath, noStringGetter)));
    expect([e?.code, e?.cause === noString]).toEqual(["E_ARG", true]);
  });
});

describe("an aborted signal is checked before anything else", () => {
  test("for a missing table, a table and a database", async () => {
    for (const [path, options] of [
      ["/no/such/table", {}],
      [tablePath, {}],
      [dir, { tableName: "embeddings" }],
      [dir, { tableName: "missing" }],
    ] as const) {
      const e: any = await settle(buildHashMaps(path, { ...options, signal: AbortSignal.abort() }));
      expect([path, e?.code]).toEqual([path, "E_ABORTED"]);
    }
  });
});

/** What `run` throws while the test hook makes the next call reaching `site` panic. */
function thrownAt(site: string, run: () => unknown): any {
  native.injectPanic(site);
  try {
    run();
  } catch (e) {
    return e;
  } finally {
    native.injectPanic(null);
  }
  return undefined;
}

describe("the test hook is not reachable in a user's process", () => {
  test("without LANCE_HASHMAPS_TEST_HOOKS=1, injectPanic throws E_ARG and arms nothing", () => {
    const env = { ...process.env };
    delete env.LANCE_HASHMAPS_TEST_HOOKS;
    const script = `
      const native = require(${JSON.stringify(join(import.meta.dir, "..", "native.js"))});
      const { buildHashMaps } = require(${JSON.stringify(join(import.meta.dir, "..", "index.js"))});
      let code = "none";
      try { native.injectPanic("load"); } catch (e) { code = e.code; }
      buildHashMaps(${JSON.stringify(tablePath)}).then((m) => console.log(code, m.rowCount));`;
    for (const runtime of [process.execPath, "node"]) {
      const out = Bun.spawnSync([runtime, "-e", script], { env });
      expect([runtime, out.stdout.toString().trim()]).toEqual([runtime, "E_ARG 2200"]);
    }
  });
});

describe("panics become E_INTERNAL and leave everything usable", () => {
  test("in the scan, in a planned slice, in the plan's merge, in a small batch's direct plan", async () => {
    const maps = await buildHashMaps(tablePath);
    // More items than planChanges plans on the JS thread (4,096): the pool's sites are reached.
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: `item-${i}`, text: `text ${i}` }));
    for (const [site, run] of [
      ["load", () => buildHashMaps(tablePath)],
      ["plan-slice", () => planChanges(maps, items)],
      ["plan-finish", () => planChanges(maps, items)],
      ["plan-direct", () => planChanges(maps, items.slice(0, 5))],
    ] as const) {
      native.injectPanic(site);
      const e: any = await settle(call(run));
      native.injectPanic(null);
      expect([site, e?.code]).toEqual([site, "E_INTERNAL"]);
      expect(e.message).toContain("panic injected by a test");
    }
    // The maps are intact and the next calls work.
    expect(maps.existingIds.size).toBe(2200);
    expect((await buildHashMaps(tablePath)).rowCount).toBe(2200);
    expect((await planChanges(maps, items)).toEmbed.length).toBe(5000);
  });

  test("in a page read of an existingIds walk: thrown, and the walk goes on right after", async () => {
    const maps = await buildHashMaps(tablePath);
    const model = new Set(maps.existingIds);
    const ids = [...model];
    const [ours, theirs] = [maps.existingIds.values(), model.values()];
    expect([ours.next().value, ours.next().value]).toEqual([theirs.next().value, theirs.next().value]);
    // A change makes the walk read a page again; that read fails once.
    maps.existingIds.delete(ids[3]);
    model.delete(ids[3]);
    expect(thrownAt("ids-page", () => ours.next())?.code).toBe("E_INTERNAL");
    // The failed read changed nothing: the rest is what a Set gives, without the deleted id.
    expect([...ours]).toEqual([...theirs]);
  });

  test("in a page read of a map walk: thrown, and the walk goes on right after", async () => {
    const maps = await buildHashMaps(tablePath);
    for (const view of [maps.baseHashMap, maps.existingChunks] as const) {
      const want = [...view.keys()];
      const it = view.keys();
      expect(thrownAt("map-page", () => it.next())?.code).toBe("E_INTERNAL");
      // The failed read changed nothing: the walk gives every key (a generator would have ended).
      expect([...it]).toEqual(want);
    }
  });

  test("in a synchronous lookup: a thrown E_INTERNAL error, not a crash", async () => {
    const maps = await buildHashMaps(tablePath);
    native.injectPanic("lookup");
    let e: any;
    try {
      maps.baseHashMap.get("workspace/node-1-1");
    } catch (x) {
      e = x;
    }
    native.injectPanic(null);
    expect(e).toBeInstanceOf(LanceHashMapsError);
    expect(e.code).toBe("E_INTERNAL");
    expect(maps.baseHashMap.has("workspace/node-1-1")).toBe(true);
  });
});

describe("joined strings handed to the addon are checked against their lengths", () => {
  test("a text longer than its lengths is refused whatever its next character, in both reads and both calls", async () => {
    const { mapsHandles } = require("../js/internal.js");
    const thrown = (run: () => unknown): any => {
      try {
        run();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const maps = emptyHashMaps();
    const handle = mapsHandles.get(maps.baseHashMap);
    const one = Uint32Array.of(1);
    // "a" then one more character of 1 to 4 UTF-8 bytes (and 1 or 2 UTF-16 code units), or none.
    // Bun 1.1 leaves a lone surrogate out of UTF-8 altogether, so there "a\uD800" read as UTF-8
    // looks like "a": the lengths the JS layer passes come from the same strings, so they agree.
    const oldBun = typeof Bun !== "undefined" && Bun.semver.order(Bun.version, "1.2.0") < 0;
    for (const text of ["ab", "aé", "a中", "a😀", ...(oldBun ? [] : ["a\uD800"]), "éé", "é😀"]) {
      const e = thrown(() => native.planDirect(handle, "i", one, text, one, true));
      expect([text, e?.message]).toEqual([text, expect.stringContaining("lengths do not add up")]);
      const planner = new native.Planner(handle, true);
      const f = thrown(() => planner.add(text, one, "t", one));
      planner.cancel();
      expect([text, f?.message]).toEqual([text, expect.stringContaining("lengths do not add up")]);
    }
    // Shorter than its lengths, too.
    expect(thrown(() => native.planDirect(handle, "i", one, "", one, true))?.message).toContain("do not add up");
    // Exact lengths are read whole.
    const plan = native.planDirect(handle, "i", one, "é", one, true);
    expect(plan.hex.join("")).toBe(new Bun.CryptoHasher("sha256").update("é").digest("hex"));
  });

  test("hashTexts reads each element once (a getter that changes its answer is E_ARG, not an addon error)", async () => {
    const { hashTexts } = await import("../index");
    let reads = 0;
    const texts = ["a", "b"];
    Object.defineProperty(texts, 1, { get: () => (reads++ === 0 ? "b" : 5) });
    expect(hashTexts(texts)).toEqual(hashTexts(["a", "b"]));
    expect(reads).toBe(1);
    class Odd extends Array {
      static get [Symbol.species](): ArrayConstructor {
        throw new Error("species read");
      }
    }
    expect(hashTexts(Odd.from(["x"]))).toEqual(hashTexts(["x"]));
  });
});
