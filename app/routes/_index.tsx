import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUserId } from "~/.server/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return redirect((await getUserId(request)) ? "/workflows" : "/login");
}
