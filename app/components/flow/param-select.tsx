import { useId } from "react";
import { useEditorActions } from "~/components/editor/editor-store-context";
import { fieldClassFor } from "./node-shell";
import { useReadOnlyCanvas } from "./run-overlay";

/** A parameter chosen from a fixed list (an enum in the node's schema), saved like any typed value. */
export function ParamSelect<const T extends string>({
  nodeId,
  param,
  label,
  options,
  value,
}: {
  nodeId: string;
  param: string;
  label: string;
  options: readonly { value: T; label: string }[];
  value: unknown;
}) {
  const fieldId = useId();
  const { updateParam } = useEditorActions();
  const readOnly = useReadOnlyCanvas();
  return (
    <div className="flex items-center gap-2 py-0.5">
      <label htmlFor={fieldId} className="w-20 shrink-0 text-[11px] font-medium text-zinc-400">
        {label}
      </label>
      <select
        id={fieldId}
        value={typeof value === "string" ? value : ""}
        disabled={readOnly}
        onChange={(event) => updateParam(nodeId, param, event.target.value)}
        className={`${fieldClassFor(readOnly)} py-1`}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
