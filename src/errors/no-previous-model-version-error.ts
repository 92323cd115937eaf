/** 409: a rollback with nothing to roll back to (the model was promoted at most once). */
import { AppError } from "./app-error.js";

export class NoPreviousModelVersionError extends AppError {
  readonly statusCode = 409;
  readonly code = "no_previous_version";

  constructor(readonly model: string) {
    super(`Model ${model} has no previously promoted version to roll back to; promote a version instead`);
  }
}
