/**
 * A policy's version is a short hash of its canonical JSON (keys sorted, defaults filled in), so the
 * same content always has the same version whatever its format, key order, comments or whitespace.
 */
import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level; arrays keep their order (order is meaningful). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** 12 hex characters (48 bits) of SHA-256: collisions are out of reach for a few thousand versions. */
export function policyVersion(document: unknown): string {
  return createHash("sha256").update(canonicalJson(document)).digest("hex").slice(0, 12);
}

export const POLICY_VERSION_PATTERN = /^[0-9a-f]{12}$/;
