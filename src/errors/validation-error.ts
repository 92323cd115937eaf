import type { z } from "zod";
import { AppError, type FieldProblem } from "./app-error.js";

/** 400 listing every field path with its problem. */
export class ValidationError extends AppError {
  readonly statusCode = 400;
  readonly code = "validation_failed";

  constructor(
    readonly problems: readonly FieldProblem[],
    where = "request",
  ) {
    super(`Invalid ${where}: ${problems.map((p) => `${p.field} ${p.reason}`).join("; ")}`);
  }

  static fromZod(error: z.ZodError, where: string, prefix = ""): ValidationError {
    return new ValidationError(
      error.issues.map((i) => ({
        field: [prefix, ...i.path.map(String)].filter(Boolean).join(".") || "(body)",
        // A record key's own message (e.g. what keys must look like) sits inside zod's "Invalid key".
        reason: i.code === "invalid_key" && i.issues[0] ? i.issues[0].message : i.message,
      })),
      where,
    );
  }

  override toJSON() {
    return { error: { code: this.code, message: this.message, details: this.problems } };
  }
}
