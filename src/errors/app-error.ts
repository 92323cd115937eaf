/** The one error hierarchy: every error response is written from one of these by the error middleware. */
export interface FieldProblem {
  readonly field: string;
  readonly reason: string;
}

export abstract class AppError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;

  toJSON(): { error: { code: string; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message } };
  }
}
