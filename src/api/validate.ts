/** Parses request parts with zod; failures become one ValidationError naming every field. */
import type { Request } from "express";
import type { z } from "zod";
import { UnsupportedMediaTypeError } from "../errors/http-errors.js";
import { ValidationError } from "../errors/validation-error.js";

export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  if (req.body === undefined) {
    throw new UnsupportedMediaTypeError("Send a JSON body with Content-Type: application/json");
  }
  const parsed = schema.safeParse(req.body);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, "request body");
  return parsed.data;
}

export function parseParams<S extends z.ZodType>(schema: S, req: Request): z.output<S> {
  const parsed = schema.safeParse(req.params);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error, "path parameters", "params");
  return parsed.data;
}
