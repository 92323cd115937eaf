/** POST /v1/events: batched behaviour ingest with a per-event verdict. */
import { Router } from "express";
import { z } from "zod";
import { type IngestService, MAX_BATCH_EVENTS } from "../../features/ingest-service.js";
import type { AppMetrics } from "../metrics.js";
import { parseBody } from "../validate.js";

/** The envelope only: each event is validated on its own by the ingest service. */
export const ingestRequestSchema = z.strictObject({
  events: z
    .array(z.unknown())
    .min(1, "must hold at least one event")
    .max(MAX_BATCH_EVENTS, `must hold at most ${MAX_BATCH_EVENTS} events; split the batch`),
});

export function eventRoutes(deps: { ingestService: IngestService; metrics: AppMetrics }): Router {
  const router = Router();
  router.post("/v1/events", async (req, res) => {
    const { events } = parseBody(ingestRequestSchema, req);
    const result = await deps.ingestService.ingest(events);
    deps.metrics.eventsIngested.inc({ outcome: "accepted" }, result.accepted);
    deps.metrics.eventsIngested.inc({ outcome: "duplicate" }, result.duplicates);
    deps.metrics.eventsIngested.inc({ outcome: "rejected" }, result.rejected.length);
    res.json({ received: events.length, ...result });
  });
  return router;
}
