import type { NodeProps } from "@xyflow/react";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import { NodeShell } from "./node-shell";
import { UploadField } from "./upload-field";

export function UploadVideoNode({ id, data, selected }: NodeProps<EditorNode>) {
  return (
    <NodeShell id={id} type="upload-video" data={data} selected={selected}>
      <UploadField nodeId={id} kind="video" assetId={data.assetId} />
    </NodeShell>
  );
}
