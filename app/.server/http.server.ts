import { json } from "@remix-run/node";
import type { z } from "zod";
import { describeIssues } from "~workflow/validation-messages";

/** The one error shape every JSON endpoint answers with. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function apiError(status: number, code: string, message: string, details?: unknown) {
  const body: ApiErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return json(body, { status });
}

/** For a resource route asked with a method it does not handle; `Allow` lists the ones it does. */
export function methodNotAllowed(request: Request, allowed: readonly string[]) {
  const response = apiError(
    405,
    "method_not_allowed",
    `${request.method} is not supported here; use ${allowed.join(" or ")}.`,
  );
  response.headers.set("Allow", allowed.join(", "));
  return response;
}

/** Default ceiling for JSON request bodies; graphs have their own, smaller limit. */
export const MAX_JSON_BODY_BYTES = 2_000_000;

/**
 * Reads and validates a JSON request body. Anything a client can get wrong — content type,
 * size, syntax, shape — is thrown as a 4xx Response naming the problem, so a handler only ever
 * sees valid input.
 */
export async function readJsonBody<T extends z.ZodType>(
  request: Request,
  schema: T,
  maxBytes = MAX_JSON_BODY_BYTES,
): Promise<z.infer<T>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw apiError(415, "unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).");
  }
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);

  const text = await readLimited(request, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw apiError(400, "malformed_json", `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (containsNul(value)) throw apiError(400, "invalid_request", NUL_MESSAGE);
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw apiError(400, "invalid_request", describeIssues(parsed.error), parsed.error.issues.map(issueDetail));
  }
  return parsed.data;
}

const NUL_MESSAGE = "Text may not contain NUL characters (\\u0000); PostgreSQL cannot store them.";

/** Whether any string in a parsed JSON value (keys included) holds a NUL, which PostgreSQL refuses in text and JSON. */
function containsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === "string") {
      if (item.includes("\0")) return true;
    } else if (Array.isArray(item)) {
      pending.push(...item);
    } else if (item !== null && typeof item === "object") {
      for (const [key, child] of Object.entries(item)) {
        if (key.includes("\0")) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

/** Validates route params (or any record) and answers 404 when they cannot name a resource. */
export function parseParams<T extends z.ZodType>(params: unknown, schema: T): z.infer<T> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw apiError(404, "not_found", "Not found.");
  return parsed.data;
}

function issueDetail(issue: z.core.$ZodIssue) {
  return { path: issue.path.join("."), message: issue.message };
}

function tooLarge(maxBytes: number) {
  const response = apiError(413, "payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
  // The rest of the body is not read; kept alive, the connection would first have to drain it.
  response.headers.set("Connection", "close");
  return response;
}

async function readLimited(request: Request, maxBytes: number) {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const FORM_CONTENT_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * A page form's fields. Anything else — JSON, no body, a body that does not parse — is thrown
 * as a 4xx Response naming the problem rather than the TypeError `request.formData()` throws.
 * The size is bounded before the app sees the body (server/http-guards.ts `limitFormBodies`).
 */
export async function readFormData(request: Request): Promise<FormData> {
  if (!FORM_CONTENT_TYPE.test(request.headers.get("content-type") ?? "")) {
    throw new Response("Send this form as application/x-www-form-urlencoded or multipart/form-data.", {
      status: 415,
      statusText: "Unsupported Media Type",
    });
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch (error) {
    throw new Response(`The form could not be read: ${(error as Error).message}`, { status: 400, statusText: "Bad Request" });
  }
  for (const [name, value] of form) {
    if (name.includes("\0") || (typeof value === "string" && value.includes("\0"))) {
      throw new Response(NUL_MESSAGE, { status: 400, statusText: "Bad Request" });
    }
  }
  return form;
}

/** 429 with `Retry-After`, for a client asking faster than a limit allows. */
export function tooManyRequests(code: string, message: string, retryAfterSeconds: number) {
  const response = apiError(429, code, message);
  response.headers.set("Retry-After", String(Math.max(1, Math.ceil(retryAfterSeconds))));
  return response;
}
