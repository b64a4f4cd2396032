import { edge, node } from "./graph-builder";
import type { WorkflowTemplate } from "./types";

/** A generated opening shot, cut to its best half, followed by the product's demo video. */
export const teaserClip: WorkflowTemplate = {
  id: "teaser-clip",
  name: "Teaser clip",
  description: "Prompt → a generated opening shot → trimmed and joined with the demo video into one teaser.",
  graph: (assets) => {
    const prompt = node("shot-prompt", "text", 0, 0, {
      text: "A slow cinematic dolly shot across a minimalist studio at golden hour, dust in the light, ending on an empty pedestal.",
    });
    const demo = node("demo-video", "upload-video", 0, 440, { assetId: assets.videoAssetId ?? null });
    const shot = node("opening-shot", "generate-video", 400, 0, { aspect_ratio: "16:9", duration_seconds: 8, resolution: "720p" });
    const cut = node("opening-cut", "trim-video", 800, 0, { start: 0, end: "50%" });
    const teaser = node("teaser", "concat-videos", 1200, 220, {});
    return {
      nodes: [prompt, demo, shot, cut, teaser],
      edges: [
        edge(prompt, "text", shot, "prompt"),
        edge(shot, "video", cut, "video_url"),
        edge(cut, "output", teaser, "videos"),
        edge(demo, "video", teaser, "videos"),
      ],
    };
  },
};
