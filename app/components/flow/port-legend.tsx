import { PortTypeSchema } from "~workflow/nodes/types";
import { PORT_COLORS, PORT_TYPE_LABELS } from "./port-styles";

/** What the handle colours mean (each handle's tooltip says it too). */
export function PortLegend() {
  return (
    <ul aria-label="Port types" className="grid grid-cols-2 gap-x-3 gap-y-1.5 text-xs text-zinc-400">
      {PortTypeSchema.options.map((type) => (
        <li key={type} className="flex items-center gap-2">
          <span
            aria-hidden
            className="h-2.5 w-2.5 rounded-full ring-2 ring-canvas"
            style={{ background: PORT_COLORS[type] }}
          />
          {PORT_TYPE_LABELS[type]}
        </li>
      ))}
    </ul>
  );
}
