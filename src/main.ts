/**
 * Entry point: configuration, services, the sample on the embedded store, listen, and graceful
 * shutdown on SIGTERM/SIGINT. With WORKERS > 1 this process supervises that many workers
 * (cluster-primary.ts), each of which runs the rest of this file.
 */
import cluster from "node:cluster";
import { joinClusterMetrics } from "./api/cluster-metrics.js";
import { createApp } from "./api/create-app.js";
import { runPrimary } from "./cluster-primary.js";
import { createServices } from "./composition-root.js";
import { ConfigError, loadConfig } from "./config.js";
import { StoreUnavailableError } from "./errors/http-errors.js";
import { listen } from "./http-server.js";
import { printableRedisUrl } from "./redis/redis-url-text.js";
import { loadSample } from "./sample/load-sample.js";

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.WORKERS > 1 && cluster.isPrimary) {
    runPrimary(config, (line) => process.stdout.write(`${line}\n`));
    return;
  }
  const services = createServices(config);
  const { logger } = services;
  if (cluster.isWorker) joinClusterMetrics(services.metrics.registry);
  await services.start();
  const missingModels = services.modelService.missing();
  if (missingModels.length > 0)
    // Otherwise silent when MODELS_DIR is wrong or empty: the service listens and only /readyz says so.
    logger.warn(
      { missing: missingModels, modelsDir: config.MODELS_DIR },
      "required models are not serving: /readyz answers 503 and decisions answer with fallback: true until they load (REQUIRED_MODELS, MODELS_DIR)",
    );
  let exampleCustomer = "c000001";
  if (services.featureStore.kind === "memory" && config.SAMPLE_CUSTOMERS > 0) {
    const loaded = await loadSample(services, {
      customers: config.SAMPLE_CUSTOMERS,
      seed: config.SAMPLE_SEED,
    });
    exampleCustomer = loaded.exampleCustomerId;
    logger.info(loaded, "sample loaded into the embedded store");
  }
  // Before listening, so no caller's decision pays for JIT compilation (in cluster mode, the primary
  // hands a worker connections only once it listens).
  const warmStarted = performance.now();
  await services.decisionService.warmUp();
  logger.info({ ms: Math.round(performance.now() - warmStarted) }, "decision path warmed up");
  const running = await listen(createApp(services), config.PORT, config.HOST);
  logger.info({ url: running.url, store: services.featureStore.kind }, "listening");
  const decision = JSON.stringify({
    customerId: exampleCustomer,
    journey: "cross_sell",
    step: "browse",
    channel: "web",
    limit: 3,
  });
  if (cluster.isPrimary || process.env.NBA_PRINT_BANNER === "1")
    process.stdout.write(
      `\nnext-best-action is listening on ${running.url} (feature store: ${services.featureStore.kind})\n` +
        `Try:\n  curl -s ${running.url}/v1/customers/${exampleCustomer}/features\n` +
        `  curl -s ${running.url}/v1/decisions -H 'content-type: application/json' -d '${decision}'\n\n`,
    );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // A cluster worker hears the primary's SIGTERM on top of a signal sent to the whole process
      // group (Ctrl-C, systemd): that is not a request to hurry, and the primary has its own deadline.
      if (cluster.isWorker) return;
      // A second signal to a lone process: whoever sent it wants it gone now.
      logger.warn({ signal }, "second signal during shutdown: exiting now");
      process.exit(1);
    }
    stopping = true;
    const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;
    // Requests get the grace; settling writes and closing stores as long again (at least 5 s). A store
    // that stalls without failing (ioredis waits for a paused Redis) must not hold the process for ever.
    const settleMs = Math.max(graceMs, 5_000);
    setTimeout(() => {
      logger.error(
        { pendingWrites: services.decisionService.pendingWrites() },
        `shutdown did not finish within ${(graceMs + settleMs) / 1000} s: exiting with writes unsettled`,
      );
      process.exit(1);
    }, graceMs + settleMs).unref();
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    await running.close(graceMs);
    await services.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof StoreUnavailableError) {
    // Nothing a stack trace would add: say which Redis and the two ways forward.
    const url = process.env.REDIS_URL ? printableRedisUrl(process.env.REDIS_URL) : "REDIS_URL";
    process.stderr.write(
      `next-best-action could not start: ${err.message}\n` +
        `Is Redis running at ${url}? Start it (redis-server), or unset REDIS_URL to run on the embedded in-memory store.\n`,
    );
    process.exit(1);
  }
  process.stderr.write(
    `next-best-action failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
