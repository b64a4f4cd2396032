import { getNodeDefinition } from "./nodes/registry";
import { PREVIEW_MAX_CHARS } from "./run-progress";
import { isMediaValue, type NodeOutputs, type PortValue } from "./values";

/**
 * Serialized bytes that all nodes' previews and errors may take together. With the rest of a
 * node's entry (~200 bytes), a 500-node run stays far below Trigger.dev's 256 KB metadata limit.
 */
export const PROGRESS_TEXT_BUDGET_BYTES = 96_000;

export interface TextLimit {
  /** UTF-16 code units, as the schema counts them. */
  chars: number;
  /** Bytes once serialized as JSON (UTF-8, with escapes). */
  bytes: number;
}

/** How much text each node's preview and error may hold in the progress of a run of this many nodes. */
export function textLimitFor(nodeCount: number): TextLimit {
  const share = Math.floor(PROGRESS_TEXT_BUDGET_BYTES / Math.max(1, nodeCount) / 2);
  return { chars: PREVIEW_MAX_CHARS, bytes: Math.min(Math.max(share, 64), PREVIEW_MAX_CHARS * 4) };
}

/** The text shown on a node for its outputs: its first output as text, or a media file's URL. */
export function previewOf(nodeType: string, outputs: NodeOutputs, limit: TextLimit): string | null {
  const port = getNodeDefinition(nodeType)?.outputs[0]?.id;
  const value = port !== undefined && Object.hasOwn(outputs, port) ? outputs[port] : Object.values(outputs)[0];
  return value === undefined ? null : truncateText(previewText(value), limit);
}

const ELLIPSIS = "…";
const ELLIPSIS_BYTES = 3;

/** Cuts text to the limit at a character boundary, marking the cut with an ellipsis. */
export function truncateText(text: string, limit: TextLimit): string {
  let units = 0;
  let bytes = 0;
  let end = 0;
  let cutAt = -1;
  for (const char of text) {
    units += char.length;
    bytes += jsonBytes(char);
    if (cutAt === -1 && (units > limit.chars - ELLIPSIS.length || bytes > limit.bytes - ELLIPSIS_BYTES)) cutAt = end;
    if (units > limit.chars || bytes > limit.bytes) return `${text.slice(0, cutAt)}${ELLIPSIS}`;
    end += char.length;
  }
  return text;
}

function previewText(value: PortValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return isMediaValue(value) ? value.url : "";
}

/** Bytes one code point takes inside a JSON string. */
function jsonBytes(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (char === '"' || char === "\\" || char === "\b" || char === "\f" || char === "\n" || char === "\r" || char === "\t") return 2;
  if (code < 0x20) return 6;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  // A lone surrogate is written as a \uXXXX escape.
  if (code >= 0xd800 && code <= 0xdfff) return 6;
  return code < 0x10000 ? 3 : 4;
}
