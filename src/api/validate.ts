/** Parses request parts with zod; failures become one ValidationError naming every field. */
import type { Request } from "express";
import { z } from "zod";
import { UnsupportedMediaTypeError } from "../errors/http-errors.js";
import { ValidationError } from "../errors/validation-error.js";

/**
 * zod reports a strict object's unknown keys as one issue on the object itself (field "(body)"); a
 * client needs the key's own path to see which field it misspelt or must drop.
 */
function withUnknownKeysNamed(error: z.ZodError): z.ZodError {
  if (!error.issues.some((i) => i.code === "unrecognized_keys")) return error;
  return new z.ZodError(
    error.issues.flatMap((issue): z.core.$ZodIssue[] =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => ({
            ...issue,
            keys: [key],
            path: [...issue.path, key],
            message: "is not a field of this request (check its spelling, or leave it out)",
          }))
        : [issue],
    ),
  );
}

export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  if (req.body === undefined) {
    throw new UnsupportedMediaTypeError("Send a JSON body with Content-Type: application/json");
  }
  const parsed = schema.safeParse(req.body);
  if (!parsed.success) throw ValidationError.fromZod(withUnknownKeysNamed(parsed.error), "request body");
  return parsed.data;
}

export function parseParams<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const parsed = schema.safeParse(req.params);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, "path parameters", "params");
  return parsed.data;
}
