import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value));

/** "true"/"1" or "false"/"0"; z.coerce.boolean would read the string "false" as true. */
const booleanString = z
  .preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? value.trim().toLowerCase() : undefined),
    z.enum(["true", "false", "1", "0"]).default("false"),
  )
  .transform((value) => value === "true" || value === "1");

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
  /**
   * Where browsers reach Trigger.dev's realtime API, when that is not TRIGGER_API_URL (a
   * self-hosted instance the app reaches on an internal address). Unset = TRIGGER_API_URL.
   */
  TRIGGER_PUBLIC_API_URL: optionalString.pipe(z.url().optional()),
  /**
   * Most `execute-workflow` runs executing at once (its queue's concurrency limit), read when the
   * tasks are indexed (`trigger deploy`, `trigger dev`). An orchestrator never suspends while its
   * node tasks work, so it must stay well below the environment's concurrency limit, or running
   * orchestrators take every slot and none of their children can start.
   */
  WEFT_ORCHESTRATOR_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(4),
  GEMINI_API_KEY: optionalString,
  /** Points the Gemini SDK at another endpoint (tests, proxies). */
  GEMINI_BASE_URL: optionalString,
  /** How often a Generate Video node asks Gemini whether its video is ready (Veo takes 10 s to minutes). */
  GEMINI_VIDEO_POLL_INTERVAL_MS: z.coerce.number().int().min(1).default(10_000),
  /** How long a Generate Video node waits for Gemini in all, counted from when Gemini accepted the request. */
  GEMINI_VIDEO_TIMEOUT_MS: z.coerce.number().int().min(1).default(15 * 60_000),
  /** A price table (the shape of workflow/cost/pricing.json) used instead of the shipped one. */
  WEFT_PRICES_PATH: optionalString,
  /** Most node executions one embedded run has in flight at once. */
  WEFT_NODE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  MAX_GRAPH_NODES: z.coerce.number().int().positive().default(500),
  MAX_GRAPH_BYTES: z.coerce.number().int().positive().default(1_000_000),
  MAX_IMAGE_UPLOAD_BYTES: z.coerce.number().int().positive().default(20_000_000),
  MAX_VIDEO_UPLOAD_BYTES: z.coerce.number().int().positive().default(200_000_000),
  /** Largest image upload in pixels (width × height): 40 MP, more than any phone camera makes. */
  MAX_IMAGE_PIXELS: z.coerce.number().int().positive().default(40_000_000),
  /** Largest video frame in pixels: 4096×2160 (DCI 4K). */
  MAX_VIDEO_PIXELS: z.coerce.number().int().positive().default(4096 * 2160),
  MAX_VIDEO_DURATION_SECONDS: z.coerce.number().positive().default(600),
  /** What one user's files (uploads and generated) may take in storage, in bytes. */
  STORAGE_QUOTA_BYTES: z.coerce.number().int().positive().default(5_000_000_000),
  /** Largest body a page's form may send (the workflow import takes MAX_GRAPH_BYTES instead). */
  MAX_FORM_BYTES: z.coerce.number().int().positive().default(64 * 1024),
  /** Runs one user may have queued or running at once; more answer 429 `too_many_runs`. */
  MAX_RUNS_IN_FLIGHT_PER_USER: z.coerce.number().int().positive().default(5),
  /** ffmpeg/ffprobe processes the whole process runs at once; the rest wait their turn. */
  MAX_FFMPEG_PROCESSES: z.coerce.number().int().positive().max(256).default(4),
  /** Longest one ffmpeg or ffprobe process may take before it is killed and its node fails. */
  FFMPEG_TIMEOUT_SECONDS: z.coerce.number().positive().default(120),
  /** Sign-in and sign-up attempts one client address may make per 10 minutes. */
  AUTH_ATTEMPTS_PER_IP: z.coerce.number().int().positive().default(30),
  /** Wrong passwords in a row for one account before each further attempt waits (doubling). */
  AUTH_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  /** Password hashes computed at once; more wait, so logins cannot take libuv's whole thread pool. */
  MAX_CONCURRENT_HASHES: z.coerce.number().int().positive().max(64).default(2),
  /** Open realtime long-polls and streams per access token, and per client address. */
  MAX_REALTIME_REQUESTS_PER_TOKEN: z.coerce.number().int().positive().default(8),
  MAX_REALTIME_REQUESTS_PER_CLIENT: z.coerce.number().int().positive().default(64),
  /** How many reverse proxies in front of the app to believe `X-Forwarded-For` from (0: none). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Keeps uploaded and generated files in this S3 bucket; unset = local disk under WEFT_DATA_DIR. */
  S3_BUCKET: optionalString,
  S3_REGION: optionalString.transform((value) => value ?? "us-east-1"),
  /** An S3-compatible service (MinIO, R2, …); unset = AWS. */
  S3_ENDPOINT: optionalString,
  /** Unset = the AWS SDK's own credential chain (instance roles, AWS_PROFILE, …). */
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  /** Bucket in the path (`endpoint/bucket/key`), which most S3-compatible services need. */
  S3_FORCE_PATH_STYLE: booleanString,
}).refine((env) => (env.S3_ACCESS_KEY_ID === undefined) === (env.S3_SECRET_ACCESS_KEY === undefined), {
  message: "set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither",
  path: ["S3_SECRET_ACCESS_KEY"],
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
