import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { createSession, getUserId, safeRedirectPath } from "~/.server/auth.server";
import { verifyLogin } from "~/.server/models/user.server";
import { AccountForm, AccountLink, CHECK_FIELDS_MESSAGE, type AccountActionData } from "~/components/account-form";
import { LoginSchema, accountFieldErrors } from "~/lib/account";

export const meta: MetaFunction = () => [{ title: "Log in · Weft" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUserId(request)) throw redirect("/workflows");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = LoginSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    return data<AccountActionData>(
      { formError: CHECK_FIELDS_MESSAGE, fieldErrors: accountFieldErrors(parsed.error) },
      { status: 400 },
    );
  }
  const user = await verifyLogin(parsed.data.email, parsed.data.password);
  if (!user) {
    // One message for both cases, so the form does not reveal which emails have accounts.
    return data<AccountActionData>(
      { formError: "Email or password is incorrect.", invalidFields: ["email", "password"] },
      { status: 401 },
    );
  }
  return redirect(safeRedirectPath(form.get("redirectTo")), {
    headers: { "Set-Cookie": await createSession(user.id) },
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
