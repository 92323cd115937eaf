// The firing loop of paced-load.ts, in a worker thread: its own small heap, so the bench process's
// garbage collection (it holds the loaded population's bookkeeping) does not stall the sending and
// turn an even rate into bursts. Plain JS: worker threads do not get tsx's loader.
import { Agent, request } from "node:http";
import { parentPort, workerData } from "node:worker_threads";

const { url, path, rate, seconds, bodies, maxSockets, keepBodies } = workerData;
const target = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets });
const total = Math.min(bodies.length, Math.round(rate * seconds));
const latenciesMs = new Float64Array(total);
const sendLagMs = new Float64Array(total);
const statuses = new Uint16Array(total);
const responses = keepBodies ? new Array(total) : undefined;
let sent = 0;
let completed = 0;
let errors = 0;
let inFlight = 0;
let maxInFlight = 0;
let resolveDone = () => {};
const done = new Promise((r) => {
  resolveDone = r;
});
const finish = () => {
  inFlight--;
  if (sent === total && inFlight === 0) resolveDone();
};

const fire = (i, lag) => {
  const body = bodies[i];
  sendLagMs[i] = lag;
  inFlight++;
  if (inFlight > maxInFlight) maxInFlight = inFlight;
  const started = performance.now();
  const req = request(
    {
      agent,
      host: target.hostname,
      port: target.port,
      path,
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    },
    (res) => {
      const chunks = [];
      res.on("data", (c) => {
        if (responses) chunks.push(c);
      });
      res.on("end", () => {
        latenciesMs[i] = performance.now() - started;
        statuses[i] = res.statusCode ?? 0;
        if (responses) responses[i] = Buffer.concat(chunks).toString("utf8");
        completed++;
        finish();
      });
    },
  );
  req.on("error", () => {
    errors++;
    latenciesMs[i] = Number.NaN;
    finish();
  });
  req.end(body);
};

const start = performance.now();
await new Promise((resolveSent) => {
  const tick = () => {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) / 1000) * rate) + 1);
    while (sent < due) {
      fire(sent, now - (start + (sent * 1000) / rate));
      sent++;
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
parentPort.postMessage({
  sent,
  completed,
  errors,
  sendingSeconds,
  latenciesMs,
  sendLagMs,
  statuses,
  responses,
  maxInFlight,
});
