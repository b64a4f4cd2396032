import type { Graph } from "../graph";

/** The shipped sample files, stored per account: a template's upload nodes name the copies. */
export interface SampleAssets {
  imageAssetId?: string | null;
  videoAssetId?: string | null;
}

/** A workflow a user can start from ("New from template"); a copy is made for them. */
export interface WorkflowTemplate {
  /** Kebab-case, stable: the workflows page's form sends it. */
  id: string;
  name: string;
  /** One line for the chooser. */
  description: string;
  graph: (assets: SampleAssets) => Graph;
}
