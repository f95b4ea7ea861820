// The object-store test infrastructure itself, checked with the JS SDK only (no addon): moto's S3
// server and Azurite on 127.0.0.1, tables written with churn, SDK references, stable listings,
// credentials from the environment, a server that never answers, and a clean stop.
// Needs scripts/setup-object-store.sh (moto venv) and azurite in node_modules.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fakeHash, removeDir, tempDir } from "../fixtures/tables";
import {
  azureEmulatorEnv,
  azureEnv,
  azureStorageOptions,
  createBucket,
  createContainer,
  listAzureBlobs,
  listS3Objects,
  livePids,
  portOpen,
  s3Env,
  s3StorageOptions,
  startAzurite,
  startS3,
  startSilentServer,
  unusedEndpoint,
  type AzuriteServer,
  type S3Server,
  type StoredObject,
} from "../fixtures/object-store/servers";
import { sdkReference, serializeRef, writeEmbeddingsTable } from "../fixtures/object-store/write-table";

let s3: S3Server;
let az: AzuriteServer;
const localDirs: string[] = [];
/** Child processes this test process already had (other test files' business, not ours). */
let childrenBefore = new Set<number>();

beforeAll(async () => {
  childrenBefore = new Set(childrenOf(process.pid).map((c) => c.pid));
  // allSettled: if one fails to start, the other is still assigned and stopped by afterAll.
  const [a, b] = await Promise.allSettled([startS3(), startAzurite()]);
  if (a.status === "fulfilled") s3 = a.value;
  if (b.status === "fulfilled") az = b.value;
  for (const r of [a, b]) if (r.status === "rejected") throw r.reason;
  await createBucket(s3.endpoint, "lhm-bucket");
  await createContainer(az, "lhm-container");
}, 60_000);

afterAll(async () => {
  await Promise.all([s3?.stop(), az?.stop()]);
  for (const d of localDirs) removeDir(d);
});

interface Store {
  kind: string;
  dbUri: string;
  options(): Record<string, string>;
  list(pageSize?: number): Promise<StoredObject[]>;
  /** Environments with which a child process must read the table without storage options. */
  envs(): Record<string, Record<string, string>>;
}

const stores: Store[] = [
  {
    kind: "S3 (moto)",
    dbUri: "s3://lhm-bucket/db",
    options: () => s3StorageOptions(s3.endpoint),
    list: (pageSize) => listS3Objects(s3.endpoint, "lhm-bucket", { pageSize }),
    envs: () => ({ "AWS_*": s3Env(s3.endpoint) }),
  },
  {
    kind: "Azure Blob (Azurite)",
    dbUri: "az://lhm-container/db",
    options: () => azureStorageOptions(az),
    list: (pageSize) => listAzureBlobs(az, "lhm-container", { pageSize }),
    envs: () => ({ "AZURE_STORAGE_*": azureEnv(az), "emulator mode": azureEmulatorEnv(az) }),
  },
];

/** The same writes on a local directory: what the object-store tables must read back as. */
let localRef: ReturnType<typeof serializeRef> | undefined;
async function localReference() {
  if (!localRef) {
    const dir = tempDir("os-local");
    localDirs.push(dir);
    await writeEmbeddingsTable(dir, {}, { churn: true });
    localRef = serializeRef(await sdkReference(dir, {}));
  }
  return localRef;
}

/** Runs env-child.ts under this bun with `env` and no AWS_/AZURE_ variables of our own. */
function readInChild(dbUri: string, env: Record<string, string>): Promise<ReturnType<typeof serializeRef>> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS|AZURE|AZURITE)_/.test(k)));
  const script = join(import.meta.dir, "..", "fixtures", "object-store", "env-child.ts");
  return new Promise((ok, fail) => {
    execFile(
      process.execPath,
      [script, dbUri],
      { env: { ...clean, ...env }, timeout: 60_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        if (err) fail(new Error(`child failed: ${err.message}\n${stderr}`));
        else ok(JSON.parse(stdout));
      },
    );
  });
}

for (const store of stores) {
  describe(store.kind, () => {
    test("a churned table written through the SDK reads back like the same table on local disk", async () => {
      const uri = await writeEmbeddingsTable(store.dbUri, store.options(), { churn: true });
      expect(uri).toBe(`${store.dbUri}/embeddings.lance`);
      const keys = (await store.list()).map((o) => o.key);
      expect(keys.some((k) => /^db\/embeddings\.lance\/_versions\/\d+\.manifest$/.test(k))).toBe(true);
      expect(keys.filter((k) => k.startsWith("db/embeddings.lance/data/")).length).toBeGreaterThan(1);

      const ref = await sdkReference(store.dbUri, store.options());
      // Spot checks of the rows the fixtures promise: null first chunk, chunks, non-ASCII, churn.
      expect(ref.baseHashMap.get("doc1")).toBeNull();
      expect(ref.existingChunks.get("doc1")).toEqual(["doc1#0", "doc1#1", "doc1#2"]);
      expect(ref.existingIds.has("ünïcödé/文書/😀#3")).toBe(true);
      expect(ref.existingIds.has("ünïcödé/文書/😀#4")).toBe(false); // deleted
      expect(ref.existingIds.has("workspace/node-1-7#1")).toBe(false); // deleted chunk
      expect(ref.existingIds.has("workspace/node-1-7#0")).toBe(true);
      expect(ref.baseHashMap.get("workspace/node-1-0")).toBe(fakeHash("2:0")); // updated by mergeInsert
      const item = (id: string) => parseInt(id.slice("workspace/node-1-".length).split("#")[0], 36);
      expect(
        [...ref.existingIds].filter((id) => id.startsWith("workspace/node-1-") && item(id) >= 300).length,
      ).toBeGreaterThan(10); // inserted
      expect(ref.rowCount).toBeGreaterThan(300);
      // Same content AND order as the local table built by the same calls.
      const { version, ...mapsHere } = serializeRef(ref);
      const { version: localVersion, ...mapsLocal } = await localReference();
      expect(version).toBe(localVersion!);
      expect(mapsHere).toEqual(mapsLocal);
    }, 90_000);

    test("listing is paginated and a pure SDK read changes no object", async () => {
      const before = await store.list(7); // 7 per page: many continuation tokens / markers
      expect(before).toEqual(await store.list());
      expect(before.every((o) => o.etag && o.size >= 0)).toBe(true);
      await sdkReference(store.dbUri, store.options());
      expect(await store.list(7)).toEqual(before);
    }, 60_000);

    test("credentials from the environment of a child process (connect without storageOptions)", async () => {
      const expected = serializeRef(await sdkReference(store.dbUri, store.options()));
      for (const [label, env] of Object.entries(store.envs())) {
        const got = await readInChild(store.dbUri, env);
        expect({ label, ...got }).toEqual({ label, ...expected });
      }
    }, 90_000);
  });
}

test("the silent server accepts connections and never answers", async () => {
  const silent = await startSilentServer();
  const t0 = Date.now();
  const err = await fetch(`${silent.endpoint}/bucket?list-type=2`, { signal: AbortSignal.timeout(500) }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(err?.name).toBe("TimeoutError");
  expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
  expect(silent.connections()).toBeGreaterThanOrEqual(1);
  await silent.stop();
  expect(await portOpen(silent.port)).toBe(false);
}, 10_000);

test("an unused endpoint refuses connections at once", async () => {
  const endpoint = await unusedEndpoint();
  const t0 = Date.now();
  await expect(fetch(endpoint, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  expect(Date.now() - t0).toBeLessThan(2000);
}, 10_000);

/** Pids whose parent is `ppid` (Linux /proc; empty elsewhere). */
function childrenOf(ppid: number): { pid: number; comm: string }[] {
  const out: { pid: number; comm: string }[] = [];
  let names: string[] = [];
  try {
    names = readdirSync("/proc").filter((n) => /^\d+$/.test(n));
  } catch {}
  for (const n of names) {
    try {
      const stat = readFileSync(`/proc/${n}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // state ppid pgrp …
      if (Number(fields[1]) === ppid)
        out.push({ pid: Number(n), comm: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) });
    } catch {} // the process ended while we looked
  }
  return out;
}

test("stop() ends every server: ports closed, process groups gone, no child process left", async () => {
  const servers = [s3, az];
  expect(await portOpen(s3.port)).toBe(true);
  expect(await portOpen(az.port)).toBe(true);
  const ours = () => childrenOf(process.pid).filter((c) => !childrenBefore.has(c.pid));
  expect(ours().length).toBeGreaterThanOrEqual(4); // two servers, two watchdogs
  await Promise.all(servers.map((s) => s.stop()));
  await Promise.all(servers.map((s) => s.stop())); // idempotent
  for (const s of servers) {
    expect(await portOpen(s.port)).toBe(false);
    expect(() => process.kill(-s.pid, 0)).toThrow(); // ESRCH: nothing left in its process group
  }
  expect(livePids()).toEqual([]);
  expect(ours()).toEqual([]);
}, 30_000);
