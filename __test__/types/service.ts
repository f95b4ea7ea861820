// A service's own code, typed against the JS collections, must accept the maps unchanged: no
// casts. Compiled with `strict` by tsc 5.0 (lib ES2020 + DOM) and by the current tsc (lib ESNext,
// and ES2020 + DOM): see scripts/test.sh.
import {
  BaseHashMap,
  buildHashMaps,
  emptyHashMaps,
  type ChangePlan,
  type ErrorCode,
  type HashMaps,
  LanceHashMapsError,
  planChanges,
} from "../../index";

function deleteStale(existingIds: Set<string>, stale: string[]): number {
  let n = 0;
  for (const id of stale) if (existingIds.delete(id)) n++;
  return n;
}
function countIds(ids: ReadonlySet<string>): number {
  let n = 0;
  ids.forEach(() => n++);
  return n;
}
function unchanged(baseHashMap: ReadonlyMap<string, string | null>, baseId: string, hash: string): boolean {
  return baseHashMap.get(baseId) === hash;
}
function chunksOf(existingChunks: ReadonlyMap<string, string[]>, baseId: string): string[] {
  return existingChunks.get(baseId) ?? [];
}
function asMap(m: Map<string, string | null> | ReadonlyMap<string, string | null>): number {
  return m.size;
}

// A signal from anywhere: a DOM AbortSignal, Node's, or anything with the same three members.
declare const signalLike: {
  aborted: boolean;
  addEventListener(t: "abort", l: () => void): void;
  removeEventListener(t: "abort", l: () => void): void;
};

export async function service(dbPath: string): Promise<number> {
  const { baseHashMap, existingIds, existingChunks, tableFound, warning }: HashMaps = await buildHashMaps(
    `${dbPath}/embeddings.lance`,
    { ifMissing: "empty", storageOptions: { aws_region: "us-east-1" }, signal: signalLike },
  );
  if (!tableFound && warning !== null) throw new Error(warning);
  const all: string[] = [...existingIds];
  const copy: Set<string> = new Set(existingIds);
  const arr: string[] = Array.from(existingIds);
  for (const [baseId, hash] of baseHashMap) if (hash !== null) unchanged(baseHashMap, baseId, hash);
  for (const [baseId, ids] of existingChunks.entries()) chunksOf(existingChunks, baseId).concat(ids);
  const keys: string[] = [...baseHashMap.keys()];
  const bulk: string[] = existingIds.toArray();
  const plan: ChangePlan = await planChanges(
    { baseHashMap, existingIds, existingChunks, tableFound, warning, rowCount: 0, version: null },
    [{ id: "a#1", text: "x", contextText: null }],
  );
  const sets: Set<string>[] = [existingIds, emptyHashMaps().existingIds];
  return (
    deleteStale(existingIds, plan.idsToDelete) +
    countIds(existingIds) +
    asMap(baseHashMap) +
    all.length +
    copy.size +
    arr.length +
    keys.length +
    bulk.length +
    sets.length
  );
}

export function codes(e: unknown): ErrorCode | undefined {
  if (e instanceof LanceHashMapsError) {
    const code: ErrorCode = e.code;
    if (code === "E_NO_TABLE" || code === "E_ACCESS" || code === "E_NETWORK") return code;
  }
  return undefined;
}

// @ts-expect-error: the collections are made by buildHashMaps / emptyHashMaps only.
export const notConstructible = () => new BaseHashMap();
