import type { NodeProps } from "@xyflow/react";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { paramErrors } from "~/lib/editor/param-values";
import type { ModelKind } from "~workflow/gemini-models";
import { ModelSelect } from "./model-select";
import { NodeShell } from "./node-shell";

/** Run LLM answers with text: text models, and image models (which answer generateContent with text too). */
const RUN_LLM_MODEL_KINDS: readonly ModelKind[] = ["text", "image"];

export function RunLlmNode({ id, data, selected }: NodeProps<EditorNode>) {
  return (
    <NodeShell id={id} type="run-llm" data={data} selected={selected}>
      <ModelSelect nodeId={id} value={data.model} kinds={RUN_LLM_MODEL_KINDS} error={paramErrors("run-llm", data).model} />
    </NodeShell>
  );
}
