/**
 * With WORKERS > 1, the process `npm start` runs forks that many service processes (node:cluster)
 * that share the port, and supervises them: a worker that dies is replaced, and SIGTERM/SIGINT are
 * passed on so every worker drains its in-flight requests before the primary exits. The workers
 * share nothing but Redis, as replicas on several machines would.
 */
import cluster, { type Worker } from "node:cluster";
import type { Config } from "./config.js";

/** A worker that dies this soon after it was forked is failing to start: stop rather than loop. */
const START_FAILURE_MS = 5_000;

export function runPrimary(config: Config, log: (line: string) => void): void {
  let stopping = false;
  const forkedAt = new Map<Worker, number>();
  const fork = (first: boolean) => {
    // Only the first worker prints the start-up banner (each would print the same one).
    const worker = cluster.fork(first ? { NBA_PRINT_BANNER: "1" } : {});
    forkedAt.set(worker, Date.now());
  };
  for (let i = 0; i < config.WORKERS; i++) fork(i === 0);
  log(`next-best-action primary ${process.pid}: ${config.WORKERS} workers`);
  // The banner comes from the first worker to listen; the others may still be warming up, so say when
  // every worker takes connections (a load test or a readiness check can wait for this line).
  const listening = new Set<Worker>();
  let allListening = false;
  cluster.on("listening", (worker) => {
    listening.add(worker);
    if (!allListening && listening.size >= config.WORKERS) {
      allListening = true;
      log(`next-best-action primary ${process.pid}: all ${config.WORKERS} workers listening`);
    }
  });

  cluster.on("exit", (worker, code, signal) => {
    const age = Date.now() - (forkedAt.get(worker) ?? 0);
    forkedAt.delete(worker);
    listening.delete(worker);
    if (stopping) {
      if (forkedAt.size === 0) process.exit(0);
      return;
    }
    if (age < START_FAILURE_MS) {
      log(`worker ${worker.process.pid} exited during start-up (code ${code}); stopping`);
      stopping = true;
      for (const w of forkedAt.keys()) w.process.kill("SIGTERM");
      if (forkedAt.size === 0) process.exit(1);
      setTimeout(() => process.exit(1), (config.SHUTDOWN_GRACE_SECONDS + 5) * 1000).unref();
      return;
    }
    log(`worker ${worker.process.pid} died (${signal ?? `code ${code}`}); starting a new one`);
    fork(false);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping ${forkedAt.size} workers (each finishes its in-flight requests)`);
    for (const w of forkedAt.keys()) w.process.kill("SIGTERM");
    // A worker stuck past its own grace period is not waited for for ever.
    setTimeout(() => process.exit(1), (config.SHUTDOWN_GRACE_SECONDS + 5) * 1000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
