import type { NodeProps } from "@xyflow/react";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { NodeShell } from "./node-shell";

// Typed as text, like Extract Frame's timestamp: besides seconds they take a share such as "50%".
const FIELD_KINDS = { start: "text", end: "text" } as const;

export function TrimVideoNode({ id, data, selected }: NodeProps<EditorNode>) {
  return <NodeShell id={id} type="trim-video" data={data} selected={selected} fieldKinds={FIELD_KINDS} />;
}
