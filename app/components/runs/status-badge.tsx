import type { NodeStatus, RunStatus } from "~workflow/run-progress";
import { NODE_STATUS_LABELS, NODE_STATUS_TONES, RUN_STATUS_LABELS, RUN_STATUS_TONES, type StatusTone } from "~/lib/runs/run-labels";

const TONE_CLASSES: Record<StatusTone, string> = {
  success: "border-emerald-500/50 bg-emerald-500/15 text-emerald-200",
  failure: "border-red-500/50 bg-red-500/15 text-red-200",
  partial: "border-amber-400/50 bg-amber-400/15 text-amber-200",
  running: "border-violet-400/60 bg-violet-500/20 text-violet-100",
  neutral: "border-zinc-600/60 bg-zinc-500/10 text-zinc-300",
};

function Badge({ tone, label, status }: { tone: StatusTone; label: string; status: string }) {
  return (
    <span
      data-status={status}
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full border px-2 py-0.5 text-[11px] font-medium leading-4 ${TONE_CLASSES[tone]}`}
    >
      {tone === "running" ? <span aria-hidden className="h-1.5 w-1.5 animate-ping rounded-full bg-violet-300" /> : null}
      {label}
    </span>
  );
}

/** A run's status: completed green, failed red, partial yellow, running animated, the rest grey. */
export function RunStatusBadge({ status }: { status: RunStatus }) {
  return <Badge tone={RUN_STATUS_TONES[status]} label={RUN_STATUS_LABELS[status]} status={status} />;
}

export function NodeStatusBadge({ status }: { status: NodeStatus }) {
  return <Badge tone={NODE_STATUS_TONES[status]} label={NODE_STATUS_LABELS[status]} status={status} />;
}
