import { useId } from "react";
import { useEditorActions } from "~/components/editor/editor-store-context";
import { modelOffer, modelsByKind, type ModelKind } from "~workflow/gemini-models";
import { useModelCatalog } from "./model-catalog";
import { FieldError, fieldClassFor } from "./node-shell";
import { useReadOnlyCanvas } from "./run-overlay";

const KIND_LABELS: Record<ModelKind, string> = { text: "Text models", image: "Image models", video: "Video models" };

/**
 * A Gemini node's model picker: the catalog's models of `kinds`, grouped by kind, and a warning
 * with a one-click replacement when the node's model is one Gemini no longer offers.
 */
export function ModelSelect({ nodeId, value, kinds, error }: { nodeId: string; value: unknown; kinds: readonly ModelKind[]; error?: string }) {
  const fieldId = useId();
  const warningId = `${fieldId}-warning`;
  const { updateParam } = useEditorActions();
  const readOnly = useReadOnlyCanvas();
  const catalog = useModelCatalog();
  const model = typeof value === "string" ? value : "";
  const groups = catalog ? modelsByKind(catalog, kinds) : [];
  const listed = groups.some((group) => group.models.some((entry) => entry.id === model));
  // The replacement is sought among the node's first kind: what it makes.
  const offer = catalog && model ? modelOffer(model, catalog, kinds[0]) : null;
  const unavailable = offer?.status === "unavailable" ? offer : null;
  return (
    <>
      <label htmlFor={fieldId} className="mb-1 block text-[11px] font-medium text-zinc-400">
        Model
      </label>
      <select
        id={fieldId}
        value={model}
        disabled={readOnly}
        aria-invalid={error || unavailable ? true : undefined}
        aria-describedby={unavailable ? warningId : undefined}
        onChange={(event) => updateParam(nodeId, "model", event.target.value)}
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
              onClick={() => updateParam(nodeId, "model", unavailable.replacement)}
              className="nodrag ml-1 font-semibold text-amber-100 underline hover:text-white"
            >
              Use {unavailable.replacement}
            </button>
          )}
        </div>
      ) : null}
    </>
  );
}
