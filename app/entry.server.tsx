import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { startBackgroundServices as startEngineServices } from "./.server/engine/index.server";
import { applyFfmpegLimits } from "./.server/media-limits.server";
import { CspNonceContext } from "./lib/csp-nonce";

// Remix's default Node entry, plus one addition: the exports below. server/index.ts reaches the
// app only through the Remix build, and the build exposes this module as `build.entry.module`,
// so this is how the server starts and stops the app's background work in the same module
// instances the routes use (Vite's in development, build/server in production).
export { stopBackgroundServices } from "./.server/engine/index.server";

/** The engine's background work, after the process-wide ffmpeg limits are set from the environment. */
export async function startBackgroundServices(): Promise<void> {
  applyFfmpegLimits();
  await startEngineServices();
}

const ABORT_DELAY_MS = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // Every inline script the page carries gets the nonce its Content-Security-Policy names (server/http-guards.ts).
  const nonce = loadContext.cspNonce;
  // Crawlers and SPA mode get the whole document at once; browsers get it streamed.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <CspNonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
      </CspNonceContext.Provider>,
      {
        nonce,
        onAllReady: waitForAll ? ready : undefined,
        onShellReady: waitForAll ? undefined : ready,
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell rendered reject above and are logged by Remix.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY_MS);
  });
}
