import type { NodeProps } from "@xyflow/react";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { NodeShell } from "./node-shell";

// The clips join in the order their connections are listed on the Videos row.
export function ConcatVideosNode({ id, data, selected }: NodeProps<EditorNode>) {
  return <NodeShell id={id} type="concat-videos" data={data} selected={selected} />;
}
