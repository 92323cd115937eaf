/**
 * 422: an idempotency key already used by the customer for a decision at another journey, step or
 * channel. Replaying that decision would answer for the wrong placement, and a retry cannot succeed.
 */
import { AppError, type FieldProblem } from "./app-error.js";

export class IdempotencyKeyReusedError extends AppError {
  readonly statusCode = 422;
  readonly code = "idempotency_key_reused";

  constructor(
    readonly key: string,
    readonly problems: readonly FieldProblem[],
  ) {
    super(
      `Idempotency key ${JSON.stringify(key)} was already used for this customer's decision at another placement (${problems
        .map((p) => `${p.field} ${p.reason}`)
        .join("; ")}); use a new key for each decision request`,
    );
  }

  override toJSON() {
    return { error: { code: this.code, message: this.message, details: this.problems } };
  }
}
