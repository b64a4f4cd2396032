/**
 * "2026-11-27 04:21 UTC": the same text on the server and in every browser, for a tooltip
 * beside a relative time (a local-time rendering would differ between the two and break hydration).
 */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
