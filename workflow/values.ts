import { z } from "zod";
import { UsageSchema } from "./cost/usage";

// What travels along an edge, written once: the executors produce these, the Trigger.dev tasks
// check their children's outputs with these schemas, and the browser reads run records with them.

/** A file produced or uploaded in Weft, referenced by its asset id; bytes live in storage. */
export const MediaValueSchema = z.object({
  kind: z.enum(["image", "video"]),
  assetId: z.string().min(1),
  /** Where the owner's browser fetches it (served by the app, owner-only). */
  url: z.string(),
  mime: z.string(),
  sha256: z.string(),
  // Facts about the file read when it was stored, so executors need not run ffprobe again.
  // Optional: values stored before they were recorded lack them, and executors probe the file then.
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  /** Videos: the length in seconds, when the file states it. */
  durationSeconds: z.number().positive().optional(),
  /** Videos: frames per second, when the file states it. */
  frameRate: z.number().positive().optional(),
});
export type MediaValue = z.infer<typeof MediaValueSchema>;
export type MediaKind = MediaValue["kind"];

/** Text, a number, or a media file. */
export const PortValueSchema = z.union([z.string(), z.number(), MediaValueSchema]);
export type PortValue = z.infer<typeof PortValueSchema>;

/** A node's outputs, by output port id. */
export const NodeOutputsSchema = z.record(z.string(), PortValueSchema);
export type NodeOutputs = z.infer<typeof NodeOutputsSchema>;

/**
 * What a node task (a node executed as a Trigger.dev child run) returns: its outputs, and every
 * usage its executor reported, in order (none for a free node). The orchestrator hands the usage
 * to the run, which prices it and checks its caps as it does for a node executed in-process.
 */
export const NodeTaskOutputSchema = z.object({ outputs: NodeOutputsSchema, usage: z.array(UsageSchema) });
export type NodeTaskOutput = z.infer<typeof NodeTaskOutputSchema>;

/**
 * A node's resolved inputs, by input port id: the upstream value for a connected port (a list
 * for ports that take many edges), otherwise the value typed on the node.
 */
export const NodeInputsSchema = z.record(z.string(), z.union([PortValueSchema, z.array(PortValueSchema)]).optional());
export type NodeInputs = z.infer<typeof NodeInputsSchema>;

/** Whether a port value (or anything read back from JSON) is a media file rather than text or a number. */
export function isMediaValue(value: unknown): value is MediaValue {
  if (typeof value !== "object" || value === null) return false;
  const media = value as Record<string, unknown>;
  return (
    (media.kind === "image" || media.kind === "video") &&
    typeof media.assetId === "string" &&
    typeof media.url === "string" &&
    typeof media.sha256 === "string"
  );
}
