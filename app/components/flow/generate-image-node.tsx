import type { NodeProps } from "@xyflow/react";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { paramErrors } from "~/lib/editor/param-values";
import type { ModelKind } from "~workflow/gemini-models";
import type { NodeParams } from "~workflow/nodes/registry";
import { ModelSelect } from "./model-select";
import { NodeShell } from "./node-shell";
import { ParamSelect } from "./param-select";
import { useNodeRun } from "./run-overlay";

const IMAGE_MODEL_KINDS: readonly ModelKind[] = ["image"];

type AspectRatio = NodeParams<"generate-image">["aspect_ratio"];

const ASPECTS: readonly { value: AspectRatio; label: string }[] = [
  { value: "1:1", label: "1:1 square" },
  { value: "16:9", label: "16:9 landscape" },
  { value: "9:16", label: "9:16 portrait" },
  { value: "4:3", label: "4:3 landscape" },
  { value: "3:4", label: "3:4 portrait" },
];

export function GenerateImageNode({ id, data, selected }: NodeProps<EditorNode>) {
  const run = useNodeRun(id);
  // What the model wrote beside its image, kept with the run's outputs.
  const note = run?.status === "success" && typeof run.outputs?.note === "string" ? run.outputs.note : null;
  return (
    <NodeShell id={id} type="generate-image" data={data} selected={selected}>
      <ModelSelect nodeId={id} value={data.model} kinds={IMAGE_MODEL_KINDS} error={paramErrors("generate-image", data).model} />
      <div className="mt-1.5">
        <ParamSelect nodeId={id} param="aspect_ratio" label="Aspect ratio" options={ASPECTS} value={data.aspect_ratio} />
      </div>
      {note ? (
        <p data-testid={`node-note-${id}`} className="nodrag nowheel mt-1.5 max-h-24 select-text overflow-y-auto whitespace-pre-wrap break-words rounded-md bg-canvas/70 px-2 py-1.5 text-[11px] leading-snug text-zinc-300">
          {note}
        </p>
      ) : null}
    </NodeShell>
  );
}
