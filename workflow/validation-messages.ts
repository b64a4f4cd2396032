import type { z } from "zod";

// How a schema's complaints read to a person, written once for graph validation, node
// parameters, the editor's fields and the API's 400 answers.

const EXPECTED_PHRASES: Record<string, string> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  object: "an object",
  record: "an object",
  array: "a list",
  null: "null",
};

/**
 * Phrases a zod issue to follow the name of the field it concerns ("x_percent must be at most
 * 100"). Messages of our own refinements are written in that form already.
 */
export function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is missing";
      return `must be ${EXPECTED_PHRASES[issue.expected] ?? issue.expected} (it is ${describeValueType(issue.input)})`;
    case "too_big":
      if (issue.origin === "string") return `must be at most ${issue.maximum} characters long`;
      if (issue.origin === "array") return `must have at most ${issue.maximum} items`;
      return `must be ${issue.inclusive === false ? "less than" : "at most"} ${issue.maximum}`;
    case "too_small":
      if (issue.origin === "string") {
        return issue.minimum === 1 ? "must not be empty" : `must be at least ${issue.minimum} characters long`;
      }
      if (issue.origin === "array") return `must have at least ${issue.minimum} items`;
      return `must be ${issue.inclusive === false ? "more than" : "at least"} ${issue.minimum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "invalid_union": {
      const expected = issue.errors.flatMap((branch) =>
        branch[0]?.code === "invalid_type" ? [EXPECTED_PHRASES[branch[0].expected] ?? branch[0].expected] : [],
      );
      return expected.length > 0 && expected.length === issue.errors.length
        ? `must be ${expected.join(" or ")} (it is ${describeValueType(issue.input)})`
        : "is not valid";
    }
    case "custom":
      return issue.message;
    default:
      return `is not valid: ${issue.message}`;
  }
}

function describeValueType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "text";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/**
 * Every issue of a failed parse as one sentence: each names its field ("scope must be one of
 * …") or, for the value as a whole, `subject`.
 */
export function describeIssues(error: z.ZodError, subject = "The request"): string {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || subject} ${describeIssue(issue)}`).join("; ");
}
