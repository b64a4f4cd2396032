import type { NodeProps } from "@xyflow/react";
import type { ComponentType } from "react";
import type { EditorNode } from "~/lib/editor/graph-conversion";
import type { NodeType } from "~workflow/nodes/registry";
import { ConcatVideosNode } from "./concat-videos-node";
import { CropImageNode } from "./crop-image-node";
import { ExtractFrameNode } from "./extract-frame-node";
import { GenerateImageNode } from "./generate-image-node";
import { GenerateVideoNode } from "./generate-video-node";
import { ResizeImageNode } from "./resize-image-node";
import { RunLlmNode } from "./run-llm-node";
import { TextNode } from "./text-node";
import { TrimVideoNode } from "./trim-video-node";
import { UploadImageNode } from "./upload-image-node";
import { UploadVideoNode } from "./upload-video-node";

/** One component per node type; a type added to the registry without one is a compile error here. */
export const nodeTypes = {
  text: TextNode,
  "upload-image": UploadImageNode,
  "upload-video": UploadVideoNode,
  "run-llm": RunLlmNode,
  "generate-image": GenerateImageNode,
  "crop-image": CropImageNode,
  "extract-frame": ExtractFrameNode,
  "resize-image": ResizeImageNode,
  "trim-video": TrimVideoNode,
  "concat-videos": ConcatVideosNode,
  "generate-video": GenerateVideoNode,
} satisfies { [K in NodeType]: ComponentType<NodeProps<EditorNode>> };
