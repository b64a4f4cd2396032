import { displayValue, type DisplayValue } from "~/lib/runs/port-values";
import { ExpandableText } from "./expandable-text";
import { ImageThumbnail } from "./lightbox";

/** One recorded input or output: text inline, images as thumbnails opening a lightbox, videos playable. */
export function RunValue({ value, label }: { value: unknown; label: string }) {
  return <DisplayedValue value={displayValue(value)} label={label} />;
}

function DisplayedValue({ value, label }: { value: DisplayValue; label: string }) {
  switch (value.kind) {
    case "empty":
      return <span className="text-[12px] text-zinc-500">—</span>;
    case "text":
      return value.text === "" ? (
        <span className="text-[12px] text-zinc-500">empty</span>
      ) : (
        <ExpandableText text={value.text} className="text-[12px] leading-relaxed text-zinc-200" />
      );
    case "image":
      return <ImageThumbnail url={value.url} alt={label} className="h-20 w-28" />;
    case "video":
      return <video controls preload="metadata" src={value.url} aria-label={label} className="max-h-40 w-full rounded-md border border-line bg-black" />;
    case "list":
      return (
        <div className="flex flex-wrap gap-2">
          {value.items.map((item, index) => (
            <DisplayedValue key={index} value={item} label={`${label} ${index + 1}`} />
          ))}
        </div>
      );
  }
}
