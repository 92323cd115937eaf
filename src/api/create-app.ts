/**
 * Builds the Express app from ready-made services, without listening: the entry point listens,
 * tests mount it on port 0.
 */
import express, { type Express } from "express";
import type { Services } from "../composition-root.js";
import { errorMiddleware, notFoundHandler } from "./middleware/error-middleware.js";
import { requestMetrics } from "./middleware/request-metrics.js";
import { customerRoutes } from "./routes/customer-routes.js";
import { decisionRoutes } from "./routes/decision-routes.js";
import { eventRoutes } from "./routes/event-routes.js";
import { healthRoutes } from "./routes/health-routes.js";
import { modelRoutes } from "./routes/model-routes.js";
import { policyRoutes } from "./routes/policy-routes.js";
import { rewardRoutes } from "./routes/reward-routes.js";
import { simulationRoutes } from "./routes/simulation-routes.js";

export function createApp(services: Services): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(requestMetrics(services.metrics));
  app.use(express.json({ limit: services.config.BODY_LIMIT_BYTES }));
  // The decision route first: every router a request passes on its way costs it a few µs.
  app.use(decisionRoutes(services));
  app.use(healthRoutes(services));
  app.use(eventRoutes(services));
  app.use(rewardRoutes(services));
  app.use(customerRoutes(services));
  app.use(simulationRoutes(services));
  app.use(policyRoutes(services));
  app.use(modelRoutes(services));
  app.use(notFoundHandler());
  app.use(errorMiddleware(services.logger));
  return app;
}
