import { lifestyleScenes } from "./lifestyle-scenes";
import { productMarketingKit } from "./product-marketing-kit";
import { teaserClip } from "./teaser-clip";
import type { WorkflowTemplate } from "./types";
import { videoHighlights } from "./video-highlights";

export type { SampleAssets, WorkflowTemplate } from "./types";

/** The templates "New from template" offers, in this order: adding one is its module and a line here. */
export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [productMarketingKit, lifestyleScenes, teaserClip, videoHighlights];

export function findTemplate(id: string): WorkflowTemplate | undefined {
  return WORKFLOW_TEMPLATES.find((template) => template.id === id);
}

export { productMarketingKit };
