/** 403: the caller may not use this route in the current configuration (e.g. admin routes disabled). */
import { AppError } from "./app-error.js";

export class ForbiddenError extends AppError {
  readonly statusCode = 403;
  readonly code = "forbidden";
}
