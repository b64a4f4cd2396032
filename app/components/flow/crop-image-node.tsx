import type { NodeProps } from "@xyflow/react";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { NodeShell } from "./node-shell";

export function CropImageNode({ id, data, selected }: NodeProps<EditorNode>) {
  return <NodeShell id={id} type="crop-image" data={data} selected={selected} />;
}
