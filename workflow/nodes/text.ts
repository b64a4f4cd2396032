import { z } from "zod";
import { defineNode, MAX_TEXT_LENGTH } from "./types";

export const textNode = defineNode({
  type: "text",
  label: "Text",
  description: "A block of text typed on the node, such as a prompt or product details.",
  category: "input",
  role: "source",
  placement: "orchestrator",
  executorVersion: 1,
  inputs: [],
  outputs: [{ id: "text", label: "Text", type: "text" }],
  params: z.object({
    text: z.string().max(MAX_TEXT_LENGTH).default(""),
  }),
});
