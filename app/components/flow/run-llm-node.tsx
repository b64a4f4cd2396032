import type { NodeProps } from "@xyflow/react";
import { useId } from "react";
import { useEditorActions } from "~/components/editor/editor-store-context";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { paramErrors } from "~/lib/editor/param-values";
import { modelOffer, modelsByKind, type ModelKind } from "~workflow/gemini-models";
import { useModelCatalog } from "./model-catalog";
import { FieldError, fieldClassFor, NodeShell } from "./node-shell";
import { useReadOnlyCanvas } from "./run-overlay";

/** Run LLM answers with text: text models, and image models (which answer generateContent with text too). */
const RUN_LLM_MODEL_KINDS: readonly ModelKind[] = ["text", "image"];

const KIND_LABELS: Record<ModelKind, string> = { text: "Text models", image: "Image models", video: "Video models" };

export function RunLlmNode({ id, data, selected }: NodeProps<EditorNode>) {
  const fieldId = useId();
  const warningId = `${fieldId}-warning`;
  const { updateParam } = useEditorActions();
  const readOnly = useReadOnlyCanvas();
  const catalog = useModelCatalog();
  const error = paramErrors("run-llm", data).model;
  const model = typeof data.model === "string" ? data.model : "";
  const groups = catalog ? modelsByKind(catalog, RUN_LLM_MODEL_KINDS) : [];
  const listed = groups.some((group) => group.models.some((entry) => entry.id === model));
  const offer = catalog && model ? modelOffer(model, catalog) : null;
  const unavailable = offer?.status === "unavailable" ? offer : null;
  return (
    <NodeShell id={id} type="run-llm" data={data} selected={selected}>
      <label htmlFor={fieldId} className="mb-1 block text-[11px] font-medium text-zinc-400">
        Model
      </label>
      <select
        id={fieldId}
        value={model}
        disabled={readOnly}
        aria-invalid={error || unavailable ? true : undefined}
        aria-describedby={unavailable ? warningId : undefined}
        onChange={(event) => updateParam(id, "model", event.target.value)}
        className={fieldClassFor(readOnly)}
      >
        {/* The node's model stays visible (and selected) until another is picked, listed or not. */}
        {listed ? null : <option value={model}>{model || "—"}</option>}
        {groups.map((group) => (
          <optgroup key={group.kind} label={KIND_LABELS[group.kind]}>
            {group.models.map((entry) => (
              <option key={entry.id} value={entry.id} title={entry.id}>
                {entry.label === entry.id ? entry.id : `${entry.label} (${entry.id})`}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {error ? <FieldError message={error} /> : null}
      {unavailable ? (
        <div id={warningId} role="alert" data-testid="model-warning" className="mt-1.5 rounded-md border border-amber-500/40 bg-amber-500/10 px-2 py-1.5 text-[11px] leading-snug text-amber-200">
          {unavailable.message}
          {readOnly ? null : (
            <button
              type="button"
              onClick={() => updateParam(id, "model", unavailable.replacement)}
              className="nodrag ml-1 font-semibold text-amber-100 underline hover:text-white"
            >
              Use {unavailable.replacement}
            </button>
          )}
        </div>
      ) : null}
    </NodeShell>
  );
}
