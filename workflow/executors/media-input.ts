import { isMediaValue, type MediaValue, type NodeInputs } from "../values";
import { NodeError } from "../execution";

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

/** The picture size recorded with the file, if any; executors probe the file only without it. */
export function knownSize(media: MediaValue): { width: number; height: number } | undefined {
  const { width, height } = media;
  return width && height ? { width, height } : undefined;
}

/** A video's duration and frame rate recorded with the file, if both are. */
export function knownTiming(media: MediaValue): { durationSeconds: number; frameRate: number } | undefined {
  const { durationSeconds, frameRate } = media;
  return durationSeconds && frameRate ? { durationSeconds, frameRate } : undefined;
}
