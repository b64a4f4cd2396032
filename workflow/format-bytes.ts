/** A size as people read it: "20 MB", "1.5 kB", "512 bytes" (decimal units, like file managers). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${round(bytes / 1_000_000)} MB`;
  if (bytes >= 1_000) return `${round(bytes / 1_000)} kB`;
  return `${bytes} bytes`;
}

function round(value: number) {
  return String(Math.round(value * 10) / 10);
}
