// What server/remix-handler.ts puts in every loader's and action's `context`. Optional, so
// tests (which call route functions with `context: {}`) and a bare Remix server still type-check.
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address, as Express resolves it (`TRUST_PROXY` decides whether proxies are believed). */
    clientAddress?: string;
    /** The nonce this response's Content-Security-Policy allows inline scripts with (production). */
    cspNonce?: string;
  }
}

export {};
