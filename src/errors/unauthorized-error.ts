/** 401: the request needs a valid bearer token (missing, malformed or wrong). */
import { AppError } from "./app-error.js";

export class UnauthorizedError extends AppError {
  readonly statusCode = 401;
  readonly code = "unauthorized";
}
