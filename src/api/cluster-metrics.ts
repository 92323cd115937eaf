/**
 * /metrics in cluster mode: each worker keeps its own registry, and a scrape reaches whichever worker
 * the primary hands the connection to, so one worker's counters alone would jump between workers'
 * values (read as resets by Prometheus). A worker asks the primary instead, which asks every worker
 * that listens for its registry and answers with their aggregate (prom-client's
 * `AggregatorRegistry.aggregate`: counters summed, each metric's own `aggregator` otherwise).
 *
 * The protocol is this file's, not prom-client's cluster listener: that one asks every connected
 * worker, and a worker still starting (loading models, warming up) stalled every scrape for 5 s.
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";

/** One registry's metrics as `getMetricsAsJSON` gives them and `AggregatorRegistry.aggregate` takes them. */
type RegistryJson = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>;

const SCRAPE = "nba:metrics-scrape"; // worker -> primary: the cluster's metrics, please
const SCRAPED = "nba:metrics-scraped"; // primary -> worker: here they are
const COLLECT = "nba:metrics-collect"; // primary -> worker: your registry, please
const COLLECTED = "nba:metrics-collected"; // worker -> primary: here it is

/** How long the primary waits for a worker's registry; a slower one is left out of that scrape. */
const WORKER_TIMEOUT_MS = 1_000;
const SCRAPE_TIMEOUT_MS = 5_000;

interface Message {
  readonly type: string;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
  readonly metrics?: RegistryJson;
}

const isMessage = (m: unknown): m is Message =>
  typeof m === "object" && m !== null && typeof (m as Message).type === "string";

/** In the primary: answers a worker's scrape with the aggregate of every listening worker's registry. */
export function serveClusterMetrics(listening: () => Iterable<Worker>): void {
  let nextId = 0;
  const pending = new Map<number, (metrics: RegistryJson) => void>();
  const collect = (worker: Worker): Promise<RegistryJson | undefined> =>
    new Promise((resolve) => {
      const id = ++nextId;
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(undefined);
      }, WORKER_TIMEOUT_MS);
      pending.set(id, (metrics) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(metrics);
      });
      worker.send({ type: COLLECT, id });
    });
  cluster.on("message", (worker: Worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === COLLECTED) pending.get(message.id)?.(message.metrics ?? []);
    if (message.type !== SCRAPE) return;
    Promise.all([...listening()].map(collect))
      .then((all) => AggregatorRegistry.aggregate(all.filter((m) => m !== undefined)).metrics())
      .then(
        (text) => worker.send({ type: SCRAPED, id: message.id, text }),
        (err: unknown) => worker.send({ type: SCRAPED, id: message.id, error: String(err) }),
      );
  });
}

/** In a worker: hands `registry` to the primary when it collects. */
export function joinClusterMetrics(registry: Registry): void {
  process.on("message", (message: unknown) => {
    if (!isMessage(message) || message.type !== COLLECT) return;
    registry.getMetricsAsJSON().then(
      (metrics) => process.send?.({ type: COLLECTED, id: message.id, metrics }),
      () => process.send?.({ type: COLLECTED, id: message.id, metrics: [] }),
    );
  });
}

let nextScrape = 0;

/** In a worker: the whole cluster's metrics text, from the primary. */
export function clusterMetricsText(): Promise<string> {
  const id = ++nextScrape;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", onMessage);
      reject(new Error(`the primary did not send the cluster's metrics within ${SCRAPE_TIMEOUT_MS} ms`));
    }, SCRAPE_TIMEOUT_MS);
    const onMessage = (message: unknown) => {
      if (!isMessage(message) || message.type !== SCRAPED || message.id !== id) return;
      clearTimeout(timer);
      process.off("message", onMessage);
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(message.error ?? "no metrics"));
    };
    process.on("message", onMessage);
    process.send!({ type: SCRAPE, id });
  });
}

export const CLUSTER_METRICS_CONTENT_TYPE = AggregatorRegistry.PROMETHEUS_CONTENT_TYPE;
