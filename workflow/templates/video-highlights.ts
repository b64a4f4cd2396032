import { edge, node } from "./graph-builder";
import type { WorkflowTemplate } from "./types";

/** Two moments of the demo video joined into one clip, and a caption written from a frame of it. */
export const videoHighlights: WorkflowTemplate = {
  id: "video-highlights",
  name: "Video highlights",
  description: "Demo video → two trimmed moments joined into one clip, and a caption from a frame.",
  graph: (assets) => {
    const video = node("demo-video", "upload-video", 0, 0, { assetId: assets.videoAssetId ?? null });
    const opening = node("opening", "trim-video", 400, 0, { start: 0, end: "30%" });
    const finale = node("finale", "trim-video", 400, 400, { start: "60%", end: "90%" });
    const highlights = node("highlights", "concat-videos", 800, 160, {});
    const frame = node("key-frame", "extract-frame", 400, 800, { timestamp: "50%" });
    const prompt = node("caption-prompt", "text", 400, 1040, {
      text: "You are a social media editor. Write a one-sentence caption for a product video, based on this frame.",
    });
    const caption = node("caption", "run-llm", 800, 800, { user_message: "Write the caption." });
    return {
      nodes: [video, opening, finale, highlights, frame, prompt, caption],
      edges: [
        edge(video, "video", opening, "video_url"),
        edge(video, "video", finale, "video_url"),
        edge(opening, "output", highlights, "videos"),
        edge(finale, "output", highlights, "videos"),
        edge(video, "video", frame, "video_url"),
        edge(prompt, "text", caption, "system_prompt"),
        edge(frame, "output", caption, "images"),
      ],
    };
  },
};
