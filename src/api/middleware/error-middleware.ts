/**
 * The one place error responses are written. Express 5 forwards async errors here, so handlers have
 * no try/catch. Body-parser failures become 400/413 with a message a client can act on.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "pino";
import { AppError } from "../../errors/app-error.js";
import {
  BadRequestError,
  MalformedJsonError,
  NotFoundError,
  PayloadTooLargeError,
} from "../../errors/http-errors.js";

interface BodyParserError {
  type?: string;
  limit?: number;
  body?: unknown;
}

/** JSON that parses but is not an object or array, which the JSON parser refuses in strict mode. */
function isJsonScalar(body: unknown): boolean {
  if (typeof body !== "string") return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  const type = (err as BodyParserError | null)?.type;
  if (type === "entity.parse.failed") {
    // "not valid JSON" would send a client looking for a syntax error in `null` or `"text"`.
    return new MalformedJsonError(
      isJsonScalar((err as BodyParserError).body)
        ? "The request body must be a JSON object, e.g. {...}; it is a JSON string, number, boolean or null"
        : "The request body is not valid JSON",
    );
  }
  if (type === "entity.too.large") {
    return new PayloadTooLargeError(
      `The request body is larger than the ${(err as BodyParserError).limit} byte limit; send smaller batches`,
    );
  }
  if (type === "encoding.unsupported" || type === "charset.unsupported") {
    return new MalformedJsonError("The request body must be UTF-8 encoded JSON");
  }
  // The router refuses a path parameter that is not valid percent-encoding with a URIError of status 400.
  if (err instanceof URIError)
    return new BadRequestError(`The request path is not valid percent-encoded UTF-8: ${err.message}`);
  // Anything else Express or body-parser marks as a bad request (e.g. a body shorter than its
  // Content-Length) stays a 400 rather than becoming a 500.
  const status = (err as { status?: unknown } | null)?.status;
  if (status === 400 && err instanceof Error)
    return new BadRequestError(`The request was refused: ${err.message}`);
  return undefined;
}

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new NotFoundError(`No route for ${req.method} ${req.path}`));
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    if (appError) {
      if (appError.statusCode >= 500) logger.warn({ err, path: req.path }, appError.message);
      res.status(appError.statusCode).json(appError.toJSON());
      return;
    }
    logger.error({ err, path: req.path }, "unhandled error");
    if (res.headersSent) return;
    res
      .status(500)
      .json({ error: { code: "internal_error", message: "Internal error; it has been logged" } });
  };
}
