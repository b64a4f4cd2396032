import { useEffect, useRef, useState, type DragEvent } from "react";
import { useEditorActions } from "~/components/editor/editor-store-context";
import { uploadAsset } from "~/lib/editor/upload-asset";
import { IMAGE_EXTENSIONS, IMAGE_MIME_TYPES } from "~workflow/nodes/upload-image";
import { VIDEO_EXTENSIONS, VIDEO_MIME_TYPES } from "~workflow/nodes/upload-video";
import { useAssetUrl, useReadOnlyCanvas } from "./run-overlay";
import type { MediaKind } from "~workflow/values";

const KINDS = {
  image: {
    accept: [...IMAGE_EXTENSIONS.map((extension) => `.${extension}`), ...IMAGE_MIME_TYPES].join(","),
    formats: IMAGE_EXTENSIONS.join(", "),
    choose: "Choose image",
    noun: "an image",
  },
  video: {
    accept: [...VIDEO_EXTENSIONS.map((extension) => `.${extension}`), ...VIDEO_MIME_TYPES].join(","),
    formats: VIDEO_EXTENSIONS.join(", "),
    choose: "Choose video",
    noun: "a video",
  },
} as const;

type UploadState = { kind: "idle" } | { kind: "uploading"; fileName: string; percent: number } | { kind: "failed"; message: string };

/**
 * An upload node's file: a drop zone and picker, the upload's progress, then the preview. The
 * server checks the file's content and answers with an asset id, which becomes the node's
 * `assetId` parameter (undoable like any edit).
 */
export function UploadField({ nodeId, kind, assetId }: { nodeId: string; kind: MediaKind; assetId: unknown }) {
  const { updateParam } = useEditorActions();
  const readOnly = useReadOnlyCanvas();
  const [upload, setUpload] = useState<UploadState>({ kind: "idle" });
  const [dragOver, setDragOver] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const abortRef = useRef<AbortController | null>(null);
  const texts = KINDS[kind];
  const currentAsset = typeof assetId === "string" && assetId ? assetId : null;
  const assetUrl = useAssetUrl();

  useEffect(() => () => abortRef.current?.abort(), []);

  const start = async (file: File) => {
    abortRef.current?.abort();
    const controller = new AbortController();
    abortRef.current = controller;
    setUpload({ kind: "uploading", fileName: file.name, percent: 0 });
    const result = await uploadAsset(file, {
      kind,
      signal: controller.signal,
      onProgress: (percent) => setUpload({ kind: "uploading", fileName: file.name, percent }),
    });
    if (controller.signal.aborted) return;
    if (result.ok) {
      setUpload({ kind: "idle" });
      updateParam(nodeId, "assetId", result.asset.id);
    } else {
      setUpload({ kind: "failed", message: result.message });
    }
  };

  const onDrop = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes("Files")) return;
    // The canvas would otherwise read a dropped file as a workflow to import.
    event.preventDefault();
    event.stopPropagation();
    setDragOver(false);
    const file = event.dataTransfer.files[0];
    if (file) void start(file);
  };

  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = "copy";
    setDragOver(true);
  };

  return (
    <div className="nodrag flex flex-col gap-2">
      {currentAsset ? (
        kind === "image" ? (
          <img
            src={assetUrl(currentAsset)}
            alt="Uploaded image"
            className="max-h-56 w-full rounded-lg border border-line bg-black/40 object-contain"
          />
        ) : (
          <video
            controls
            preload="metadata"
            src={assetUrl(currentAsset)}
            aria-label="Uploaded video"
            className="nowheel max-h-56 w-full rounded-lg border border-line bg-black"
          />
        )
      ) : null}

      {readOnly ? (
        currentAsset ? null : <p className="text-[12px] text-zinc-500">No {kind} was uploaded.</p>
      ) : (
        <div
          onDragOver={onDragOver}
          onDragLeave={() => setDragOver(false)}
          onDrop={onDrop}
          className={`flex flex-col items-center gap-1.5 rounded-lg border border-dashed px-3 text-center transition-colors ${
            currentAsset ? "py-2" : "py-5"
          } ${dragOver ? "border-accent bg-accent/10" : "border-[#34344a] bg-canvas/50"}`}
        >
          {currentAsset ? null : <p className="text-[12px] text-zinc-400">Drop {texts.noun} here</p>}
          <button
            type="button"
            disabled={upload.kind === "uploading"}
            onClick={() => inputRef.current?.click()}
            className="rounded-md border border-line bg-panel-2 px-2.5 py-1 text-[12px] font-medium text-zinc-200 hover:border-accent hover:text-white disabled:opacity-50"
          >
            {currentAsset ? `Replace ${kind}` : texts.choose}
          </button>
          {currentAsset ? null : <p className="text-[10px] text-zinc-500">{texts.formats}</p>}
          <input
            ref={inputRef}
            type="file"
            accept={texts.accept}
            aria-label={`${kind === "image" ? "Image" : "Video"} file`}
            className="hidden"
            onChange={(event) => {
              const file = event.target.files?.[0];
              // Cleared so choosing the same file again still uploads it.
              event.target.value = "";
              if (file) void start(file);
            }}
          />
        </div>
      )}

      {upload.kind === "uploading" ? (
        <div className="flex flex-col gap-1">
          <div
            role="progressbar"
            aria-label={`Uploading ${upload.fileName}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={upload.percent}
            className="h-1.5 overflow-hidden rounded-full bg-white/10"
          >
            <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${upload.percent}%` }} />
          </div>
          <p className="truncate text-[11px] text-zinc-400">
            Uploading {upload.fileName} · {upload.percent}%
          </p>
        </div>
      ) : null}

      {upload.kind === "failed" ? (
        <p role="alert" className="rounded-md border border-red-500/40 bg-red-500/10 px-2 py-1.5 text-[12px] text-red-200">
          {upload.message}
        </p>
      ) : null}
    </div>
  );
}
