/**
 * Bearer-token guard for admin routes. The token is compared in constant time (SHA-256 digests of
 * equal length through timingSafeEqual), so response timing reveals nothing about it. Without a
 * configured token, admin routes are switched off (403) rather than left open.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { ForbiddenError } from "../../errors/forbidden-error.js";
import { UnauthorizedError } from "../../errors/unauthorized-error.js";

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/** Lets a request through only with `Authorization: Bearer <adminToken>`. */
export function adminAuth(adminToken: string | undefined): RequestHandler {
  const expected = adminToken ? digest(adminToken) : undefined;
  return (req, res, next) => {
    if (expected === undefined) {
      return next(new ForbiddenError("Admin routes are disabled until ADMIN_TOKEN is set on the server"));
    }
    res.setHeader("WWW-Authenticate", 'Bearer realm="next-best-action admin"');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "");
    if (!match) {
      return next(
        new UnauthorizedError("This admin route needs an Authorization: Bearer <ADMIN_TOKEN> header"),
      );
    }
    if (!timingSafeEqual(digest(match[1]!), expected)) {
      return next(new UnauthorizedError("The bearer token is not valid for admin routes"));
    }
    res.removeHeader("WWW-Authenticate");
    next();
  };
}
