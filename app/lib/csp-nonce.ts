import { createContext, useContext } from "react";

/**
 * The response's CSP nonce, provided by app/entry.server.tsx while rendering on the server. In
 * the browser it is empty: the scripts Remix renders there are not parsed as HTML, and browsers
 * hide a nonce attribute's value from scripts anyway.
 */
export const CspNonceContext = createContext<string | undefined>(undefined);

export function useCspNonce() {
  return useContext(CspNonceContext);
}
