import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useState } from "react";

/** What the run page's action answers: the new link's URL, or null once the link is revoked. */
export interface ShareActionData {
  shareUrl: string | null;
}

const buttonClass =
  "rounded-md border border-line bg-panel-2 px-3 py-1 text-sm font-medium text-zinc-200 hover:border-accent hover:text-white disabled:opacity-50";

/**
 * The owner's share link: make one, copy it, replace it, revoke it. A link's URL is shown only
 * right after it is made (only its hash is stored); later the page can only say that one exists.
 */
export function ShareControls({ shared }: { shared: boolean }) {
  const fetcher = useFetcher<ShareActionData>();
  const [dismissedUrl, setDismissedUrl] = useState<string | null>(null);
  const busy = fetcher.state !== "idle";
  const madeUrl = fetcher.data?.shareUrl ?? null;
  const shareUrl = madeUrl === dismissedUrl ? null : madeUrl;
  const linkLive = shared || madeUrl !== null;

  return (
    <fetcher.Form method="post" className="relative">
      <div className="flex items-center gap-2">
        {linkLive && !shareUrl ? <span className="text-xs text-zinc-400">Shared by link</span> : null}
        {shareUrl ? null : (
          <button type="submit" name="intent" value="share" disabled={busy} className={buttonClass}>
            {linkLive ? "New link" : "Share"}
          </button>
        )}
        {linkLive ? (
          <button
            type="submit"
            name="intent"
            value="revoke"
            disabled={busy}
            className="rounded-md border border-red-500/40 px-3 py-1 text-sm font-medium text-red-200 hover:bg-red-500/15 disabled:opacity-50"
          >
            Revoke link
          </button>
        ) : null}
      </div>
      {shareUrl ? <ShareLink url={shareUrl} onDone={() => setDismissedUrl(shareUrl)} /> : null}
    </fetcher.Form>
  );
}

function ShareLink({ url, onDone }: { url: string; onDone: () => void }) {
  const inputId = useId();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2_000);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // Without clipboard access (an insecure origin, a refused permission) the text is selected to copy by hand.
      document.getElementById(inputId)?.focus();
    }
  };

  return (
    <div className="absolute right-0 top-full z-20 mt-2 flex w-[34rem] max-w-[90vw] flex-col gap-1.5 rounded-lg border border-accent/50 bg-panel-2 p-3 shadow-2xl">
      <label htmlFor={inputId} className="text-xs text-zinc-300">
        Share link: anyone with it can see this run, its outputs and its files.
      </label>
      <div className="flex gap-2">
        <input
          id={inputId}
          readOnly
          value={url}
          onFocus={(event) => event.currentTarget.select()}
          className="min-w-0 flex-1 rounded-md border border-line bg-canvas px-2 py-1 font-mono text-xs text-zinc-100 outline-none focus:border-accent"
        />
        <button type="button" onClick={() => void copy()} className={buttonClass}>
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" onClick={onDone} className={buttonClass}>
          Done
        </button>
      </div>
    </div>
  );
}
