import type { NodeProps } from "@xyflow/react";
import { useEffect, useId, useState } from "react";
import { useEditorActions } from "~/components/editor/editor-store-context";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { paramErrors } from "~/lib/editor/param-values";
import { DEFAULT_VIDEO_MODEL, modelOffer, modelsByKind, videoCapabilities } from "~workflow/gemini-models";
import { useModelCatalog } from "./model-catalog";
import { FieldError, fieldClassFor, NodeShell } from "./node-shell";
import { ParamSelect } from "./param-select";
import { useNodeRun, useReadOnlyCanvas } from "./run-overlay";

const ASPECT_LABELS: Record<string, string> = { "16:9": "16:9 landscape", "9:16": "9:16 portrait" };

export function GenerateVideoNode({ id, data, selected }: NodeProps<EditorNode>) {
  const fieldId = useId();
  const { updateParam } = useEditorActions();
  const readOnly = useReadOnlyCanvas();
  const catalog = useModelCatalog();
  const run = useNodeRun(id);
  const error = paramErrors("generate-video", data).model;
  const model = typeof data.model === "string" ? data.model : DEFAULT_VIDEO_MODEL;
  const videoModels = catalog ? (modelsByKind(catalog, ["video"])[0]?.models ?? []) : [];
  const listed = videoModels.some((entry) => entry.id === model);
  const offer = catalog ? modelOffer(model, catalog, "video") : null;
  // Only what this model takes is offered; the executor checks the combination again.
  const caps = videoCapabilities(model);
  return (
    <NodeShell id={id} type="generate-video" data={data} selected={selected}>
      <label htmlFor={fieldId} className="mb-1 block text-[11px] font-medium text-zinc-400">
        Model
      </label>
      <select
        id={fieldId}
        value={model}
        disabled={readOnly}
        aria-invalid={error || offer?.status === "unavailable" ? true : undefined}
        onChange={(event) => updateParam(id, "model", event.target.value)}
        className={fieldClassFor(readOnly)}
      >
        {listed ? null : <option value={model}>{model}</option>}
        {videoModels.map((entry) => (
          <option key={entry.id} value={entry.id} title={entry.id}>
            {entry.label === entry.id ? entry.id : `${entry.label} (${entry.id})`}
          </option>
        ))}
      </select>
      {error ? <FieldError message={error} /> : null}
      {offer?.status === "unavailable" ? <FieldError message={offer.message} /> : null}
      <div className="mt-1.5">
        <ParamSelect
          nodeId={id}
          param="aspect_ratio"
          label="Aspect"
          options={caps.aspectRatios.map((value) => ({ value, label: ASPECT_LABELS[value] ?? value }))}
          value={data.aspect_ratio}
        />
        <ParamSelect
          nodeId={id}
          param="duration_seconds"
          label="Duration"
          options={caps.durationsSeconds.map((seconds) => ({ value: String(seconds), label: `${seconds} s` }))}
          value={data.duration_seconds === undefined ? undefined : String(data.duration_seconds)}
        />
        <ParamSelect
          nodeId={id}
          param="resolution"
          label="Resolution"
          options={caps.resolutions.map((value) => ({ value, label: value }))}
          value={data.resolution}
        />
      </div>
      {run?.status === "running" ? <Generating startedAt={run.startedAt} /> : null}
    </NodeShell>
  );
}

/** "Generating… 1:05": a video takes minutes, so the node says it is still at work. */
function Generating({ startedAt }: { startedAt: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = startedAt ? Math.max(0, Math.floor((now - Date.parse(startedAt)) / 1000)) : null;
  return (
    <p role="status" data-testid="video-progress" className="mt-1.5 text-[11px] text-violet-200">
      Generating…{seconds === null ? null : ` ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`}
    </p>
  );
}
