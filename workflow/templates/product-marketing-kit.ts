import { SAMPLE_WORKFLOW_NAME, sampleWorkflowGraph } from "../sample-workflow";
import type { WorkflowTemplate } from "./types";

/** The sample every new account gets, offered again as a template. */
export const productMarketingKit: WorkflowTemplate = {
  id: "product-marketing-kit",
  name: SAMPLE_WORKFLOW_NAME,
  description: "Product photo and demo video → a product description and a social media post.",
  graph: sampleWorkflowGraph,
};
