/**
 * Models: list every model with its versions (metadata metrics, validity), the promoted version and the
 * one serving here; promote a version and roll back, both admin-only. A promotion answers after the
 * version was validated, recorded in registry.json and swapped in on this replica; other replicas
 * pick registry.json up by their watch. Times are ISO-8601 strings.
 */
import { Router } from "express";
import { z } from "zod";
import { modelNameSchema, modelVersionSchema } from "../../scoring/model-ids.js";
import type { ModelEntry, ModelVersionInfo, PromotionResult } from "../../scoring/model-registry.js";
import type { ModelService } from "../../scoring/model-service.js";
import { adminAuth } from "../middleware/admin-auth.js";
import { parseBody, parseParams } from "../validate.js";

export const modelParamsSchema = z.object({ name: modelNameSchema });
export const promoteBodySchema = z.strictObject({ version: modelVersionSchema });

export interface ModelRouteDeps {
  readonly modelService: ModelService;
  readonly config: { readonly ADMIN_TOKEN?: string | undefined };
}

const iso = (ms: number): string => new Date(ms).toISOString();

function versionView(info: ModelVersionInfo, serving: string | undefined) {
  const common = { version: info.version, promoted: info.promoted, serving: info.version === serving };
  if (!info.valid) return { ...common, valid: false, problems: info.problems };
  const { kind, metrics, training, inputWidth } = info.metadata;
  return {
    ...common,
    valid: true,
    kind,
    createdAt: training.createdAt,
    inputWidth,
    inputs: info.metadata.inputs.length,
    metrics,
    report: info.report,
  };
}

export function modelRoutes(deps: ModelRouteDeps): Router {
  const router = Router();
  const admin = adminAuth(deps.config.ADMIN_TOKEN);
  const { modelService } = deps;

  const modelView = (entry: ModelEntry) => {
    const model = modelService.get(entry.name);
    const refused = modelService.refused(entry.name);
    return {
      name: entry.name,
      promoted: entry.promoted ?? null,
      serving: model ? { version: model.version, loadedAt: iso(model.loadedAt) } : null,
      refused: refused ? { version: refused.version, message: refused.message, at: iso(refused.at) } : null,
      versions: entry.versions.map((v) => versionView(v, model?.version)),
      history: entry.history,
    };
  };

  const changeView = (result: PromotionResult) => ({
    ...result,
    previous: result.previous ?? null,
    serving: modelService.get(result.name)?.version ?? null,
  });

  router.get("/v1/models", async (_req, res) => {
    const entries = await modelService.registry.list();
    res.json({ models: entries.map(modelView), ready: modelService.ready() });
  });

  router.post("/v1/models/:name/promote", admin, async (req, res) => {
    const { name } = parseParams(modelParamsSchema, req);
    const { version } = parseBody(promoteBodySchema, req);
    res.json(changeView(await modelService.promote(name, version, "api")));
  });

  router.post("/v1/models/:name/rollback", admin, async (req, res) => {
    const { name } = parseParams(modelParamsSchema, req);
    res.json(changeView(await modelService.rollback(name, "api")));
  });

  return router;
}
