import type { NodeProps } from "@xyflow/react";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { NodeShell } from "./node-shell";

// The timestamp is typed as text: besides seconds it takes a share of the video such as "50%".
const FIELD_KINDS = { timestamp: "text" } as const;

export function ExtractFrameNode({ id, data, selected }: NodeProps<EditorNode>) {
  return <NodeShell id={id} type="extract-frame" data={data} selected={selected} fieldKinds={FIELD_KINDS} />;
}
