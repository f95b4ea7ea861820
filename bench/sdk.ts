// The two @lancedb/lancedb lines (with their own apache-arrow), by name.
import { createRequire } from "node:module";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const fromRoot = createRequire(join(root, "package.json"));
const from013 = createRequire(join(root, "__test__/writers/lancedb-0.13/package.json"));

export type Line = "0.13" | "latest";

export function sdk(line: Line): { lancedb: any; arrow: any; version: string } {
  const req = line === "0.13" ? from013 : fromRoot;
  const main = req.resolve("@lancedb/lancedb");
  const { version } = req(join(main, "..", "..", "package.json"));
  return { lancedb: req("@lancedb/lancedb"), arrow: req("apache-arrow"), version };
}
