// buildHashMaps over object stores: moto's S3 server and Azurite on 127.0.0.1 (started here, on
// free ports, stopped at the end). Against the SDK's own toArray reference over the same URI, and
// against buildHashMaps of the same table on local disk; credentials from storageOptions and from
// the environment; refused credentials, unreachable and silent endpoints, abort while waiting; the
// bucket listing (keys and ETags) unchanged by every call, good or failing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { buildHashMaps, type HashMaps } from "../index";
import { referenceMaps } from "../fixtures/reference";
import {
  azureEnv,
  azureStorageOptions,
  createBucket,
  createContainer,
  listAzureBlobs,
  listS3Objects,
  motoAdmin,
  s3Env,
  s3StorageOptions,
  startAzurite,
  startS3,
  startSilentServer,
  unusedEndpoint,
  type AzuriteServer,
  type S3Key,
  type S3Server,
  type StoredObject,
} from "../fixtures/object-store/servers";
import { sdkReference, serializeRef, writeEmbeddingsTable } from "../fixtures/object-store/write-table";
import { removeDir, tempDir } from "../fixtures/tables";
import { latest } from "../fixtures/writers/latest";
import { expectSameMaps } from "./helpers/compare";

let s3: S3Server;
let az: AzuriteServer;
const localDirs: string[] = [];

beforeAll(async () => {
  const [a, b] = await Promise.allSettled([startS3(), startAzurite()]);
  if (a.status === "fulfilled") s3 = a.value;
  if (b.status === "fulfilled") az = b.value;
  for (const r of [a, b]) if (r.status === "rejected") throw r.reason;
  await createBucket(s3.endpoint, "lhm-addon");
  await createContainer(az, "lhm-addon");
}, 60_000);

afterAll(async () => {
  await Promise.all([s3?.stop(), az?.stop()]);
  for (const d of localDirs) removeDir(d);
});

async function rejection(p: Promise<unknown>): Promise<any> {
  return p.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e) => e,
  );
}

/** A JSON-able form of our maps, in order (the collections iterate as the reference's do). */
const serialize = (m: HashMaps) => serializeRef(m as unknown as Parameters<typeof serializeRef>[0]);

interface Store {
  kind: string;
  dbUri: string;
  options(): Record<string, string>;
  /** The same store with a wrong secret. */
  wrongSecret(): Record<string, string>;
  list(): Promise<StoredObject[]>;
  env(): Record<string, string>;
  /** The secret in options(), which must never appear in a message. */
  secret(): string;
}

const stores: Store[] = [
  {
    kind: "S3 (moto)",
    dbUri: "s3://lhm-addon/db",
    options: () => s3StorageOptions(s3.endpoint),
    wrongSecret: () => ({ ...s3StorageOptions(s3.endpoint), aws_secret_access_key: "wrong-secret-s3" }),
    list: () => listS3Objects(s3.endpoint, "lhm-addon"),
    env: () => s3Env(s3.endpoint),
    secret: () => s3StorageOptions(s3.endpoint).aws_secret_access_key,
  },
  {
    kind: "Azure Blob (Azurite)",
    dbUri: "az://lhm-addon/db",
    options: () => azureStorageOptions(az),
    // A valid base64 key that is not the account's: Azurite checks the signature.
    wrongSecret: () => ({
      ...azureStorageOptions(az),
      azure_storage_account_key: Buffer.from("not-the-key-".repeat(6)).toString("base64"),
    }),
    list: () => listAzureBlobs(az, "lhm-addon"),
    env: () => azureEnv(az),
    secret: () => azureStorageOptions(az).azure_storage_account_key,
  },
];

/** The same writes on local disk, read by buildHashMaps: what every store must read back as. */
let local: { path: string; maps: ReturnType<typeof serialize> } | undefined;
async function localTable() {
  if (!local) {
    const dir = tempDir("os-addon-local");
    localDirs.push(dir);
    const path = await writeEmbeddingsTable(dir, {}, { churn: true });
    local = { path, maps: serialize(await buildHashMaps(path)) };
  }
  return local;
}

/** Runs buildHashMaps in a child process (bun) whose only credentials are `env`. */
function buildInChild(uri: string, env: Record<string, string>): Promise<ReturnType<typeof serialize>> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS|AZURE|AZURITE)_/.test(k)));
  const script = `
    const { buildHashMaps } = require(${JSON.stringify(join(import.meta.dir, "..", "index.js"))});
    const m = await buildHashMaps(process.env.LHM_CHILD_URI);
    console.log(JSON.stringify({ rowCount: m.rowCount, version: m.version, baseHashMap: [...m.baseHashMap],
      existingIds: [...m.existingIds], existingChunks: [...m.existingChunks] }));`;
  return new Promise((ok, fail) => {
    execFile(
      process.execPath,
      // The URI in the environment: `bun -e` does not hand extra arguments to the script in Bun 1.1.
      ["-e", script],
      {
        env: { ...clean, ...env, LHM_CHILD_URI: uri, AWS_EC2_METADATA_DISABLED: "true" },
        timeout: 60_000,
        maxBuffer: 64 << 20,
      },
      (err, stdout, stderr) =>
        err ? fail(new Error(`child failed: ${err.message}\n${stderr}`)) : ok(JSON.parse(stdout)),
    );
  });
}

for (const store of stores) {
  describe(store.kind, () => {
    let uri: string;
    beforeAll(async () => {
      uri = await writeEmbeddingsTable(store.dbUri, store.options(), { churn: true });
    }, 120_000);

    test("equals the SDK's toArray reference over the same URI, and the same table on local disk", async () => {
      const ours = await buildHashMaps(uri, { storageOptions: store.options() });
      expect(ours.tableFound).toBe(true);
      const ref = await sdkReference(store.dbUri, store.options());
      expectSameMaps(await buildHashMaps(uri, { storageOptions: store.options() }), ref);
      expect(serialize(ours)).toEqual({ ...serializeRef(ref), version: ref.version });
      const { version: _v, ...here } = serialize(ours);
      const { version: _l, ...there } = (await localTable()).maps;
      expect(here).toEqual(there);
      // The database URI with tableName, as connect(uri).openTable(name).
      const viaDb = await buildHashMaps(store.dbUri, { tableName: "embeddings", storageOptions: store.options() });
      expect(serialize(viaDb)).toEqual(serialize(ours));
    }, 60_000);

    test("version, onProgress and a missing table or prefix", async () => {
      const opts = store.options();
      const first = await buildHashMaps(uri, { storageOptions: opts, version: 1 });
      const localFirst = await buildHashMaps((await localTable()).path, { version: 1 });
      expect(serialize(first)).toEqual(serialize(localFirst));
      const seen: number[] = [];
      const m = await buildHashMaps(uri, {
        storageOptions: opts,
        batchSize: 50,
        progressEvery: 100,
        onProgress: (n) => seen.push(n),
      });
      expect(seen.at(-1)).toBe(m.rowCount);
      for (const missing of [`${store.dbUri}/nope.lance`, store.dbUri.replace("/db", "/no-such-prefix/t.lance")]) {
        const none = await buildHashMaps(missing, { storageOptions: opts });
        expect([missing, none.tableFound, none.rowCount, none.version]).toEqual([missing, false, 0, null]);
      }
      // A bucket or container that does not exist: nothing is there, and the warning says why.
      const noBucket = await buildHashMaps(`${store.dbUri.replace("lhm-addon", "no-such-bucket")}/embeddings.lance`, {
        storageOptions: opts,
      });
      expect([noBucket.tableFound, noBucket.warning]).toEqual([false, "the bucket or container does not exist"]);
      const named = await rejection(
        buildHashMaps(store.dbUri, { tableName: "nope", storageOptions: opts, ifMissing: "error" }),
      );
      expect(named.code).toBe("E_NO_TABLE");
      expect((await rejection(buildHashMaps(uri, { storageOptions: opts, version: 99 }))).code).toBe("E_VERSION");
    }, 60_000);

    test("credentials from the environment only (a child process, no storageOptions)", async () => {
      expect(await buildInChild(uri, store.env())).toEqual(
        serialize(await buildHashMaps(uri, { storageOptions: store.options() })),
      );
    }, 60_000);

    test("refused credentials and unreachable endpoints: coded errors, in bounded time, no secret in the message", async () => {
      if (store.kind.startsWith("Azure")) {
        const e = await rejection(buildHashMaps(uri, { storageOptions: store.wrongSecret() }));
        expect([e.code, e.message.includes(uri)]).toEqual(["E_ACCESS", true]);
        expect(e.message).not.toContain(store.wrongSecret().azure_storage_account_key);
        expect(e.message).toContain("the object store answered 403");
        expect(e.message).not.toMatch(/<\?xml|<Error>|comp=list|prefix=|LanceError/);
      }
      const endpointKey = store.kind.startsWith("S3") ? "aws_endpoint" : "azure_storage_endpoint";
      const quick = { connect_timeout: "1s", timeout: "1s", client_max_retries: "1", client_retry_timeout: "2" };
      const nobody = await unusedEndpoint();
      const silent = await startSilentServer();
      try {
        for (const endpoint of [nobody, silent.endpoint]) {
          const target = store.kind.startsWith("S3") ? endpoint : `${endpoint}/devstoreaccount1`;
          const t0 = Date.now();
          const e = await rejection(
            buildHashMaps(uri, { storageOptions: { ...store.options(), ...quick, [endpointKey]: target } }),
          );
          expect([endpoint, e.code]).toEqual([endpoint, "E_NETWORK"]);
          expect(Date.now() - t0).toBeLessThan(20_000);
          expect(e.message).toContain(uri);
          expect(e.message).not.toContain(store.secret());
          // One sentence: where the store was looked for and why it failed, not the request URL.
          expect(e.message).toContain(`could not reach the object store at ${endpoint}`);
          expect(e.message).not.toMatch(/list-type=|comp=list|prefix=|LanceError/);
        }
        // With the store's own (long) timeouts, waitTimeoutMs bounds a wait on a silent server.
        {
          const target = store.kind.startsWith("S3") ? silent.endpoint : `${silent.endpoint}/devstoreaccount1`;
          const t0 = Date.now();
          const e = await rejection(
            buildHashMaps(uri, { waitTimeoutMs: 1500, storageOptions: { ...store.options(), [endpointKey]: target } }),
          );
          expect([e.code, e.message.includes("1500 ms")]).toEqual(["E_NETWORK", true]);
          expect(Date.now() - t0).toBeLessThan(5_000);
        }
        // A call waiting on a server that never answers stops at once when aborted.
        const ac = new AbortController();
        setTimeout(() => ac.abort(), 300);
        const t0 = Date.now();
        const aborted = await rejection(
          buildHashMaps(uri, {
            signal: ac.signal,
            storageOptions: {
              ...store.options(),
              [endpointKey]: store.kind.startsWith("S3") ? silent.endpoint : `${silent.endpoint}/devstoreaccount1`,
            },
          }),
        );
        expect(aborted.code).toBe("E_ABORTED");
        expect(Date.now() - t0).toBeLessThan(3_000);
      } finally {
        await silent.stop();
      }
    }, 90_000);

    test("no call changes the bucket: keys and ETags identical after good and failing calls", async () => {
      const before = await store.list();
      expect(before.length).toBeGreaterThan(5);
      const opts = store.options();
      await buildHashMaps(uri, { storageOptions: opts });
      await buildHashMaps(`${store.dbUri}/missing.lance`, { storageOptions: opts });
      await buildHashMaps(uri, { storageOptions: opts, version: 99 }).catch(() => {});
      await buildHashMaps(uri, { storageOptions: opts, idColumn: "nope" }).catch(() => {});
      await buildHashMaps(uri, { storageOptions: store.wrongSecret() }).catch(() => {});
      await buildHashMaps(uri, { storageOptions: opts, signal: AbortSignal.timeout(1) }).catch(() => {});
      expect(await store.list()).toEqual(before);
    }, 60_000);
  });
}

test("a table on local disk written with the same calls reads the same through the SDK (sanity of the comparison)", async () => {
  const { path } = await localTable();
  const ref = await referenceMaps(await latest.open(join(path, "..")));
  expectSameMaps(await buildHashMaps(path), ref);
}, 60_000);

// moto checking every signature against its IAM users (the default server above takes any key, so
// it cannot tell a refused credential): the right key reads the table, a wrong secret or an unknown
// key id is E_ACCESS — never "no table" — and no message holds a secret.
describe("S3 (moto) checking credentials", () => {
  let server: S3Server;
  let key: S3Key;
  const bucket = "lhm-checked";
  const dbUri = `s3://${bucket}/db`;
  const uri = `${dbUri}/embeddings.lance`;
  const list = (): Promise<StoredObject[]> => motoAdmin(["list", server.endpoint, key.id, key.secret, bucket]);

  beforeAll(async () => {
    server = await startS3({ checkCredentials: true });
    key = server.credentials!;
    await motoAdmin(["create-bucket", server.endpoint, key.id, key.secret, bucket]);
    await writeEmbeddingsTable(dbUri, s3StorageOptions(server.endpoint, key), { churn: true });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  test("the right key reads what the SDK reads; from the environment too", async () => {
    const ref = await sdkReference(dbUri, s3StorageOptions(server.endpoint, key));
    const maps = await buildHashMaps(uri, { storageOptions: s3StorageOptions(server.endpoint, key) });
    expect(serialize(maps)).toEqual(serializeRef(ref));
    expect(await buildInChild(uri, s3Env(server.endpoint, key))).toEqual(serializeRef(ref));
  }, 60_000);

  test("a wrong secret or an unknown key id: E_ACCESS with the store's reason, for a table and for a missing one", async () => {
    const before = await list();
    expect(before.length).toBeGreaterThan(5);
    const wrongSecret = { ...s3StorageOptions(server.endpoint, key), aws_secret_access_key: "wrong-secret-checked" };
    const unknownId = { ...s3StorageOptions(server.endpoint, key), aws_access_key_id: "AKIANOSUCHKEY0000000" };
    const cases: [string, Record<string, string>, string][] = [
      [uri, wrongSecret, "SignatureDoesNotMatch"],
      [uri, unknownId, "InvalidAccessKeyId"],
      [`${dbUri}/missing.lance`, wrongSecret, "SignatureDoesNotMatch"],
    ];
    for (const [target, storageOptions, reason] of cases) {
      const t0 = Date.now();
      const e = await rejection(buildHashMaps(target, { storageOptions }));
      expect([e.code, e.name]).toEqual(["E_ACCESS", "LanceHashMapsError"]);
      expect(Date.now() - t0).toBeLessThan(20_000);
      // One sentence: the URI as given once, the store's status and reason; no request URL, no XML.
      expect(e.message).toStartWith(`${target}: `);
      expect(e.message).toContain(`403 Forbidden (${reason}: `);
      expect(e.message.split(target).length).toBe(2);
      expect(e.message).not.toMatch(/<\?xml|<Error>|list-type=|http:\/\//);
      for (const secret of [key.secret, "wrong-secret-checked"]) expect(e.message).not.toContain(secret);
    }
    // ifMissing: "error" does not turn a refusal into E_NO_TABLE either.
    const e = await rejection(
      buildHashMaps(`${dbUri}/missing.lance`, { storageOptions: wrongSecret, ifMissing: "error" }),
    );
    expect(e.code).toBe("E_ACCESS");
    expect(await list()).toEqual(before);
  }, 90_000);
});
