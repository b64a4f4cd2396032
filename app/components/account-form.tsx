import { Form, Link, useNavigation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import type { AccountFieldErrors } from "~/lib/account";

type AccountField = keyof AccountFieldErrors;

/** What the sign-up and login actions answer when they do not redirect. */
export interface AccountActionData {
  /** The one message announced to assistive technology. */
  formError: string;
  fieldErrors?: AccountFieldErrors;
  /** Fields to mark invalid whose message is the form error itself (e.g. a taken email). */
  invalidFields?: AccountField[];
}

export const CHECK_FIELDS_MESSAGE = "Check the fields marked below.";

/** The sign-up and login page: one card, the same fields, different wording. */
export function AccountForm({
  title,
  submitLabel,
  passwordAutoComplete,
  actionData,
  alternative,
}: {
  title: string;
  submitLabel: string;
  passwordAutoComplete: "new-password" | "current-password";
  actionData: AccountActionData | undefined;
  /** The link to the other page, e.g. "No account yet? Sign up". */
  alternative: ReactNode;
}) {
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo");
  const submitting = navigation.state === "submitting";

  const isInvalid = (field: AccountField) =>
    Boolean(actionData?.fieldErrors?.[field]) || Boolean(actionData?.invalidFields?.includes(field));

  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg border border-line bg-panel p-8 shadow-xl">
        <p className="text-lg font-semibold tracking-tight text-accent">Weft</p>
        <h1 className="mt-2 text-2xl font-semibold">{title}</h1>
        {/* noValidate: the server's messages are the ones people see, the same with or without JavaScript. */}
        <Form method="post" noValidate className="mt-6 flex flex-col gap-4">
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          {actionData ? (
            <div role="alert" className="rounded border border-red-500/40 bg-red-500/10 px-3 py-2 text-sm text-red-200">
              {actionData.formError}
            </div>
          ) : null}
          <TextField
            name="email"
            label="Email"
            type="email"
            autoComplete="email"
            invalid={isInvalid("email")}
            error={actionData?.fieldErrors?.email}
          />
          <TextField
            name="password"
            label="Password"
            type="password"
            autoComplete={passwordAutoComplete}
            invalid={isInvalid("password")}
            error={actionData?.fieldErrors?.password}
          />
          <button
            type="submit"
            disabled={submitting}
            className="mt-2 rounded bg-accent px-4 py-2 font-medium text-white hover:bg-accent-strong disabled:cursor-wait disabled:opacity-60"
          >
            {submitLabel}
          </button>
        </Form>
        <p className="mt-6 text-sm text-zinc-400">{alternative}</p>
      </div>
    </main>
  );
}

/** A link to the other account page that keeps where the person was going. */
export function AccountLink({ to, children }: { to: "/login" | "/signup"; children: ReactNode }) {
  const [searchParams] = useSearchParams();
  const redirectTo = searchParams.get("redirectTo");
  const href = redirectTo ? `${to}?${new URLSearchParams({ redirectTo })}` : to;
  return (
    <Link to={href} className="text-accent underline hover:text-zinc-100">
      {children}
    </Link>
  );
}

function TextField({
  name,
  label,
  type,
  autoComplete,
  invalid,
  error,
}: {
  name: AccountField;
  label: string;
  type: "email" | "password";
  autoComplete: string;
  invalid: boolean;
  error: string | undefined;
}) {
  const inputId = `${name}-input`;
  const errorId = `${name}-error`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={inputId} className="text-sm text-zinc-300">
        {label}
      </label>
      <input
        id={inputId}
        name={name}
        type={type}
        autoComplete={autoComplete}
        required
        aria-invalid={invalid || undefined}
        aria-describedby={error ? errorId : undefined}
        className="rounded border border-line bg-panel-2 px-3 py-2 text-zinc-100 outline-none focus:border-accent aria-invalid:border-red-500"
      />
      {error ? (
        <p id={errorId} className="text-sm text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}
