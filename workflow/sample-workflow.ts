import type { Graph } from "./graph";
import { edge, node } from "./templates/graph-builder";
import type { SampleAssets } from "./templates/types";

export const SAMPLE_WORKFLOW_NAME = "Product Marketing Kit";

/**
 * The workflow every new account starts with (PRODUCT.md, "Sample workflow"). Two branches, a
 * product photo and a product video, converge on the final LLM, which therefore runs last.
 * Asset ids are passed in because the shipped sample files are stored per account.
 * The positions leave room for each node's bounded result area (an LLM's answer expanded,
 * a thumbnail), so a run never makes two nodes overlap (e2e/canvas-results.spec.ts).
 */
export function sampleWorkflowGraph(assets: SampleAssets = {}): Graph {
  const photo = node("product-photo", "upload-image", 0, 0, { assetId: assets.imageAssetId ?? null });
  const crop = node("crop-product", "crop-image", 400, 0, {
    x_percent: 10,
    y_percent: 10,
    width_percent: 80,
    height_percent: 80,
  });
  const copywriterPrompt = node("copywriter-prompt", "text", 400, 380, {
    text: "You are a professional marketing copywriter. Generate a compelling one-paragraph product description.",
  });
  const productDetails = node("product-details", "text", 400, 640, {
    text: "Product: Wireless Bluetooth Headphones. Features: Noise cancellation, 30-hour battery, foldable design.",
  });
  const description = node("product-description", "run-llm", 800, 240, {});
  const video = node("product-video", "upload-video", 0, 920, { assetId: assets.videoAssetId ?? null });
  const frame = node("video-frame", "extract-frame", 400, 920, { timestamp: "50%" });
  const socialPrompt = node("social-media-prompt", "text", 800, 880, {
    text: "You are a social media manager. Create a tweet-length marketing post based on the product image and video frame.",
  });
  const post = node("social-media-post", "run-llm", 1200, 520, {});

  return {
    nodes: [photo, crop, copywriterPrompt, productDetails, description, video, frame, socialPrompt, post],
    edges: [
      edge(photo, "image", crop, "image_url"),
      edge(copywriterPrompt, "text", description, "system_prompt"),
      edge(productDetails, "text", description, "user_message"),
      edge(crop, "output", description, "images"),
      edge(video, "video", frame, "video_url"),
      edge(socialPrompt, "text", post, "system_prompt"),
      edge(description, "output", post, "user_message"),
      edge(crop, "output", post, "images"),
      edge(frame, "output", post, "images"),
    ],
  };
}
