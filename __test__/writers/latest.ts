import { createRequire } from "node:module";
import * as lancedb from "@lancedb/lancedb";
import * as arrow from "apache-arrow";
import { makeWriter } from "./make-writer";

export const latest = makeWriter("latest", createRequire(import.meta.url).resolve("@lancedb/lancedb"), lancedb, arrow);
