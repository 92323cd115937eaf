/**
 * npm run bench:features -- [--customers N]
 * Ingest throughput (store and HTTP) and feature-read latency against Redis on loopback, each beside
 * the ceiling redis-benchmark reaches on the same server in the same run.
 */
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import type { BehaviourEvent } from "../src/features/event-schema.js";
import { FEATURE_PLAN } from "../src/features/feature-plan.js";
import { computeFeatureVector } from "../src/features/feature-vector.js";
import { RedisFeatureStore } from "../src/features/redis-feature-store.js";
import { DAY_MS } from "../src/features/windows.js";
import { generateSample } from "../src/generator/index.js";
import { connectRedis } from "../src/redis/connect.js";
import { customerKeys } from "../src/redis/keys.js";
import { numberArg } from "./support/args.js";
import { redisBenchmark } from "./support/redis-ceiling.js";
import { deletePrefix } from "./support/redis-prefix.js";
import { startService } from "./support/service-process.js";
import { fmt, latencySummary, printTable } from "./support/stats.js";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const CUSTOMERS = numberArg("customers", 20_000);
const BATCH = 500;
const IN_FLIGHT = 4;

async function main(): Promise<void> {
  const admin = connectRedis(url);
  try {
    await admin.ping();
  } catch {
    console.error(`No Redis answers at ${url}: start one (redis-server) or set REDIS_URL.`);
    process.exit(1);
  }
  const prefix = `nba-bench-${randomUUID().slice(0, 8)}`;
  const storePrefix = `${prefix}:store`;
  const httpPrefix = `${prefix}:http`;
  console.log(
    `bench:features: ${CUSTOMERS.toLocaleString()} generated customers, 89 days, Redis ${url}, Node ${process.version}`,
  );

  const now = Date.now();
  const t0 = performance.now();
  const sample = generateSample({ customers: CUSTOMERS, days: 89, seed: 1, end: now });
  const events = sample.events as BehaviourEvent[];
  console.log(
    `generated ${events.length.toLocaleString()} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // 1. Ingest through the store: batches of 500 in time order, a few in flight.
  const store = new RedisFeatureStore(connectRedis(url), FEATURE_PLAN, {
    horizonMs: FEATURE_PLAN.horizonMs,
    ttlSeconds: (FEATURE_PLAN.horizonMs + DAY_MS) / 1000,
    now: Date.now,
    keyPrefix: storePrefix,
  });
  let cursor = 0;
  const ingestStart = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (cursor < events.length) {
        const batch = events.slice(cursor, cursor + BATCH);
        cursor += BATCH;
        await store.writeEvents(batch);
      }
    }),
  );
  const storeIngestRate = events.length / ((performance.now() - ingestStart) / 1000);

  // The hash size of a typical customer, for the HGETALL ceiling.
  const ids = sample.profiles.map((p) => p.customerId);
  const lengths = await Promise.all(
    ids.slice(0, 2000).map((id) => admin.hlen(customerKeys(storePrefix, id).features)),
  );
  lengths.sort((a, b) => a - b);
  const typicalFields = lengths[Math.floor(lengths.length / 2)]!;
  const p90Fields = lengths[Math.floor(lengths.length * 0.9)]!;

  // 2. Store reads: the whole read (script call, decode, feature vector), sequential then 64 in flight.
  const pick = (i: number) => ids[(i * 7919) % ids.length]!;
  const read = async (id: string) =>
    computeFeatureVector(FEATURE_PLAN, await store.readState(id), Date.now());
  for (let i = 0; i < 500; i++) await read(pick(i));
  const lowLoad: number[] = [];
  for (let i = 0; i < 5_000; i++) {
    const s = performance.now();
    await read(pick(i));
    lowLoad.push(performance.now() - s);
  }
  const concurrent: number[] = [];
  let next = 0;
  const concStart = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < 40_000) {
        const id = pick(next++);
        const s = performance.now();
        await read(id);
        concurrent.push(performance.now() - s);
      }
    }),
  );
  const concurrentRate = concurrent.length / ((performance.now() - concStart) / 1000);
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < 5_000; i++) await read(pick(i));
  const cpu = process.cpuUsage(cpuBefore);
  const readCpuUs = (cpu.user + cpu.system) / 5_000;
  await store.close();

  // 3. HTTP ingest and read against the service in its own process.
  const service = await startService({ REDIS_URL: url, REDIS_KEY_PREFIX: httpPrefix });
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += BATCH)
    bodies.push(JSON.stringify({ events: events.slice(i, i + BATCH) }));
  // autocannon replays a `requests` list per connection; hand out each body exactly once instead.
  let nextBody = 0;
  const httpIngest = await autocannon({
    url: `${service.url}/v1/events`,
    connections: 8,
    amount: bodies.length,
    requests: [
      {
        method: "POST",
        path: "/v1/events",
        headers: { "content-type": "application/json" },
        setupRequest: (req) => ({ ...req, body: bodies[nextBody++ % bodies.length] }),
      },
    ],
  });
  const httpIngestRate = events.length / (httpIngest.duration || 1);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  const accepted = Number(/nba_events_ingested_total\{outcome="accepted"\} (\d+)/.exec(metrics)?.[1] ?? 0);
  const httpRead = await autocannon({
    url: service.url,
    connections: 16,
    duration: 8,
    requests: ids.slice(0, 1000).map((id) => ({ method: "GET", path: `/v1/customers/${id}/features` })),
  });
  await service.stop();

  // 4. The ceilings, same server, same run.
  const hsetCeiling = redisBenchmark(url, [
    "-n",
    "300000",
    "-c",
    "50",
    "-P",
    "16",
    "-r",
    "100000",
    "HSET",
    `${prefix}:ceil:__rand_int__`,
    "f",
    "__rand_int__",
  ]);
  const typicalKey = `${prefix}:ceil:hash`;
  await admin.hset(
    typicalKey,
    Object.fromEntries(
      Array.from({ length: typicalFields }, (_, i) => [`count:login::|d|${20_000 + i}`, String(i + 0.5)]),
    ),
  );
  const hgetallCeiling = redisBenchmark(url, ["-n", "100000", "-c", "50", "HGETALL", typicalKey]);
  const hgetallLowLoad = redisBenchmark(url, ["-n", "20000", "-c", "1", "HGETALL", typicalKey]);

  await deletePrefix(admin, prefix);
  await admin.quit();

  const low = latencySummary(lowLoad);
  const conc = latencySummary(concurrent);
  console.log(
    `\ntypical customer hash: ${typicalFields} fields (p90 ${p90Fields}); features per read: ${FEATURE_PLAN.names.length}`,
  );
  console.log(
    `HTTP ingest: ${accepted.toLocaleString()} of ${events.length.toLocaleString()} events accepted\n`,
  );
  printTable(
    ["measure", "figure", "redis-benchmark ceiling", "ratio", "target"],
    [
      [
        "ingest through the store (batches of 500)",
        `${fmt(storeIngestRate)} events/s`,
        `HSET -P16: ${fmt(hsetCeiling.rps)} ops/s`,
        fmt(storeIngestRate / hsetCeiling.rps, 2),
        ">= 100,000 events/s",
      ],
      [
        "ingest through HTTP (batches of 500)",
        `${fmt(httpIngestRate)} events/s`,
        `HSET -P16: ${fmt(hsetCeiling.rps)} ops/s`,
        fmt(httpIngestRate / hsetCeiling.rps, 2),
        ">= 50,000 events/s",
      ],
      [
        "store read, low load (1 in flight) p50/p99",
        `${fmt(low.p50, 3)} / ${fmt(low.p99, 3)} ms`,
        `HGETALL(${typicalFields}) -c1: ${fmt(hgetallLowLoad.p50Ms, 3)} / ${fmt(hgetallLowLoad.p99Ms, 3)} ms`,
        fmt(low.p99 / hgetallLowLoad.p99Ms, 2),
        "p99 <= 1 ms",
      ],
      ["store read, 64 in flight p50/p99", `${fmt(conc.p50, 3)} / ${fmt(conc.p99, 3)} ms`, "", "", ""],
      [
        "store reads/s, 64 in flight",
        `${fmt(concurrentRate)} reads/s`,
        `HGETALL(${typicalFields}) -c50: ${fmt(hgetallCeiling.rps)}/s`,
        fmt(concurrentRate / hgetallCeiling.rps, 2),
        "",
      ],
      ["Node CPU per store read (decode + vector)", `${fmt(readCpuUs, 1)} µs`, "", "", ""],
      [
        "HTTP GET features, 16 connections",
        `${fmt(httpRead.requests.average)} req/s, p50/p99 ${httpRead.latency.p50} / ${httpRead.latency.p99} ms`,
        "",
        "",
        "",
      ],
    ],
  );
  console.log(`\npeak RSS of the bench process: ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
