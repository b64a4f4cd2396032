import { useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";

/**
 * An image thumbnail that opens the image full size over the page. The overlay is drawn in
 * document.body: inside the canvas, React Flow's zoom transform would shrink and clip it.
 */
export function ImageThumbnail({ url, alt, className = "" }: { url: string; alt: string; className?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label={`Open ${alt} full size`}
        className={`nodrag block overflow-hidden rounded-md border border-line bg-black/40 hover:border-accent ${className}`}
      >
        <img src={url} alt={alt} loading="lazy" className="h-full w-full object-contain" />
      </button>
      {open ? <Lightbox url={url} alt={alt} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function Lightbox({ url, alt, onClose }: { url: string; alt: string; onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      previous?.focus();
    };
  }, [onClose]);

  return createPortal(
    <div
      role="dialog"
      aria-modal="true"
      aria-label={alt}
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/80 p-8 backdrop-blur-sm"
      onClick={(event) => {
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <img src={url} alt={alt} className="max-h-full max-w-full rounded-lg border border-line object-contain shadow-2xl" />
      <div className="absolute right-4 top-4 flex gap-2">
        <a
          href={url}
          target="_blank"
          rel="noreferrer"
          className="rounded-md border border-line bg-panel px-3 py-1.5 text-sm text-zinc-200 hover:text-white"
        >
          Open original
        </a>
        <button
          ref={closeRef}
          type="button"
          onClick={onClose}
          className="rounded-md border border-line bg-panel px-3 py-1.5 text-sm text-zinc-200 hover:text-white"
        >
          Close
        </button>
      </div>
    </div>,
    document.body,
  );
}
