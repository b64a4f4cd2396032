import { edge, node } from "./graph-builder";
import type { WorkflowTemplate } from "./types";

const SCENE = "Keep the product exactly as it is in the photo: same shape, colours and logo.";

/** The product photo placed in three generated scenes, each sized for the format it is made for. */
export const lifestyleScenes: WorkflowTemplate = {
  id: "lifestyle-scenes",
  name: "Lifestyle scenes",
  description: "Product photo → three generated lifestyle scenes → resized for a feed post, a story and a banner.",
  graph: (assets) => {
    const photo = node("product-photo", "upload-image", 0, 440, { assetId: assets.imageAssetId ?? null });
    const feedScene = node("feed-scene", "generate-image", 400, 0, {
      aspect_ratio: "1:1",
      prompt: `A lifestyle photo of this product on a light oak desk in a sunny home office, soft morning light. ${SCENE}`,
    });
    const storyScene = node("story-scene", "generate-image", 400, 440, {
      aspect_ratio: "9:16",
      prompt: `A lifestyle photo of a person wearing this product on a city street at dusk, vertical framing. ${SCENE}`,
    });
    const bannerScene = node("banner-scene", "generate-image", 400, 880, {
      aspect_ratio: "16:9",
      prompt: `A wide lifestyle photo of this product on a café table by a window, space on the left for a headline. ${SCENE}`,
    });
    const feedPost = node("feed-post", "resize-image", 800, 0, { width: 1080, height: 1080, fit: "cover", format: "jpeg" });
    const story = node("story", "resize-image", 800, 440, { width: 1080, height: 1920, fit: "cover", format: "jpeg" });
    const banner = node("banner", "resize-image", 800, 880, { width: 1200, height: 628, fit: "cover", format: "jpeg" });
    return {
      nodes: [photo, feedScene, storyScene, bannerScene, feedPost, story, banner],
      edges: [
        edge(photo, "image", feedScene, "images"),
        edge(photo, "image", storyScene, "images"),
        edge(photo, "image", bannerScene, "images"),
        edge(feedScene, "image", feedPost, "image_url"),
        edge(storyScene, "image", story, "image_url"),
        edge(bannerScene, "image", banner, "image_url"),
      ],
    };
  },
};
