import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { methodNotAllowed, readJsonBody } from "~/.server/http.server";
import { createApiToken } from "~/.server/models/api-token.server";
import { CreateApiTokenSchema, tokenExpiry } from "~/lib/account";

// The body is a short name; anything near this size is a mistake or abuse.
const MAX_BODY_BYTES = 4_096;

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(request, ["POST"]);
  // A token may not make tokens: one that leaked could otherwise outlive its revocation.
  const userId = await requireApiUserId(request, { cookieOnly: true });
  const { name, expiresInDays } = await readJsonBody(request, CreateApiTokenSchema, MAX_BODY_BYTES);
  const { token, record } = await createApiToken(userId, name, tokenExpiry(expiresInDays));
  return json(
    {
      token,
      apiToken: { id: record.id, name: record.name, prefix: record.prefix, createdAt: record.createdAt, expiresAt: record.expiresAt },
    },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
}

export function loader({ request }: LoaderFunctionArgs) {
  return methodNotAllowed(request, ["POST"]);
}

