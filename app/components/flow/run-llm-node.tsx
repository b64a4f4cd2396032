import type { NodeProps } from "@xyflow/react";
import { useId } from "react";
import { useEditorActions } from "~/components/editor/editor-store-context";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { paramErrors } from "~/lib/editor/param-values";
import { GEMINI_MODELS } from "~workflow/nodes/run-llm";
import { FieldError, fieldClassFor, NodeShell } from "./node-shell";
import { useReadOnlyCanvas } from "./run-overlay";

export function RunLlmNode({ id, data, selected }: NodeProps<EditorNode>) {
  const fieldId = useId();
  const { updateParam } = useEditorActions();
  const readOnly = useReadOnlyCanvas();
  const error = paramErrors("run-llm", data).model;
  const model = typeof data.model === "string" ? data.model : "";
  return (
    <NodeShell id={id} type="run-llm" data={data} selected={selected}>
      <label htmlFor={fieldId} className="mb-1 block text-[11px] font-medium text-zinc-400">
        Model
      </label>
      <select
        id={fieldId}
        value={model}
        disabled={readOnly}
        aria-invalid={error ? true : undefined}
        onChange={(event) => updateParam(id, "model", event.target.value)}
        className={fieldClassFor(readOnly)}
      >
        {/* A model no longer offered stays visible until another is picked. */}
        {(GEMINI_MODELS as readonly string[]).includes(model) ? null : <option value={model}>{model || "—"}</option>}
        {GEMINI_MODELS.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      {error ? <FieldError message={error} /> : null}
    </NodeShell>
  );
}
