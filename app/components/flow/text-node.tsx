import type { NodeProps } from "@xyflow/react";
import { useId } from "react";
import { useEditorActions } from "~/components/editor/editor-store-context";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { fieldText, paramErrors } from "~/lib/editor/param-values";
import { FieldError, fieldClassFor, NodeShell } from "./node-shell";
import { useReadOnlyCanvas } from "./run-overlay";

export function TextNode({ id, data, selected }: NodeProps<EditorNode>) {
  const fieldId = useId();
  const { updateParam } = useEditorActions();
  const readOnly = useReadOnlyCanvas();
  const error = paramErrors("text", data).text;
  return (
    <NodeShell id={id} type="text" data={data} selected={selected}>
      <label htmlFor={fieldId} className="mb-1 block text-[11px] font-medium text-zinc-400">
        Text
      </label>
      <textarea
        id={fieldId}
        rows={5}
        value={fieldText(data.text)}
        disabled={readOnly}
        placeholder="Type a prompt, product details, …"
        aria-invalid={error ? true : undefined}
        onChange={(event) => updateParam(id, "text", event.target.value)}
        className={`${fieldClassFor(readOnly)} resize-y`}
      />
      {error ? <FieldError message={error} /> : null}
    </NodeShell>
  );
}
