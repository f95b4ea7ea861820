// Resolves @lancedb/lancedb 0.13 and apache-arrow 17 from this folder's own node_modules.
import { createRequire } from "node:module";
import * as lancedb from "@lancedb/lancedb";
import * as arrow from "apache-arrow";
import { makeWriter } from "../make-writer";

export const v013 = makeWriter("0.13", createRequire(import.meta.url).resolve("@lancedb/lancedb"), lancedb, arrow);
