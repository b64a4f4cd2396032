import { z } from "zod";
import { defineNode } from "./types";

export const concatVideosNode = defineNode({
  type: "concat-videos",
  label: "Concat Videos",
  description:
    "Joins videos one after another, in the order of their connections; each clip is scaled (with a border where needed) to the first one's size and frame rate.",
  category: "media",
  role: "compute",
  placement: "task",
  executorVersion: 1,
  inputs: [{ id: "videos", label: "Videos", type: "video", required: true, multiple: true }],
  outputs: [{ id: "output", label: "Joined video", type: "video" }],
  params: z.object({}),
});
