import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { destroySession } from "~/.server/auth.server";

// The session cookie is SameSite=Lax, so a cross-site POST arrives without it and ends nothing.
export async function action({ request }: ActionFunctionArgs) {
  return redirect("/login", { headers: { "Set-Cookie": await destroySession(request) } });
}

// Logging out changes state, so a plain link or prefetch must not do it.
export function loader() {
  return redirect("/");
}
