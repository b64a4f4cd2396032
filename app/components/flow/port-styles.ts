import type { NodeCategory, PortType } from "~workflow/nodes/types";

/** One colour per port type, shared by handles, the legend and the minimap. */
export const PORT_COLORS: Record<PortType, string> = {
  text: "#4ade80",
  number: "#fbbf24",
  image: "#38bdf8",
  video: "#f472b6",
};

export const PORT_TYPE_LABELS: Record<PortType, string> = {
  text: "Text",
  number: "Number",
  image: "Image",
  video: "Video",
};

/** Header accent per node category: inputs, AI and media processing read apart at a glance. */
export const CATEGORY_COLORS: Record<NodeCategory, string> = {
  input: "#22d3ee",
  ai: "#a78bfa",
  media: "#fb923c",
};
