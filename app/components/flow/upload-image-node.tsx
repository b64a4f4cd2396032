import type { NodeProps } from "@xyflow/react";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { NodeShell } from "./node-shell";
import { UploadField } from "./upload-field";

export function UploadImageNode({ id, data, selected }: NodeProps<EditorNode>) {
  return (
    <NodeShell id={id} type="upload-image" data={data} selected={selected}>
      <UploadField nodeId={id} kind="image" assetId={data.assetId} />
    </NodeShell>
  );
}
