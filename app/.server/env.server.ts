import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value));

/** Every environment variable Weft reads, in one place. README.md documents each of them. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Where the embedded database, uploaded files and generated secrets live. */
  WEFT_DATA_DIR: z.string().default(".data"),
  /** An external PostgreSQL; when unset the app starts an embedded one under WEFT_DATA_DIR. */
  DATABASE_URL: optionalString,
  /** Signs the session cookie; generated once and kept in WEFT_DATA_DIR when unset. */
  SESSION_SECRET: optionalString,
  /** Switches execution to Trigger.dev tasks; unset = the embedded engine. */
  TRIGGER_SECRET_KEY: optionalString,
  TRIGGER_API_URL: optionalString,
  GEMINI_API_KEY: optionalString,
  /** Points the Gemini SDK at another endpoint (tests, proxies). */
  GEMINI_BASE_URL: optionalString,
  MAX_GRAPH_NODES: z.coerce.number().int().positive().default(500),
  MAX_GRAPH_BYTES: z.coerce.number().int().positive().default(1_000_000),
});

export type Env = z.infer<typeof EnvSchema>;

let cached: Env | undefined;

/** The validated environment, read once. Fails at start-up with every problem listed. */
export function env(): Env {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      throw new Error(`Invalid environment:\n  ${problems.join("\n  ")}`);
    }
    cached = parsed.data;
  }
  return cached;
}
