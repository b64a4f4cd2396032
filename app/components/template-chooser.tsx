import { Form } from "@remix-run/react";
import { useId, useState } from "react";
import type { SketchInput } from "~/lib/graph-sketch";
import { GraphSketch } from "./graph-sketch";

export interface TemplateEntry {
  id: string;
  name: string;
  description: string;
  sketch: SketchInput;
}

/** "New from template": each template by its name, one line and a sketch; choosing one opens a copy. */
export function TemplateChooser({
  templates,
  pendingTemplateId,
  error,
}: {
  templates: TemplateEntry[];
  pendingTemplateId: string | null;
  error?: string;
}) {
  const [open, setOpen] = useState(false);
  // Open while an error is shown, so it is seen beside the templates it is about.
  const shown = open || Boolean(error);
  const listId = useId();
  return (
    <section aria-label="New from template" className="mt-4 rounded-lg border border-line bg-panel p-4">
      <div className="flex items-center gap-3">
        <h2 className="font-medium">New from template</h2>
        <button
          type="button"
          aria-expanded={shown}
          aria-controls={listId}
          onClick={() => setOpen(!shown)}
          className="ml-auto rounded border border-line px-3 py-1 text-sm text-zinc-200 hover:bg-panel-2"
        >
          {shown ? "Hide templates" : "Choose a template"}
        </button>
      </div>
      {error ? (
        <p role="alert" className="mt-2 text-sm text-red-300">
          {error}
        </p>
      ) : null}
      {shown ? (
        <ul id={listId} aria-label="Templates" className="mt-3 grid gap-3 md:grid-cols-2">
          {templates.map((template) => (
            <li key={template.id} className="flex gap-3 rounded-md border border-line bg-panel-2 p-3">
              <GraphSketch graph={template.sketch} className="h-20 w-32 shrink-0" />
              <div className="flex min-w-0 flex-1 flex-col gap-1">
                <h3 className="truncate text-sm font-medium text-zinc-100">{template.name}</h3>
                <p className="text-xs text-zinc-400">{template.description}</p>
                <Form method="post" className="mt-auto">
                  <input type="hidden" name="intent" value="template" />
                  <input type="hidden" name="templateId" value={template.id} />
                  <button
                    type="submit"
                    aria-label={`Use ${template.name}`}
                    disabled={pendingTemplateId !== null}
                    className="rounded bg-accent px-3 py-1 text-sm font-medium text-white hover:bg-accent-strong disabled:cursor-wait disabled:opacity-60"
                  >
                    {pendingTemplateId === template.id ? "Creating…" : "Use template"}
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
