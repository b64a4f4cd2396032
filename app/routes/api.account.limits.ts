import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireApiUserId } from "~/.server/auth.server";
import { accountLimits, setAccountLimits } from "~/.server/cost/cost.server";
import { methodNotAllowed, readJsonBody } from "~/.server/http.server";
import { AccountLimitsSchema } from "~/lib/budget";

/** `GET /api/account/limits`: the account's monthly budget and per-run cap (null = none). */
export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await requireApiUserId(request);
  return json({ limits: await accountLimits(userId) });
}

/** `PUT /api/account/limits {monthlyUsd?, perRunUsd?}`. */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "PUT") return methodNotAllowed(request, ["GET", "PUT"]);
  const userId = await requireApiUserId(request);
  const body = await readJsonBody(request, AccountLimitsSchema);
  return json({ limits: await setAccountLimits(userId, body) });
}
