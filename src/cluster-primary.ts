/**
 * With WORKERS > 1, the process `npm start` runs forks that many service processes (node:cluster)
 * that share the port, and supervises them: a worker that dies is replaced, and SIGTERM/SIGINT are
 * passed on so every worker drains its in-flight requests before the primary exits. The workers
 * share nothing but Redis, as replicas on several machines would.
 */
import cluster, { type Worker } from "node:cluster";
import { serveClusterMetrics } from "./api/cluster-metrics.js";
import type { Config } from "./config.js";

/**
 * A worker that dies before it listens, or this soon after, is failing (Redis down, a crash on its
 * first requests): it is replaced after 1, 2, 4... s, at most MAX_RETRY_DELAY_MS apart, rather than
 * at once (a full start-up, models and warm-up, every second or two).
 */
const STABLE_MS = 10_000;
const MAX_RETRY_DELAY_MS = 30_000;

export function runPrimary(config: Config, log: (line: string) => void): void {
  let stopping = false;
  let exitCode = 0;
  const workers = new Set<Worker>();
  const fork = (first: boolean) => {
    // Only the first worker prints the start-up banner (each would print the same one).
    workers.add(cluster.fork(first ? { NBA_PRINT_BANNER: "1" } : {}));
  };
  for (let i = 0; i < config.WORKERS; i++) fork(i === 0);
  log(`next-best-action primary ${process.pid}: ${config.WORKERS} workers`);
  // The banner comes from the first worker to listen; the others may still be warming up, so say when
  // every worker takes connections (a load test or a readiness check can wait for this line).
  const listening = new Map<Worker, number>();
  let allListening = false;
  serveClusterMetrics(() => listening.keys());
  // Workers in a row that died before they were stable: the next replacement waits 2^n s.
  let failedReplacements = 0;
  cluster.on("listening", (worker) => {
    listening.set(worker, Date.now());
    if (!allListening && listening.size >= config.WORKERS) {
      allListening = true;
      log(`next-best-action primary ${process.pid}: all ${config.WORKERS} workers listening`);
    }
  });

  // A worker's own shutdown takes its grace plus as long again (at least 5 s) to settle: wait for that.
  const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;
  const stopAll = () => {
    for (const w of workers) w.process.kill("SIGTERM");
    if (workers.size === 0) process.exit(exitCode);
    setTimeout(() => process.exit(1), graceMs + Math.max(graceMs, 5_000) + 5_000).unref();
  };

  cluster.on("exit", (worker, code, signal) => {
    const listenedAt = listening.get(worker);
    const listened = listening.delete(worker);
    workers.delete(worker);
    if (stopping) {
      if (workers.size === 0) process.exit(exitCode);
      return;
    }
    if (!listened && !allListening) {
      // One of the first workers could not start (bad configuration, no policy, no Redis): looping
      // would not fix it, so stop and say so with the exit code.
      log(`worker ${worker.process.pid} exited during start-up (code ${code}); stopping`);
      stopping = true;
      exitCode = 1;
      stopAll();
      return;
    }
    if (listenedAt !== undefined && Date.now() - listenedAt >= STABLE_MS) {
      failedReplacements = 0;
      log(`worker ${worker.process.pid} died (${signal ?? `code ${code}`}); starting a new one`);
      fork(false);
      return;
    }
    // A worker that could not start (e.g. Redis is down) or died soon after: the workers still
    // serving keep serving, and it is tried again, less and less often, until one stays up.
    const delay = Math.min(MAX_RETRY_DELAY_MS, 1_000 * 2 ** failedReplacements);
    failedReplacements += 1;
    const what = listened ? "died soon after starting" : "could not start";
    log(
      `replacement worker ${worker.process.pid} ${what} (${signal ?? `code ${code}`}); retrying in ${delay / 1000} s`,
    );
    // Not unref'd: while it waits there may be no worker left to keep the primary alive.
    setTimeout(() => {
      if (!stopping) fork(false);
    }, delay);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ${workers.size} workers (each finishes its in-flight requests)`);
    stopAll();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
