/**
 * Arbitration policies: read the active policy and its versions; publish a new one (JSON, or YAML with
 * Content-Type application/yaml) and roll back, both admin-only. Times are ISO-8601 strings.
 */
import express, { Router } from "express";
import { z } from "zod";
import { UnsupportedMediaTypeError } from "../../errors/http-errors.js";
import type { PolicyService } from "../../policy/policy-service.js";
import type { PolicyActivation } from "../../policy/policy-store.js";
import { POLICY_VERSION_PATTERN } from "../../policy/policy-version.js";
import { adminAuth } from "../middleware/admin-auth.js";
import { parseBody, parseParams } from "../validate.js";

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

const version = z
  .string()
  .regex(
    POLICY_VERSION_PATTERN,
    "must be a policy version: 12 hex characters, as listed by GET /v1/policies",
  );
export const policyVersionParamsSchema = z.object({ version });
export const rollbackBodySchema = z.strictObject({ version });

export interface PolicyRouteDeps {
  readonly policyService: PolicyService;
  readonly config: { readonly ADMIN_TOKEN?: string | undefined; readonly BODY_LIMIT_BYTES?: number };
}

const iso = <T extends PolicyActivation>(a: T): T & { activatedAt: string } => ({
  ...a,
  activatedAt: new Date(a.activatedAt).toISOString(),
});

export function policyRoutes(deps: PolicyRouteDeps): Router {
  const router = Router();
  const admin = adminAuth(deps.config.ADMIN_TOKEN);
  const yamlBody = express.text({ type: YAML_TYPES, limit: deps.config.BODY_LIMIT_BYTES ?? 2_000_000 });
  const { policyService } = deps;

  router.get("/v1/policies", async (_req, res) => {
    const versions = await policyService.versions();
    const active = policyService.hasPolicy() ? policyService.current() : undefined;
    res.json({
      active: active
        ? {
            version: active.policy.version,
            name: active.policy.name,
            description: active.policy.document.description,
            activatedAt: new Date(active.activatedAt).toISOString(),
            source: active.source,
            document: active.policy.document,
          }
        : null,
      versions: versions.map(iso),
    });
  });

  router.get("/v1/policies/:version", async (req, res) => {
    const params = parseParams(policyVersionParamsSchema, req);
    res.json(iso(await policyService.get(params.version)));
  });

  router.put("/v1/policies", admin, yamlBody, async (req, res) => {
    const body: unknown = req.body;
    if (body === undefined) {
      throw new UnsupportedMediaTypeError(
        "Send the policy as JSON (Content-Type: application/json) or YAML (Content-Type: application/yaml)",
      );
    }
    const change =
      typeof body === "string"
        ? await policyService.put(body, "api", { format: "yaml" })
        : await policyService.put(body, "api");
    res.json(iso(change));
  });

  router.post("/v1/policies/rollback", admin, async (req, res) => {
    const { version: target } = parseBody(rollbackBodySchema, req);
    res.json(iso(await policyService.rollback(target)));
  });

  return router;
}
