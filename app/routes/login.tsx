import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { authThrottle, tooManyAttempts } from "~/.server/auth-throttle.server";
import { createSession, getUserId, safeRedirectPath } from "~/.server/auth.server";
import { readFormData } from "~/.server/http.server";
import { verifyLogin } from "~/.server/models/user.server";
import { AccountForm, AccountLink, CHECK_FIELDS_MESSAGE, type AccountActionData } from "~/components/account-form";
import { LoginSchema, accountFieldErrors } from "~/lib/account";

export const meta: MetaFunction = () => [{ title: "Log in · Weft" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUserId(request)) throw redirect("/workflows");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const parsed = LoginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return data<AccountActionData>(
      { formError: CHECK_FIELDS_MESSAGE, fieldErrors: accountFieldErrors(parsed.error) },
      { status: 400 },
    );
  }
  const { email, password } = parsed.data;
  const throttle = authThrottle();
  const allowed = throttle.attempt(context.clientAddress ?? "unknown", email);
  if (!allowed.ok) return tooManyAttempts(allowed.retryAfterSeconds);
  const user = await verifyLogin(email, password);
  if (!user) {
    throttle.failed(email);
    // One message for both cases, so the form does not reveal which emails have accounts.
    return data<AccountActionData>(
      { formError: "Email or password is incorrect.", invalidFields: ["email", "password"] },
      { status: 401 },
    );
  }
  throttle.succeeded(email);
  return redirect(safeRedirectPath(form.get("redirectTo")), {
    headers: { "Set-Cookie": await createSession(user.id, request) },
  });
}

export default function LoginPage() {
  return (
    <AccountForm
      title="Log in to Weft"
      submitLabel="Log in"
      passwordAutoComplete="current-password"
      actionData={useActionData<typeof action>()}
      alternative={
        <>
          No account yet? <AccountLink to="/signup">Create an account</AccountLink>
        </>
      }
    />
  );
}
