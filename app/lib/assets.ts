/** Where the app serves an asset's bytes (owner-only; share links get their own route later). */
export function assetUrl(assetId: string) {
  return `/files/${encodeURIComponent(assetId)}`;
}

/** What `POST /api/assets` answers with, and what upload nodes keep about their file. */
export interface AssetSummary {
  id: string;
  url: string;
  mime: string;
  bytes: number;
  sha256: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  originalName: string | null;
}
