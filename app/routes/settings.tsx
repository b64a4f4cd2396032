import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef, useState } from "react";
import { z } from "zod";
import { requireUserId } from "~/.server/auth.server";
import { readFormData } from "~/.server/http.server";
import { createApiToken, listApiTokens, revokeApiToken } from "~/.server/models/api-token.server";
import { storageUsage } from "~/.server/models/asset.server";
import { getUserById } from "~/.server/models/user.server";
import { AppHeader } from "~/components/app-header";
import { SpendingSection } from "~/components/spending-section";
import { accountLimits, setAccountLimits, spendThisMonth } from "~/.server/cost/cost.server";
import { LimitUsdFieldSchema } from "~/lib/budget";
import { formatBytes } from "~workflow/format-bytes";
import { API_TOKEN_EXPIRY_DAYS, ApiTokenExpiryDaysSchema, ApiTokenNameSchema, tokenExpiry } from "~/lib/account";

export const meta: MetaFunction = () => [{ title: "Settings · Weft" }];

const SettingsActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("create"),
      name: ApiTokenNameSchema,
      // The form's "Never" option sends an empty value.
      expiresInDays: z.preprocess((value) => (value === "" ? undefined : value), ApiTokenExpiryDaysSchema.optional()),
    }),
    z.object({ intent: z.literal("revoke"), tokenId: z.string().min(1, "Choose a token to revoke.") }),
    z.object({
      intent: z.literal("limits"),
      monthlyUsd: LimitUsdFieldSchema,
      perRunUsd: LimitUsdFieldSchema,
    }),
  ],
  { error: "Unknown action; reload the page and try again." },
);

type SettingsActionData =
  | { intent: "create"; created: { name: string; token: string } }
  | { intent: "create" | "revoke" | "limits"; error: string }
  | { intent: "revoke"; revoked: true }
  | { intent: "limits"; saved: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const userId = await requireUserId(request);
  const [user, tokens, storage, limits, spend] = await Promise.all([
    getUserById(userId),
    listApiTokens(userId),
    storageUsage(userId),
    accountLimits(userId),
    spendThisMonth(userId),
  ]);
  if (!user) throw redirect("/login");
  return { email: user.email, tokens, storage, limits, spend };
}

export async function action({ request }: ActionFunctionArgs) {
  const userId = await requireUserId(request);
  const form = Object.fromEntries(await readFormData(request));
  const parsed = SettingsActionSchema.safeParse(form);
  if (!parsed.success) {
    const intent = form.intent === "revoke" ? "revoke" : form.intent === "limits" ? "limits" : "create";
    const issue = parsed.error.issues[0];
    const field = issue.path[0] === "monthlyUsd" ? "The monthly budget " : issue.path[0] === "perRunUsd" ? "The per-run cap " : "";
    return data<SettingsActionData>({ intent, error: `${field}${issue.message}` }, { status: 400 });
  }
  if (parsed.data.intent === "limits") {
    await setAccountLimits(userId, { monthlyUsd: parsed.data.monthlyUsd, perRunUsd: parsed.data.perRunUsd });
    return data<SettingsActionData>({ intent: "limits", saved: true });
  }
  if (parsed.data.intent === "create") {
    const { token, record } = await createApiToken(userId, parsed.data.name, tokenExpiry(parsed.data.expiresInDays));
    return data<SettingsActionData>({ intent: "create", created: { name: record.name, token } }, { status: 201 });
  }
  if (!(await revokeApiToken(userId, parsed.data.tokenId))) {
    return data<SettingsActionData>(
      { intent: "revoke", error: "That token no longer exists; it may have been revoked already." },
      { status: 404 },
    );
  }
  return data<SettingsActionData>({ intent: "revoke", revoked: true });
}

export default function SettingsPage() {
  const { email, tokens, storage, limits, spend } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const creating = navigation.state === "submitting" && navigation.formData?.get("intent") === "create";

  const created = actionData && "created" in actionData ? actionData.created : null;
  const createError = actionData?.intent === "create" && "error" in actionData ? actionData.error : null;
  const revokeError = actionData?.intent === "revoke" && "error" in actionData ? actionData.error : null;

  return (
    <>
      <AppHeader email={email} />
      <main className="mx-auto max-w-3xl p-6">
        <h1 className="text-2xl font-semibold">Settings</h1>

        <section aria-labelledby="storage-heading" className="mt-8 rounded-lg border border-line bg-panel p-6">
          <h2 id="storage-heading" className="text-lg font-semibold">
            Storage
          </h2>
          <p className="mt-1 text-sm text-zinc-400">Your uploads and the files your runs made.</p>
          <p className="mt-3 text-sm text-zinc-200">
            {formatBytes(storage.usedBytes)} of {formatBytes(storage.quotaBytes)} used
          </p>
          <meter
            aria-label="Storage used"
            className="mt-2 h-2 w-full"
            min={0}
            max={storage.quotaBytes}
            value={storage.usedBytes}
            high={storage.quotaBytes * 0.9}
          />
        </section>

        <SpendingSection
          limits={limits}
          spend={spend}
          saving={navigation.state === "submitting" && navigation.formData?.get("intent") === "limits"}
          result={actionData?.intent === "limits" ? ("error" in actionData ? { error: actionData.error } : { saved: true }) : null}
        />

        <section aria-labelledby="api-tokens-heading" className="mt-8 rounded-lg border border-line bg-panel p-6">
          <h2 id="api-tokens-heading" className="text-lg font-semibold">
            API tokens
          </h2>
          <p className="mt-1 text-sm text-zinc-400">
            Send a token as <code className="text-zinc-200">Authorization: Bearer &lt;token&gt;</code> to use the
            JSON API as yourself.
          </p>

          {/* Keyed by the new token so the name field starts empty again after each creation. */}
          <Form method="post" className="mt-4 flex items-end gap-3" key={created?.token ?? "new"}>
            <input type="hidden" name="intent" value="create" />
            <div className="flex flex-1 flex-col gap-1">
              <label htmlFor="token-name" className="text-sm text-zinc-300">
                Token name
              </label>
              <input
                id="token-name"
                name="name"
                required
                maxLength={100}
                placeholder="e.g. CI pipeline"
                aria-invalid={createError ? true : undefined}
                aria-describedby={createError ? "token-name-error" : undefined}
                className="rounded border border-line bg-panel-2 px-3 py-2 text-zinc-100 outline-none focus:border-accent aria-invalid:border-red-500"
              />
            </div>
            <div className="flex flex-col gap-1">
              <label htmlFor="token-expiry" className="text-sm text-zinc-300">
                Expires
              </label>
              <select
                id="token-expiry"
                name="expiresInDays"
                defaultValue="90"
                className="rounded border border-line bg-panel-2 px-3 py-2 text-zinc-100 outline-none focus:border-accent"
              >
                {API_TOKEN_EXPIRY_DAYS.map((days) => (
                  <option key={days} value={days}>
                    in {days} days
                  </option>
                ))}
                <option value="">never</option>
              </select>
            </div>
            <button
              type="submit"
              disabled={creating}
              className="rounded bg-accent px-4 py-2 font-medium text-white hover:bg-accent-strong disabled:cursor-wait disabled:opacity-60"
            >
              Create token
            </button>
          </Form>
          {createError ? (
            <p id="token-name-error" role="alert" className="mt-2 text-sm text-red-300">
              {createError}
            </p>
          ) : null}

          {created ? <NewToken name={created.name} token={created.token} /> : null}

          {revokeError ? (
            <p role="alert" className="mt-4 text-sm text-red-300">
              {revokeError}
            </p>
          ) : null}

          {tokens.length === 0 ? (
            <p className="mt-6 text-sm text-zinc-400">You have no API tokens.</p>
          ) : (
            <table className="mt-6 w-full text-left text-sm">
              <thead className="text-zinc-400">
                <tr className="border-b border-line">
                  <th scope="col" className="py-2 font-medium">Name</th>
                  <th scope="col" className="py-2 font-medium">Token</th>
                  <th scope="col" className="py-2 font-medium">Created</th>
                  <th scope="col" className="py-2 font-medium">Last used</th>
                  <th scope="col" className="py-2 font-medium">Expires</th>
                  <th scope="col" className="py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id} className="border-b border-line last:border-0">
                    <td className="py-2">{token.name}</td>
                    <td className="py-2 font-mono text-zinc-400">{token.prefix}…</td>
                    <td className="py-2 text-zinc-400">
                      <DateTime value={token.createdAt} />
                    </td>
                    <td className="py-2 text-zinc-400">
                      {token.lastUsedAt ? <DateTime value={token.lastUsedAt} /> : "Never"}
                    </td>
                    <td className="py-2 text-zinc-400">
                      {token.expiresAt ? <DateTime value={token.expiresAt} /> : "Never"}
                    </td>
                    <td className="py-2 text-right">
                      <Form
                        method="post"
                        onSubmit={(event) => {
                          if (!window.confirm(`Revoke the token "${token.name}"? Programs using it will stop working.`)) {
                            event.preventDefault();
                          }
                        }}
                      >
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="tokenId" value={token.id} />
                        <button
                          type="submit"
                          aria-label={`Revoke ${token.name}`}
                          className="rounded border border-line px-3 py-1 text-red-300 hover:bg-red-500/10"
                        >
                          Revoke
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </main>
    </>
  );
}

/** The plaintext token, which exists only in this response: the database keeps just its hash. */
function NewToken({ name, token }: { name: string; token: string }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copyStatus, setCopyStatus] = useState<"idle" | "copied" | "failed">("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopyStatus("copied");
    } catch {
      // The clipboard API needs a secure context; selecting the text still lets people copy by hand.
      inputRef.current?.select();
      setCopyStatus("failed");
    }
  }

  return (
    <div className="mt-4 rounded-lg border border-accent bg-accent/10 p-4">
      <p className="text-sm font-medium text-zinc-100">
        Token “{name}” created. Copy this token now; it will not be shown again.
      </p>
      <div className="mt-3 flex gap-2">
        <input
          ref={inputRef}
          readOnly
          value={token}
          aria-label="New API token"
          onFocus={(event) => event.currentTarget.select()}
          className="flex-1 rounded border border-line bg-canvas px-3 py-2 font-mono text-sm text-zinc-100"
        />
        <button
          type="button"
          onClick={copy}
          className="rounded bg-accent px-4 py-2 text-sm font-medium text-white hover:bg-accent-strong"
        >
          {copyStatus === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      <p aria-live="polite" className="mt-2 text-xs text-zinc-400">
        {copyStatus === "copied" ? "Copied to the clipboard." : null}
        {copyStatus === "failed" ? "Could not reach the clipboard; the token is selected, press Ctrl+C (⌘C) to copy it." : null}
      </p>
    </div>
  );
}

/** Shown in UTC so the server's and the browser's renderings match during hydration. */
function DateTime({ value }: { value: Date }) {
  const iso = value.toISOString();
  return <time dateTime={iso}>{`${iso.slice(0, 16).replace("T", " ")} UTC`}</time>;
}
