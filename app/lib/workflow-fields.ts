import { z } from "zod";

// A workflow's fields as forms, API bodies, URLs and imported files give them; one definition each.

export const MAX_WORKFLOW_NAME_LENGTH = 120;

export const WorkflowNameSchema = z
  .string({ error: "Give the workflow a name." })
  .trim()
  .min(1, "Give the workflow a name.")
  .max(MAX_WORKFLOW_NAME_LENGTH, `Keep the workflow name to ${MAX_WORKFLOW_NAME_LENGTH} characters or fewer.`);

/** Ids are cuids; the bound only keeps nonsense from reaching the database. */
export const WorkflowIdSchema = z.string().min(1).max(64);

/** Route params of `…/$workflowId` routes; anything else cannot name a workflow (404). */
export const WorkflowIdParamsSchema = z.object({ workflowId: WorkflowIdSchema });
