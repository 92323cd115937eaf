/** The plain HTTP errors: each a status, a stable code and a message saying what to do. */
import { AppError } from "./app-error.js";

export class MalformedJsonError extends AppError {
  readonly statusCode = 400;
  readonly code = "malformed_json";
}

/** A request Express refused before any route ran (e.g. a path that is not valid percent-encoding). */
export class BadRequestError extends AppError {
  readonly statusCode = 400;
  readonly code = "bad_request";
}

export class NotFoundError extends AppError {
  readonly statusCode = 404;
  readonly code = "not_found";
}

/** The request collides with one in progress (e.g. the same idempotency key): retry shortly. */
export class ConflictError extends AppError {
  readonly statusCode = 409;
  readonly code = "conflict";
}

export class PayloadTooLargeError extends AppError {
  readonly statusCode = 413;
  readonly code = "payload_too_large";
}

export class UnsupportedMediaTypeError extends AppError {
  readonly statusCode = 415;
  readonly code = "unsupported_media_type";
}

export class ServiceUnavailableError extends AppError {
  readonly statusCode = 503;
  readonly code = "service_unavailable";
}

/** A backing store (Redis) did not answer: the client may retry; ingest is idempotent. */
export class StoreUnavailableError extends AppError {
  readonly statusCode = 503;
  readonly code = "store_unavailable";
}
