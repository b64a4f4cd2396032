import { createHash } from "node:crypto";
import type { NodeType } from "./nodes/registry";
import { isMediaValue } from "./values";

/**
 * Raise a type's version when its executor starts producing different output for the same
 * parameters and inputs, so fingerprints of older executions stop matching new ones.
 */
export const EXECUTOR_VERSIONS = {
  text: 1,
  "upload-image": 1,
  "upload-video": 1,
  "run-llm": 1,
  "crop-image": 1,
  "extract-frame": 1,
} as const satisfies Record<NodeType, number>;

/**
 * Identifies a piece of work: equal node type, version, parameters and inputs give equal hashes.
 * Media counts by content (sha256), not by asset id or URL, so the same file uploaded twice matches.
 */
export function fingerprint(nodeType: string, typeVersion: number, params: unknown, inputs: unknown): string {
  return createHash("sha256")
    .update(canonicalJson({ type: nodeType, version: typeVersion, params, inputs }))
    .digest("hex");
}

/** JSON with object keys sorted at every level and media replaced by `{ media: sha256 }`. */
export function canonicalJson(value: unknown): string {
  if (isMediaValue(value)) return canonicalJson({ media: value.sha256 });
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  // Anything without a JSON form (undefined at the top, functions) hashes like null, as JSON would store it.
  return JSON.stringify(value) ?? "null";
}
