import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { authThrottle, tooManyAttempts } from "~/.server/auth-throttle.server";
import { createSession, getUserId, safeRedirectPath } from "~/.server/auth.server";
import { readFormData } from "~/.server/http.server";
import { createUser } from "~/.server/models/user.server";
import { AccountForm, AccountLink, CHECK_FIELDS_MESSAGE, type AccountActionData } from "~/components/account-form";
import { SignupSchema, accountFieldErrors } from "~/lib/account";

export const meta: MetaFunction = () => [{ title: "Create account · Weft" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUserId(request)) throw redirect("/workflows");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const parsed = SignupSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return data<AccountActionData>(
      { formError: CHECK_FIELDS_MESSAGE, fieldErrors: accountFieldErrors(parsed.error) },
      { status: 400 },
    );
  }
  // Each sign-up costs a password hash and a copy of the sample workflow: counted like a login.
  const allowed = authThrottle().attempt(context.clientAddress ?? "unknown");
  if (!allowed.ok) return tooManyAttempts(allowed.retryAfterSeconds);
  const result = await createUser(parsed.data);
  if (!result.ok) {
    return data<AccountActionData>(
      { formError: "An account with this email already exists.", invalidFields: ["email"] },
      { status: 409 },
    );
  }
  return redirect(safeRedirectPath(form.get("redirectTo")), {
    headers: { "Set-Cookie": await createSession(result.user.id, request) },
  });
}

export default function SignupPage() {
  return (
    <AccountForm
      title="Create your account"
      submitLabel="Create account"
      passwordAutoComplete="new-password"
      actionData={useActionData<typeof action>()}
      alternative={
        <>
          Already have an account? <AccountLink to="/login">Log in</AccountLink>
        </>
      }
    />
  );
}
