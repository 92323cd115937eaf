/**
 * An open-loop load generator at a fixed rate: request i is sent at start + i/rate whatever happened
 * to earlier ones, over keep-alive connections (as many as are needed). It exists because autocannon's
 * `overallRate` is a per-second quota per connection that each connection spends back to back at the
 * start of every second, so its "fixed rate" is a burst at closed-loop concurrency once a second.
 * Latency is measured from the moment the request is handed to the socket, to the last byte, in µs
 * resolution (autocannon rounds to whole milliseconds).
 */
import { Agent, request } from "node:http";

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
  /** Most requests in flight at once. */
  readonly maxInFlight: number;
}

export async function pacedLoad(options: PacedOptions): Promise<PacedResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 256 });
  const total = Math.round(options.rate * options.seconds);
  const latenciesMs: number[] = [];
  let sent = 0;
  let completed = 0;
  let errors = 0;
  let non2xx = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let maxSendLagMs = 0;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  const finish = () => {
    inFlight--;
    if (sent === total && inFlight === 0) resolveDone();
  };

  const fire = () => {
    const body = options.body();
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const started = performance.now();
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: options.path,
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => {
          if (options.onResponse) chunks.push(c);
        });
        res.on("end", () => {
          latenciesMs.push(performance.now() - started);
          completed++;
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) non2xx++;
          options.onResponse?.(status, Buffer.concat(chunks).toString("utf8"));
          finish();
        });
      },
    );
    req.on("error", () => {
      errors++;
      finish();
    });
    req.end(body);
  };

  const start = performance.now();
  await new Promise<void>((resolveSent) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(total, Math.floor(((now - start) / 1000) * options.rate) + 1);
      if (sent < due) maxSendLagMs = Math.max(maxSendLagMs, now - (start + (sent * 1000) / options.rate));
      while (sent < due) {
        sent++;
        fire();
      }
      if (sent < total) setTimeout(tick, 1);
      else resolveSent();
    };
    tick();
  });
  const sendingSeconds = (performance.now() - start) / 1000;
  if (inFlight === 0) resolveDone();
  const timeout = setTimeout(resolveDone, 30_000);
  await done;
  clearTimeout(timeout);
  agent.destroy();
  return {
    sent,
    completed,
    errors,
    non2xx,
    achievedRate: completed / Math.max(sendingSeconds, options.seconds),
    latenciesMs,
    maxSendLagMs,
    maxInFlight,
  };
}
