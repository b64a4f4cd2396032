/** Where the owner's browser fetches assets; a share link serves the run's files under its own path. */
export const OWNER_FILES_PATH = "/files";

/** Where the app serves an asset's bytes: to its owner by default, or through a share link's files path. */
export function assetUrl(assetId: string, filesPath = OWNER_FILES_PATH) {
  return `${filesPath}/${encodeURIComponent(assetId)}`;
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
