import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireUserId } from "~/.server/auth.server";
import { readFormData } from "~/.server/http.server";
import { graphLimits, maxGraphBodyBytes } from "~/.server/graph.server";
import {
  createWorkflow,
  createWorkflowFromTemplate,
  deleteWorkflow,
  duplicateWorkflow,
  listWorkflows,
  renameWorkflow,
} from "~/.server/models/workflow.server";
import { getUserById } from "~/.server/models/user.server";
import { AppHeader } from "~/components/app-header";
import { TemplateChooser } from "~/components/template-chooser";
import { WorkflowListItem, type WorkflowsActionData } from "~/components/workflow-list-item";
import { parseWorkflowDocument } from "~/lib/workflow-document";
import { MAX_WORKFLOW_NAME_LENGTH, WorkflowIdSchema, WorkflowNameSchema } from "~/lib/workflow-fields";
import { formatBytes } from "~workflow/format-bytes";
import { WORKFLOW_TEMPLATES } from "~workflow/templates";

export const meta: MetaFunction = () => [{ title: "Workflows · Weft" }];

const WorkflowsIntentSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("create"), name: WorkflowNameSchema }),
    z.object({ intent: z.literal("template"), templateId: z.string().min(1, "Choose a template.").max(100) }),
    z.object({ intent: z.literal("rename"), workflowId: WorkflowIdSchema, name: WorkflowNameSchema }),
    z.object({ intent: z.literal("duplicate"), workflowId: WorkflowIdSchema }),
    z.object({ intent: z.literal("delete"), workflowId: WorkflowIdSchema }),
    z.object({
      intent: z.literal("import"),
      file: z
        .instanceof(File, { message: "Choose a workflow JSON file to import." })
        .refine((file) => file.size > 0, "Choose a workflow JSON file to import (this one is empty)."),
    }),
  ],
  { error: "This form sent an action the page does not know; reload the page and try again." },
);

export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  const [user, workflows] = await Promise.all([getUserById(userId), listWorkflows(userId)]);
  if (!user) throw redirect("/login");
  const templates = WORKFLOW_TEMPLATES.map((template) => {
    const graph = template.graph({});
    return {
      id: template.id,
      name: template.name,
      description: template.description,
      sketch: {
        nodes: graph.nodes.map((node) => ({ id: node.id, x: node.position.x, y: node.position.y })),
        edges: graph.edges.map((edge) => ({ source: edge.source, target: edge.target })),
      },
    };
  });
  return { email: user.email, workflows, templates, now: new Date() };
}

export async function action({ request }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const form = await readForm(request);
  if (!form) {
    return failure("import", `The file is larger than ${formatBytes(maxGraphBodyBytes())}; it cannot be a workflow Weft can open.`, 413);
  }
  const parsed = WorkflowsIntentSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return failure(stringOrNull(form.get("intent")), parsed.error.issues[0].message, 400);

  const input = parsed.data;
  switch (input.intent) {
    case "create": {
      const workflow = await createWorkflow(userId, { name: input.name, graph: { nodes: [], edges: [] } });
      return redirect(`/workflows/${workflow.id}`);
    }
    case "template": {
      const workflow = await createWorkflowFromTemplate(userId, input.templateId);
      if (!workflow) return failure(input.intent, "There is no such template; reload the page to see the templates on offer.", 404);
      return redirect(`/workflows/${workflow.id}`);
    }
    case "rename":
      return (await renameWorkflow(userId, input.workflowId, input.name)) ? success() : gone(input.intent);
    case "duplicate":
      return (await duplicateWorkflow(userId, input.workflowId)) ? success() : gone(input.intent);
    case "delete":
      return (await deleteWorkflow(userId, input.workflowId)) ? success() : gone(input.intent);
    case "import": {
      let json: unknown;
      try {
        json = JSON.parse(await input.file.text());
      } catch (error) {
        return failure("import", `${input.file.name} is not valid JSON: ${(error as Error).message}`, 400);
      }
      const document = parseWorkflowDocument(json, graphLimits());
      if (!document.ok) {
        return failure("import", `${input.file.name} cannot be imported:`, 400, document.problems.map((p) => p.message));
      }
      const workflow = await createWorkflow(userId, { name: document.name, graph: document.graph });
      return redirect(`/workflows/${workflow.id}`);
    }
  }
}

/** The form data, or null when an uploaded file is over the limit (checked while it streams in). */
async function readForm(request: Request): Promise<FormData | null> {
  if (!request.headers.get("content-type")?.startsWith("multipart/form-data")) return readFormData(request);
  try {
    return await unstable_parseMultipartFormData(
      request,
      unstable_createMemoryUploadHandler({ maxPartSize: maxGraphBodyBytes() }),
    );
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return null;
    throw error;
  }
}

function success() {
  return data<WorkflowsActionData>({ ok: true });
}

function failure(intent: string | null, error: string, status: number, problems?: string[]) {
  return data<WorkflowsActionData>({ ok: false, intent, error, problems }, { status });
}

function gone(intent: string) {
  return failure(intent, "This workflow no longer exists; it may have been deleted in another tab.", 404);
}

function stringOrNull(value: FormDataEntryValue | null) {
  return typeof value === "string" ? value : null;
}

const inputClass =
  "rounded border border-line bg-panel-2 px-3 py-2 text-zinc-100 outline-none focus:border-accent aria-invalid:border-red-500";
const primaryButtonClass =
  "rounded bg-accent px-4 py-2 font-medium text-white hover:bg-accent-strong disabled:cursor-wait disabled:opacity-60";

export default function WorkflowsPage() {
  const { email, workflows, templates, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submittingIntent = navigation.state === "idle" ? null : navigation.formData?.get("intent");
  const errorFor = (intent: string) =>
    actionData && !actionData.ok && actionData.intent === intent ? actionData : undefined;
  const createError = errorFor("create");
  const importError = errorFor("import");

  return (
    <>
      <AppHeader email={email} />
      <main className="mx-auto max-w-4xl p-6">
        <h1 className="text-2xl font-semibold">Workflows</h1>

        <div className="mt-6 grid gap-4 md:grid-cols-2">
          <Form method="post" className="flex flex-col gap-2 rounded-lg border border-line bg-panel p-4">
            <h2 className="font-medium">New workflow</h2>
            <input type="hidden" name="intent" value="create" />
            <label htmlFor="new-workflow-name" className="text-sm text-zinc-300">
              Workflow name
            </label>
            <div className="flex gap-2">
              <input
                id="new-workflow-name"
                name="name"
                required
                maxLength={MAX_WORKFLOW_NAME_LENGTH}
                aria-invalid={createError ? true : undefined}
                aria-describedby={createError ? "new-workflow-error" : undefined}
                className={`${inputClass} min-w-0 flex-1`}
              />
              <button type="submit" className={primaryButtonClass} disabled={submittingIntent === "create"}>
                Create
              </button>
            </div>
            {createError ? (
              <p id="new-workflow-error" role="alert" className="text-sm text-red-300">
                {createError.error}
              </p>
            ) : null}
          </Form>

          <Form
            method="post"
            encType="multipart/form-data"
            className="flex flex-col gap-2 rounded-lg border border-line bg-panel p-4"
          >
            <h2 className="font-medium">Import</h2>
            <input type="hidden" name="intent" value="import" />
            <label htmlFor="import-workflow-file" className="text-sm text-zinc-300">
              Import workflow JSON
            </label>
            <div className="flex gap-2">
              <input
                id="import-workflow-file"
                name="file"
                type="file"
                accept=".json,application/json"
                required
                aria-invalid={importError ? true : undefined}
                aria-describedby={importError ? "import-workflow-error" : undefined}
                className="min-w-0 flex-1 text-sm text-zinc-300 file:mr-3 file:rounded file:border file:border-line file:bg-panel-2 file:px-3 file:py-1.5 file:text-zinc-100"
              />
              <button type="submit" className={primaryButtonClass} disabled={submittingIntent === "import"}>
                Import
              </button>
            </div>
            {importError ? (
              <div id="import-workflow-error" role="alert" className="text-sm text-red-300">
                <p>{importError.error}</p>
                {importError.problems?.length ? (
                  <ul className="mt-1 list-disc space-y-1 pl-5">
                    {importError.problems.map((problem, index) => (
                      <li key={index}>{problem}</li>
                    ))}
                  </ul>
                ) : null}
              </div>
            ) : null}
          </Form>
        </div>

        <TemplateChooser
          templates={templates}
          pendingTemplateId={submittingIntent === "template" ? stringOrNull(navigation.formData?.get("templateId") ?? null) : null}
          error={errorFor("template")?.error}
        />

        <section aria-label="Your workflows" className="mt-8">
          {workflows.length === 0 ? (
            <p className="rounded-lg border border-dashed border-line p-8 text-center text-zinc-400">
              You have no workflows yet. Create one above, or import a workflow file.
            </p>
          ) : (
            <ul className="flex flex-col gap-3">
              {workflows.map((workflow) => (
                <WorkflowListItem key={workflow.id} workflow={workflow} now={now} />
              ))}
            </ul>
          )}
        </section>
      </main>
    </>
  );
}
