import { z } from "zod";
import { concatVideosNode } from "./concat-videos";
import { cropImageNode } from "./crop-image";
import { extractFrameNode } from "./extract-frame";
import { generateImageNode } from "./generate-image";
import { generateVideoNode } from "./generate-video";
import { resizeImageNode } from "./resize-image";
import { runLlmNode } from "./run-llm";
import { textNode } from "./text";
import { trimVideoNode } from "./trim-video";
import type { NodeDefinition, PortType } from "./types";
import { uploadImageNode } from "./upload-image";
import { uploadVideoNode } from "./upload-video";

/**
 * Every node type, in the order the sidebar offers them. Keys are taken from each
 * definition's own `type`, so a key can never disagree with the definition it names.
 */
export const NODE_DEFINITIONS = {
  [textNode.type]: textNode,
  [uploadImageNode.type]: uploadImageNode,
  [uploadVideoNode.type]: uploadVideoNode,
  [runLlmNode.type]: runLlmNode,
  [generateImageNode.type]: generateImageNode,
  [generateVideoNode.type]: generateVideoNode,
  [cropImageNode.type]: cropImageNode,
  [extractFrameNode.type]: extractFrameNode,
  [resizeImageNode.type]: resizeImageNode,
  [trimVideoNode.type]: trimVideoNode,
  [concatVideosNode.type]: concatVideosNode,
} as const satisfies Record<string, NodeDefinition>;

export type NodeType = keyof typeof NODE_DEFINITIONS;
export type AnyNodeDefinition = (typeof NODE_DEFINITIONS)[NodeType];

// Object.keys loses the literal key types; the cast restores what the object literal guarantees.
export const NodeTypeSchema = z.enum(Object.keys(NODE_DEFINITIONS) as [NodeType, ...NodeType[]]);
export const NODE_TYPES = NodeTypeSchema.options;

export type NodeParams<T extends NodeType> = z.output<(typeof NODE_DEFINITIONS)[T]["params"]>;
export type InputPortId<T extends NodeType> = (typeof NODE_DEFINITIONS)[T]["inputs"][number]["id"];
export type OutputPortId<T extends NodeType> = (typeof NODE_DEFINITIONS)[T]["outputs"][number]["id"];

/** Node types that run as a Trigger.dev task of their own (placement "task"); the task id is the type. */
export type TaskNodeType = { [K in NodeType]: (typeof NODE_DEFINITIONS)[K]["placement"] extends "task" ? K : never }[NodeType];

export function runsAsTask(nodeType: NodeType): nodeType is TaskNodeType {
  return NODE_DEFINITIONS[nodeType].placement === "task";
}

/** Whether the node only hands on a value typed or uploaded on it (see NodeRole). */
export function isSourceNode(node: { type: string }): boolean {
  return getNodeDefinition(node.type)?.role === "source";
}

export function isNodeType(type: string): type is NodeType {
  // hasOwn, not `in`: graph documents come from users, and "constructor" must not count as a type.
  return Object.hasOwn(NODE_DEFINITIONS, type);
}

export function getNodeDefinition<T extends NodeType>(type: T): (typeof NODE_DEFINITIONS)[T];
export function getNodeDefinition(type: string): AnyNodeDefinition | undefined;
export function getNodeDefinition(type: string): AnyNodeDefinition | undefined {
  return isNodeType(type) ? NODE_DEFINITIONS[type] : undefined;
}

export function defaultParams<T extends NodeType>(type: T): NodeParams<T> {
  // TypeScript cannot narrow the union of param schemas by T; the lookup is by the same key.
  return NODE_DEFINITIONS[type].params.parse({}) as NodeParams<T>;
}

/**
 * Whether an output of one type may feed an input of another when the graph is saved.
 * Text may feed number ports because typed text such as "42" or "50%" is a fine number;
 * whether it parses is checked when the node runs.
 */
export function canConnect(sourceType: PortType, targetType: PortType): boolean {
  return sourceType === targetType || (sourceType === "text" && targetType === "number");
}
