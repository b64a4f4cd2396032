import { useId, useState } from "react";

/** Roughly six lines of a node's or panel's width: longer text starts collapsed. */
const COLLAPSE_OVER_CHARS = 280;
const COLLAPSE_OVER_LINES = 6;

/**
 * Text that may be long (an LLM's answer): collapsed to about six lines, with "Show more";
 * expanded, it scrolls inside a fixed height, so whatever a run produces, the node or panel
 * holding it keeps its size (on the canvas, a growing node would cover the nodes below it).
 */
export function ExpandableText({ text, className = "" }: { text: string; className?: string }) {
  const [expanded, setExpanded] = useState(false);
  const id = useId();
  const long = text.length > COLLAPSE_OVER_CHARS || text.split("\n").length > COLLAPSE_OVER_LINES;
  return (
    <div>
      <p id={id} className={`whitespace-pre-wrap break-words ${long ? (expanded ? "nowheel max-h-60 overflow-y-auto" : "line-clamp-6") : ""} ${className}`}>
        {text}
      </p>
      {long ? (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded((value) => !value)}
          className="nodrag mt-1 text-[11px] font-medium text-violet-300 hover:text-violet-200"
        >
          {expanded ? "Show less" : "Show more"}
        </button>
      ) : null}
    </div>
  );
}
