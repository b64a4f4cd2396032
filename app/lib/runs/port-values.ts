import { isMediaValue } from "~workflow/values";
import type { MediaKind } from "~workflow/values";

/** A recorded input or output, as the history and the nodes show it. */
export type DisplayValue =
  | { kind: "text"; text: string }
  | { kind: MediaKind; url: string }
  | { kind: "list"; items: DisplayValue[] }
  | { kind: "empty" };

/**
 * Tells port values apart: text and numbers are shown as text, media files by their URL, the
 * values of a port with many connections as a list. Anything else (a record written by an older
 * version, say) is shown as JSON rather than hidden.
 */
export function displayValue(value: unknown): DisplayValue {
  if (value === null || value === undefined) return { kind: "empty" };
  if (typeof value === "string") return { kind: "text", text: value };
  if (typeof value === "number" || typeof value === "boolean") return { kind: "text", text: String(value) };
  if (isMediaValue(value)) return { kind: value.kind, url: value.url };
  if (Array.isArray(value)) return value.length === 0 ? { kind: "empty" } : { kind: "list", items: value.map(displayValue) };
  return { kind: "text", text: JSON.stringify(value) };
}
