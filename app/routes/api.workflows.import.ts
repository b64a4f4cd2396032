import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireApiUserId } from "~/.server/auth.server";
import { graphLimits, maxGraphBodyBytes, summarizeProblems } from "~/.server/graph.server";
import { apiError, methodNotAllowed, readJsonBody } from "~/.server/http.server";
import { createWorkflow } from "~/.server/models/workflow.server";
import { parseWorkflowDocument } from "~/lib/workflow-document";

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, ["POST"]);
  const userId = await requireApiUserId(request);
  // Any JSON is accepted here; parseWorkflowDocument explains what is wrong with it.
  const body = await readJsonBody(request, z.unknown(), maxGraphBodyBytes());
  const document = parseWorkflowDocument(body, graphLimits());
  if (!document.ok) {
    return apiError(400, "invalid_document", `This file cannot be imported: ${summarizeProblems(document.problems)}`, {
      problems: document.problems,
    });
  }
  const workflow = await createWorkflow(userId, { name: document.name, graph: document.graph });
  return json({ workflow }, { status: 201 });
}

export function loader({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request, ["POST"]);
}
