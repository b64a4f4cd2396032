import { type MediaValue, type NodeInputs, type PortValue, NodeError } from "../types";

export function isMediaValue(value: PortValue | PortValue[] | undefined): value is MediaValue {
  return typeof value === "object" && !Array.isArray(value) && typeof value.assetId === "string";
}

const ARTICLE_AND_KIND = { image: "an image", video: "a video" } as const;

/** The media value on a required input port, or a NodeError saying what to connect. */
export function requireMedia(inputs: NodeInputs, portId: string, kind: MediaValue["kind"]): MediaValue {
  const value = inputs[portId];
  if (value === undefined) throw new NodeError(`Connect ${ARTICLE_AND_KIND[kind]} to this node.`);
  if (!isMediaValue(value) || value.kind !== kind) {
    throw new NodeError(`This node needs ${ARTICLE_AND_KIND[kind]}, but its input received something else.`);
  }
  return value;
}
