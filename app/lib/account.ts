import { z } from "zod";

/** Emails are compared case-insensitively and without stray spaces, however they were typed. */
export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

// 254 characters is the longest address SMTP can deliver to.
const EmailSchema = z
  .string({ error: "Enter your email address." })
  .transform(normalizeEmail)
  .pipe(z.email("Enter a valid email address, like name@example.com.").max(254, "Use an email address of at most 254 characters."));

export const SignupSchema = z.object({
  email: EmailSchema,
  password: z
    .string({ error: "Choose a password." })
    .min(8, "Use at least 8 characters for your password.")
    .max(200, "Use at most 200 characters for your password."),
});

export const LoginSchema = z.object({
  email: EmailSchema,
  // No minimum beyond non-empty: rules for new passwords must not lock out older accounts. The
  // maximum only bounds the hashing work one request can ask for.
  password: z
    .string({ error: "Enter your password." })
    .min(1, "Enter your password.")
    .max(200, "Passwords are at most 200 characters."),
});

export type SignupInput = z.infer<typeof SignupSchema>;
export type LoginInput = z.infer<typeof LoginSchema>;

/** The name a person gives an API token, so they can later tell which one to revoke. */
export const ApiTokenNameSchema = z
  .string({ error: "Give the token a name." })
  .trim()
  .min(1, "Give the token a name.")
  .max(100, "Use a token name of at most 100 characters.");

/** How long a new token works, in days; none = until revoked. */
export const API_TOKEN_EXPIRY_DAYS = [7, 30, 90, 365] as const;
export const ApiTokenExpiryDaysSchema = z.coerce
  .number({ error: "Give the token's lifetime in whole days." })
  .int("Give the token's lifetime in whole days.")
  .min(1, "A token must work for at least 1 day.")
  .max(3650, "A token may work for at most 3650 days (10 years); leave the lifetime out for a token that works until revoked.");

export const CreateApiTokenSchema = z.object({ name: ApiTokenNameSchema, expiresInDays: ApiTokenExpiryDaysSchema.optional() });

/** When a token made now with this lifetime stops working. */
export function tokenExpiry(expiresInDays: number | undefined, now = Date.now()): Date | null {
  return expiresInDays === undefined ? null : new Date(now + expiresInDays * 24 * 60 * 60 * 1000);
}

export type AccountFieldErrors = Partial<Record<"email" | "password", string>>;

/** The first problem with each field, in the shape the account forms display. */
export function accountFieldErrors(error: z.ZodError<SignupInput | LoginInput>): AccountFieldErrors {
  const fields = z.flattenError(error).fieldErrors;
  return { email: fields.email?.[0], password: fields.password?.[0] };
}
