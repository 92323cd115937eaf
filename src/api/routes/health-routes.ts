/** Liveness, readiness and Prometheus metrics. */
import cluster from "node:cluster";
import { Router } from "express";
import { ServiceUnavailableError } from "../../errors/http-errors.js";
import type { FeatureStore } from "../../features/feature-store.js";
import type { PolicyService } from "../../policy/index.js";
import type { ModelService } from "../../scoring/model-service.js";
import { CLUSTER_METRICS_CONTENT_TYPE, clusterMetricsText } from "../cluster-metrics.js";
import type { AppMetrics } from "../metrics.js";

export function healthRoutes(deps: {
  featureStore: FeatureStore;
  policyService: PolicyService;
  modelService: ModelService;
  metrics: AppMetrics;
  /** The snapshot the bandit serves (undefined: cold, none published or loaded yet). */
  bandit: { version(): string | undefined };
}): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    // The pid tells replicas (e.g. cluster workers behind one port) apart.
    res.json({ status: "ok", pid: process.pid });
  });
  router.get("/readyz", async (_req, res) => {
    const storeOk = await deps.featureStore.ping();
    const policyOk = deps.policyService.hasPolicy();
    const checks = {
      featureStore: { ok: storeOk, kind: deps.featureStore.kind },
      policy: { ok: policyOk, version: policyOk ? deps.policyService.current().policy.version : null },
      models: {
        ok: deps.modelService.ready(),
        versions: deps.modelService.versions(),
        missing: deps.modelService.missing(),
      },
      // Informational, never gating: a cold bandit decides correctly (from the offline propensities).
      // Replicas that follow the learner show the same version; one showing an older one is not following.
      bandit: { ok: true, snapshotVersion: deps.bandit.version() ?? null },
    };
    const ready = storeOk && policyOk && checks.models.ok;
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not_ready", checks });
  });
  router.get("/metrics", async (_req, res) => {
    if (cluster.isWorker) {
      // The whole cluster's, from the primary: this worker's alone would read as counter resets.
      const text = await clusterMetricsText().catch((err: unknown) => {
        throw new ServiceUnavailableError(`Metrics unavailable: ${err instanceof Error ? err.message : err}`);
      });
      res.type(CLUSTER_METRICS_CONTENT_TYPE).send(text);
      return;
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
