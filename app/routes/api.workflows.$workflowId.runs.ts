import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiUserId } from "~/.server/auth.server";
import { methodNotAllowed, parseParams, readJsonBody } from "~/.server/http.server";
import { createRun, decodeRunCursor, listRuns, RunRequestSchema } from "~/.server/models/run.server";
import { invalidQueryError, startRunResponse } from "~/.server/run-responses.server";
import { workflowNotFoundError } from "~/.server/workflow-api.server";
import { WorkflowIdParamsSchema } from "~/lib/workflow-fields";

const ListRunsQuerySchema = z.object({
  cursor: z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      const cursor = decodeRunCursor(value);
      if (!cursor) context.addIssue({ code: "custom", message: "is not a cursor this API handed out; leave it out to start from the newest run." });
      return cursor ?? undefined;
    }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const userId = await requireApiUserId(request);
  const { workflowId } = parseParams(params, WorkflowIdParamsSchema);
  const query = ListRunsQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return invalidQueryError(query.error);
  const page = await listRuns(userId, workflowId, query.data);
  if (!page) return workflowNotFoundError();
  return json(page);
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, ["GET", "POST"]);
  const userId = await requireApiUserId(request);
  const { workflowId } = parseParams(params, WorkflowIdParamsSchema);
  const body = await readJsonBody(request, RunRequestSchema);
  const result = await createRun(userId, workflowId, body);
  if (result.status === "not_found") return workflowNotFoundError();
  return startRunResponse(request, result);
}
