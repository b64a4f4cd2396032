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
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw apiError(400, "invalid_request", describeIssues(parsed.error), parsed.error.issues.map(issueDetail));
  }
  return parsed.data;
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
  return apiError(413, "payload_too_large", `The request body is larger than ${maxBytes} bytes.`);
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
