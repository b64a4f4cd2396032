import { createHash } from "node:crypto";
import { NODE_DEFINITIONS, type NodeType } from "./nodes/registry";
import { isMediaValue } from "./values";

/** The fingerprint of a node's work, with its type's current executor version. */
export function nodeFingerprint(nodeType: NodeType, params: unknown, inputs: unknown): string {
  return fingerprint(nodeType, NODE_DEFINITIONS[nodeType].executorVersion, params, inputs);
}

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
