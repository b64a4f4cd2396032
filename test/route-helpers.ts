// Helpers for tests that call route modules' loaders and actions directly (route modules are
// tested from app/.server because every file under app/routes becomes a route).
import { randomUUID } from "node:crypto";
import { createSession, hashToken } from "~/.server/auth.server";
import { db } from "~/.server/db.server";

export const TEST_ORIGIN = "http://localhost";

/** Authenticates like a script would: `Authorization: Bearer <api token>`. */
export async function bearerAuth(userId: string): Promise<Record<string, string>> {
  const token = `weft_${randomUUID()}`;
  await db.apiToken.create({ data: { userId, name: "t", tokenHash: hashToken(token), prefix: "weft_x" } });
  return { Authorization: `Bearer ${token}` };
}

/** Authenticates like the browser does: the session cookie, from our own origin. */
export async function cookieAuth(userId: string): Promise<Record<string, string>> {
  return { Cookie: (await createSession(userId)).split(";")[0], Origin: TEST_ORIGIN };
}

export function jsonRequest(path: string, method: string, headers: Record<string, string>, body?: unknown) {
  return new Request(`${TEST_ORIGIN}${path}`, {
    method,
    headers: body === undefined ? headers : { "Content-Type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Remix hands thrown Responses to the client as they are; tests read either kind the same way. */
export async function respond(run: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
