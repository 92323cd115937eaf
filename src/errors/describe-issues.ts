import type { z } from "zod";

/** One line for a failed parse: the first few issues as `path: message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length > 0 ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

/**
 * A zod `error` option for a field that must be present: zod's own words for a missing field
 * ("expected string, received undefined") hide that it is missing. Other issues keep their message.
 */
export const requiredField = (issue: { input?: unknown }): string | undefined =>
  issue.input === undefined ? "is required" : undefined;
