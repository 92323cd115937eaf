/**
 * An open-loop load generator at a fixed rate: request i is sent at start + i/rate whatever happened
 * to earlier ones, over keep-alive connections (as many as are needed). It exists because autocannon's
 * `overallRate` is a per-second quota per connection that each connection spends back to back at the
 * start of every second, so its "fixed rate" is a burst at closed-loop concurrency once a second.
 * Latency is measured from the moment the request is handed to the socket, to the last byte, in µs
 * resolution (autocannon rounds to whole milliseconds). The sending runs in a worker thread
 * (paced-worker.mjs) with its own heap: in the bench's main thread, garbage collection of what the
 * bench holds made the generator 10-20 ms late at times, i.e. bursts the service then queued.
 */
import { Worker } from "node:worker_threads";

export interface PacedOptions {
  readonly url: string;
  readonly path: string;
  /** Requests per second. */
  readonly rate: number;
  readonly seconds: number;
  readonly body: () => string;
  /** Sees every response body (decision phases count empty and fallback answers). */
  readonly onResponse?: (status: number, body: string) => void;
  /** Most sockets open at once (default 256). */
  readonly maxSockets?: number;
}

export interface PacedResult {
  readonly sent: number;
  readonly completed: number;
  readonly errors: number;
  readonly non2xx: number;
  /** Completed responses per second of the sending window. */
  readonly achievedRate: number;
  readonly latenciesMs: number[];
  /** How late the generator itself was sending, worst case (ms): its timer granularity and event loop. */
  readonly maxSendLagMs: number;
  /** The 99th percentile of that lateness over the requests (ms). */
  readonly p99SendLagMs: number;
  /** Most requests in flight at once. */
  readonly maxInFlight: number;
}

export async function pacedLoad(options: PacedOptions): Promise<PacedResult> {
  const total = Math.round(options.rate * options.seconds);
  // Bodies are made here (the caller's generator), the sending happens in a worker thread.
  const bodies = Array.from({ length: total }, () => options.body());
  const worker = new Worker(new URL("./paced-worker.mjs", import.meta.url), {
    workerData: {
      url: options.url,
      path: options.path,
      rate: options.rate,
      seconds: options.seconds,
      bodies,
      maxSockets: options.maxSockets ?? 256,
      keepBodies: options.onResponse !== undefined,
    },
  });
  const r = await new Promise<WorkerResult>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  const latenciesMs: number[] = [];
  let non2xx = 0;
  for (let i = 0; i < r.sent; i++) {
    if (Number.isNaN(r.latenciesMs[i]!) || r.statuses[i] === 0) continue;
    latenciesMs.push(r.latenciesMs[i]!);
    const status = r.statuses[i]!;
    if (status < 200 || status >= 300) non2xx++;
    options.onResponse?.(status, r.responses?.[i] ?? "");
  }
  const lags = Array.from(r.sendLagMs.subarray(0, r.sent)).sort((a, b) => a - b);
  return {
    sent: r.sent,
    completed: r.completed,
    errors: r.errors,
    non2xx,
    achievedRate: r.completed / Math.max(r.sendingSeconds, options.seconds),
    latenciesMs,
    maxSendLagMs: lags[lags.length - 1] ?? 0,
    p99SendLagMs: lags[Math.floor(lags.length * 0.99)] ?? 0,
    maxInFlight: r.maxInFlight,
  };
}

interface WorkerResult {
  readonly sent: number;
  readonly completed: number;
  readonly errors: number;
  readonly sendingSeconds: number;
  readonly latenciesMs: Float64Array;
  readonly sendLagMs: Float64Array;
  readonly statuses: Uint16Array;
  readonly responses?: string[];
  readonly maxInFlight: number;
}
