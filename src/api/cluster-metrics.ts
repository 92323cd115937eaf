/**
 * /metrics in cluster mode: each worker keeps its own registry, and a scrape reaches whichever worker
 * the primary hands the connection to, so one worker's counters alone would jump between workers'
 * values (read as resets by Prometheus). A worker asks the primary instead, which gathers every
 * worker's registry (prom-client's AggregatorRegistry) and answers with the sum.
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type Registry } from "prom-client";

const REQUEST = "nba:metrics-request";
const RESPONSE = "nba:metrics-response";
const TIMEOUT_MS = 5_000;

interface MetricsMessage {
  readonly type: string;
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

/** In the primary: answers workers' requests with every worker's metrics, aggregated. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker: Worker, message: MetricsMessage) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RESPONSE, id: message.id, text }),
      (err: unknown) => worker.send({ type: RESPONSE, id: message.id, error: String(err) }),
    );
  });
}

/** In a worker: offers `registry` to the primary's aggregation. */
export function joinClusterMetrics(registry: Registry): void {
  // Constructing one is what makes prom-client answer the primary's requests in this worker.
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([registry]);
}

let nextId = 0;

/** In a worker: the whole cluster's metrics text, from the primary. */
export function clusterMetricsText(): Promise<string> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", onMessage);
      reject(new Error(`the primary did not send the cluster's metrics within ${TIMEOUT_MS} ms`));
    }, TIMEOUT_MS);
    const onMessage = (message: MetricsMessage) => {
      if (message?.type !== RESPONSE || message.id !== id) return;
      clearTimeout(timer);
      process.off("message", onMessage);
      if (message.text !== undefined) resolve(message.text);
      else reject(new Error(message.error ?? "no metrics"));
    };
    process.on("message", onMessage);
    process.send!({ type: REQUEST, id });
  });
}

export const CLUSTER_METRICS_CONTENT_TYPE = AggregatorRegistry.PROMETHEUS_CONTENT_TYPE;
