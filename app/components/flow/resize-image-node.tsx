import type { NodeProps } from "@xyflow/react";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import type { NodeParams } from "~workflow/nodes/registry";
import { NodeShell } from "./node-shell";
import { ParamSelect } from "./param-select";

type Fit = NodeParams<"resize-image">["fit"];
type Format = NodeParams<"resize-image">["format"];

const FITS: readonly { value: Fit; label: string }[] = [
  { value: "contain", label: "Contain (fit inside, border)" },
  { value: "cover", label: "Cover (fill, trim edges)" },
  { value: "fill", label: "Fill (stretch)" },
];

const FORMATS: readonly { value: Format; label: string }[] = [
  { value: "png", label: "PNG" },
  { value: "jpeg", label: "JPEG" },
  { value: "webp", label: "WebP" },
];

export function ResizeImageNode({ id, data, selected }: NodeProps<EditorNode>) {
  return (
    <NodeShell id={id} type="resize-image" data={data} selected={selected}>
      <ParamSelect nodeId={id} param="fit" label="Fit" options={FITS} value={data.fit} />
      <ParamSelect nodeId={id} param="format" label="Format" options={FORMATS} value={data.format} />
    </NodeShell>
  );
}
