/**
 * npm run bench:decide -- [--customers N] [--seconds S] [--workers W] [--no-profile] [--no-stages]
 *   [--profile-out FILE] [--learn N]
 *
 * POST /v1/decisions against the service in its own process on Redis, with N generated customers
 * (default 100,000) loaded under a private key prefix, the 20 catalogue actions as candidates, both
 * ONNX models (when promoted) and the policy's bandit. Beside it, the trivial POST /v1/echo route of
 * the same app with a body of the same size: the yardstick. Reports saturation throughput, latency at
 * fixed rates, CPU per request of the service and of Redis, the service's GC pauses, then where the
 * service's CPU per decision goes (a CPU profile of the service, and each part measured alone in
 * process).
 *
 * Fixed rates are driven two ways: an open-loop paced generator (bench/support/paced-load.ts: one
 * request every 1/rate s, latency to the µs), which the targets are judged on, and autocannon
 * `overallRate` for comparison (a per-second quota each connection spends back to back, latencies
 * taken from its per-response event).
 *
 * Before measuring, `--learn N` decisions (default 5,000) and their rewards go through the service
 * and the real learner process, so the service decides with learned arms as in production (a cold
 * arm is cheaper to score); `--learn 0` keeps the bandit cold.
 *
 * `--workers W` runs the service as W processes on one port (WORKERS=W, node:cluster), the echo as
 * well; CPU per request then sums the primary and its workers, and the profile phase is skipped (it
 * profiles one process).
 */
import { randomUUID } from "node:crypto";
import { copyFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { parse as parseYaml } from "yaml";
import { DEFAULT_RETENTION_MARGIN_MS } from "../src/decisioning/decision-log.js";
import { CHANNELS } from "../src/features/vocabulary.js";
import { ACTION_CATALOGUE, ACTION_IDS } from "../src/generator/index.js";
import { loadPolicyFile } from "../src/policy/load-policy.js";
import { connectRedis } from "../src/redis/connect.js";
import { numberArg, stringArg } from "./support/args.js";
import { profilerEnv, startProfiler, stopProfiler, summariseProfile } from "./support/cpu-profile.js";
import { measureStages } from "./support/decision-stages.js";
import { measureDecisionStorage } from "./support/decision-storage.js";
import { type GcPhase, gcPhase, readGcTotals } from "./support/gc-pauses.js";
import { learnBandit } from "./support/learn-bandit.js";
import { loadCustomers } from "./support/load-customers.js";
import { pacedLoad } from "./support/paced-load.js";
import { machineCpuSeconds, processCpuSeconds, redisCpuSeconds } from "./support/process-cpu.js";
import { commandStats, commandStatsDelta } from "./support/redis-commandstats.js";
import { deletePrefix } from "./support/redis-prefix.js";
import { type ServiceProcess, startService } from "./support/service-process.js";
import { fmt, latencySummary, printTable } from "./support/stats.js";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const CUSTOMERS = numberArg("customers", 100_000);
const SECONDS = numberArg("seconds", 15);
const WORKERS = numberArg("workers", 1);
const PROFILE = !process.argv.includes("--no-profile") && WORKERS === 1;
const STAGES = !process.argv.includes("--no-stages");
/** Decisions (with rewards) that teach the bandit before anything is measured; 0: a cold bandit. */
const LEARN = numberArg("learn", 5_000);
/** `--profile-out FILE`: keep the profile phase's V8 CPU profile there. */
const PROFILE_OUT = stringArg("profile-out");
const SATURATION_CONNECTIONS = 50;
const RATE_CONNECTIONS = 10;
const RATES = [500, 1_000] as const;
const JOURNEY = "cross_sell";
const STEP = "browse";
const MODEL_NAMES = ["churn", "propensity"];

type Route = "decision" | "echo";
const PATHS: Record<Route, string> = { decision: "/v1/decisions", echo: "/v1/echo" };

/** The channel the policy allows most catalogue actions on (app first on a tie). */
function pickChannel(policyFile: string): { channel: string; allowed: number; perChannel: string } {
  const doc = parseYaml(readFileSync(policyFile, "utf8")) as {
    actions: { id: string; channels?: string[]; enabled?: boolean }[];
  };
  const byId = new Map(doc.actions.map((a) => [a.id, a]));
  const counts = CHANNELS.map((channel) => ({
    channel,
    allowed: ACTION_IDS.filter((id) => {
      const a = byId.get(id);
      return a && a.enabled !== false && (a.channels ?? []).includes(channel);
    }).length,
  }));
  const best = [...counts].sort((a, b) => b.allowed - a.allowed || (a.channel === "app" ? -1 : 1))[0]!;
  return { ...best, perChannel: counts.map((c) => `${c.channel} ${c.allowed}`).join(", ") };
}

function promotedModels(): string[] {
  const file = join(process.env.MODELS_DIR ?? "models", "registry.json");
  try {
    const registry = JSON.parse(readFileSync(file, "utf8")) as {
      models?: Record<string, { promoted?: string }>;
    };
    return MODEL_NAMES.filter((n) => registry.models?.[n]?.promoted);
  } catch {
    return [];
  }
}

/** Random customers of the loaded population, without repeats until all were drawn (then reshuffled). */
class CustomerPicker {
  private readonly order: Uint32Array;
  private next = 0;

  constructor(private readonly population: number) {
    this.order = new Uint32Array(population);
    this.reshuffle();
  }

  reshuffle(): void {
    for (let i = 0; i < this.population; i++) this.order[i] = i;
    for (let i = this.population - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      const t = this.order[i]!;
      this.order[i] = this.order[j]!;
      this.order[j] = t;
    }
    this.next = 0;
  }

  pick(): string {
    if (this.next === this.population) this.reshuffle();
    return `c${String(this.order[this.next++]! + 1).padStart(6, "0")}`;
  }
}

/** What the decision responses said: empty answers, fallbacks, and (every 25th, parsed) the stages. */
class Outcomes {
  responses = 0;
  non2xx = 0;
  empty = 0;
  fallback = 0;
  parsed = 0;
  served = 0;
  excluded: Record<string, number> = {};
  modelVersions = new Set<string>();
  /** Parsed answers that scored without the models yet do not say fallback (the warning's case). */
  modelless = 0;

  add(status: number, body: string): void {
    this.responses++;
    if (status < 200 || status >= 300) {
      this.non2xx++;
      return;
    }
    if (body.includes('"actions":[]')) this.empty++;
    if (body.includes('"fallback":true')) this.fallback++;
    if (this.responses % 25 !== 1) return;
    const r = JSON.parse(body) as {
      actions: unknown[];
      excluded: { stage: string }[];
      modelVersions: Record<string, string>;
      fallback: boolean;
    };
    this.parsed++;
    if (!r.fallback && Object.keys(r.modelVersions).length === 0) this.modelless++;
    this.served += r.actions.length;
    for (const e of r.excluded) this.excluded[e.stage] = (this.excluded[e.stage] ?? 0) + 1;
    this.modelVersions.add(JSON.stringify(r.modelVersions));
  }

  pct(n: number): string {
    return this.responses ? `${fmt((100 * n) / this.responses, 1)}%` : "n/a";
  }
}

interface Phase {
  readonly name: string;
  readonly route: Route;
  readonly load: string;
  readonly requests: number;
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
  /** Service CPU per request, µs: all threads, and the main (JS) thread. */
  readonly cpuUs: number;
  readonly mainUs: number;
  readonly redisUs: number;
  readonly redisCommands: ReturnType<typeof commandStatsDelta>;
  /** Cores busy with other processes (not the service, Redis or this bench) during the phase: the noise. */
  readonly otherCores: number;
  /** The service's GC pauses (one process only: absent with several workers). */
  readonly gc?: GcPhase;
  readonly outcomes?: Outcomes;
}

interface Load {
  readonly requests: number;
  readonly rate: number;
  readonly latencies: number[];
  readonly errors: number;
  readonly note?: string;
}

async function main(): Promise<void> {
  const admin = connectRedis(url);
  try {
    await admin.ping();
  } catch {
    console.error(`No Redis answers at ${url}: start one (redis-server) or set REDIS_URL. Nothing was run.`);
    admin.disconnect();
    process.exit(1);
  }
  const prefix = `nba-bench-decide-${randomUUID().slice(0, 8)}`;
  const policyFile = process.env.POLICY_FILE ?? "data/policies/bank-policy.yaml";
  const { channel, allowed, perChannel } = pickChannel(policyFile);
  const units = new Set(ACTION_CATALOGUE.map((a) => a.businessUnit));
  const promoted = promotedModels();
  const missingModels = MODEL_NAMES.filter((n) => !promoted.includes(n));
  console.log(
    `bench:decide: ${CUSTOMERS.toLocaleString()} customers, Redis ${url}, prefix ${prefix}, Node ${process.version}, ${SECONDS} s per phase`,
  );
  console.log(
    `candidates: the ${ACTION_IDS.length} catalogue actions of ${units.size} business units, journey ${JOURNEY}/${STEP}, channel ${channel}: ${allowed} of ${ACTION_IDS.length} allowed there (${perChannel})`,
  );
  const modelsFile = join(process.env.MODELS_DIR ?? "models", "registry.json");
  console.log(
    `models: ${promoted.length ? promoted.join(", ") : "none"} promoted in ${modelsFile}${process.env.MODELS_DIR ? " (MODELS_DIR)" : ""}`,
  );
  if (missingModels.length > 0) {
    console.log(
      `\nWARNING: model(s) ${missingModels.join(", ")} not promoted in ${process.env.MODELS_DIR ?? "models"}/registry.json: ` +
        "decisions fall back (fallback=true, default propensity) and the figures below do NOT include ONNX scoring.\n",
    );
  }

  let service: ServiceProcess | undefined;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await service?.stop();
    const deleted = await deletePrefix(admin, prefix);
    console.log(`\ncleaned up: ${deleted.toLocaleString()} keys under ${prefix}:* unlinked; service stopped`);
    await admin.quit();
  };
  const abort = new AbortController();
  process.once("SIGINT", () => {
    // Stop loading, let writes in flight land, then delete everything under the prefix.
    abort.abort();
    void new Promise((r) => setTimeout(r, 1_000)).then(cleanup).finally(() => process.exit(130));
  });

  try {
    // 1. The population, straight through the feature store.
    const loaded = await loadCustomers({
      url,
      keyPrefix: prefix,
      customers: CUSTOMERS,
      batch: 500,
      inFlight: 4,
      signal: abort.signal,
      onProgress: (c, e) =>
        process.stdout.write(`  loaded ${c.toLocaleString()} customers, ${e.toLocaleString()} events\r`),
    });
    console.log(
      `loaded ${loaded.customers.toLocaleString()} customers (${loaded.events.toLocaleString()} events, ${loaded.accepted.toLocaleString()} accepted, + profiles) in ${fmt(loaded.seconds, 1)} s (generation included; 500-event batches, 4 in flight)`,
    );

    const sampleIds = Array.from({ length: Math.min(500, CUSTOMERS) }, (_, i) =>
      loaded.customerIds(Math.floor((i * CUSTOMERS) / Math.min(500, CUSTOMERS))),
    );
    const hashSizes = (await Promise.all(sampleIds.map((id) => admin.hlen(`${prefix}:{${id}}:f`)))).sort(
      (a, b) => a - b,
    );
    console.log(
      `feature hash per customer: median ${hashSizes[hashSizes.length >> 1]} fields, p90 ${hashSizes[Math.floor(hashSizes.length * 0.9)]} (${sampleIds.length} sampled); Redis used_memory ${(await admin.info("memory")).match(/used_memory_human:(\S+)/)?.[1]}`,
    );

    const picker = new CustomerPicker(CUSTOMERS);
    const body = () =>
      JSON.stringify({
        customerId: picker.pick(),
        journey: JOURNEY,
        step: STEP,
        channel,
        candidates: ACTION_IDS,
        context: { device: "mobile", campaign: "autumn" },
      });
    // Every decision phase starts from fresh contact histories, customers drawn without repeats: with
    // the policy's cap of 3 offers per 7 days and 3 actions per answer, a customer's second decision
    // would otherwise come back empty (a cheaper path), and more so the longer the run.
    const resetContacts = async () => {
      let cursor = "0";
      do {
        const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}:{*}:contact`, "COUNT", 5000);
        cursor = next;
        if (keys.length) await admin.unlink(...keys);
      } while (cursor !== "0");
      picker.reshuffle();
    };

    // 2. The service.
    const serviceEnv = {
      REDIS_URL: url,
      REDIS_KEY_PREFIX: prefix,
      REQUIRED_MODELS: promoted.join(","),
      LOG_LEVEL: "warn",
      ...(WORKERS > 1 ? { WORKERS: String(WORKERS) } : {}),
    };
    service = await startService(serviceEnv);
    const ready = (await (await fetch(`${service.url}/readyz`)).json()) as {
      status: string;
      checks: { models: { versions: Record<string, string> } };
    };
    console.log(
      `service ${service.url} pid ${service.child.pid}${WORKERS > 1 ? ` (primary of ${WORKERS} workers; no profile phase)` : ""}: ${ready.status}, models ${JSON.stringify(ready.checks.models.versions)}`,
    );
    const probe = await fetch(`${service.url}${PATHS.decision}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body(),
    });
    const probeBody = await probe.text();
    if (!probe.ok) throw new Error(`a decision failed: ${probe.status} ${probeBody}`);
    console.log(`decision body ${body().length} B, response ~${probeBody.length} B`);
    if (LEARN > 0) {
      const learned = await learnBandit({
        serviceUrl: service.url,
        redisUrl: url,
        keyPrefix: prefix,
        policyFile,
        decisions: LEARN,
        body,
      });
      console.log(
        `bandit: learned arms, snapshot ${learned.snapshotVersion}: ${learned.decisions.toLocaleString()} decisions and ${learned.rewards.toLocaleString()} rewards (${learned.accepted.toLocaleString()} accepted) through the service and the learner process in ${fmt(learned.seconds, 1)} s`,
      );
    } else
      console.log("bandit: cold (--learn 0): every arm at its prior, cheaper than production's learned arms");

    // 3. Load phases.
    const runAutocannon = (
      route: Route,
      connections: number,
      seconds: number,
      overallRate?: number,
      outcomes?: Outcomes,
    ) =>
      new Promise<Load>((resolve, reject) => {
        const latencies: number[] = [];
        const instance = autocannon(
          {
            url: service!.url,
            connections,
            duration: seconds,
            ...(overallRate ? { overallRate } : {}),
            requests: [
              {
                method: "POST",
                path: PATHS[route],
                headers: { "content-type": "application/json" },
                setupRequest: (req) => ({ ...req, body: body() }),
                ...(outcomes
                  ? { onResponse: (status: number, text: string) => outcomes.add(status, text) }
                  : {}),
              },
            ],
          },
          (err, result) => {
            if (err) return reject(err);
            resolve({
              requests: result.requests.total,
              rate: result.requests.total / result.duration,
              latencies,
              errors: result.errors + result.timeouts + result.non2xx,
            });
          },
        );
        instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
      });
    const runPaced = async (
      route: Route,
      rate: number,
      seconds: number,
      outcomes?: Outcomes,
    ): Promise<Load> => {
      const r = await pacedLoad({
        url: service!.url,
        path: PATHS[route],
        rate,
        seconds,
        body,
        ...(outcomes ? { onResponse: (status: number, text: string) => outcomes.add(status, text) } : {}),
      });
      return {
        requests: r.completed,
        rate: r.achievedRate,
        latencies: r.latenciesMs,
        errors: r.errors + r.non2xx,
        note: `max in flight ${r.maxInFlight}, generator lag p99 ${fmt(r.p99SendLagMs, 1)} ms, max ${fmt(r.maxSendLagMs, 1)} ms`,
      };
    };

    const phases: Phase[] = [];
    const measure = async (
      name: string,
      route: Route,
      load: string,
      run: (o?: Outcomes) => Promise<Load>,
    ) => {
      if (route === "decision") await resetContacts();
      const outcomes = route === "decision" ? new Outcomes() : undefined;
      const pid = service!.child.pid;
      const cpu0 = processCpuSeconds(pid);
      const redis0 = await redisCpuSeconds(admin);
      const stats0 = await commandStats(admin);
      const machine0 = machineCpuSeconds();
      // With several workers, /metrics answers from one of them: no GC figure then.
      const gc0 = WORKERS === 1 ? await readGcTotals(service!.url) : undefined;
      const self0 = process.cpuUsage();
      const wall0 = performance.now();
      const result = await run(outcomes);
      const wallSeconds = (performance.now() - wall0) / 1000;
      const self = process.cpuUsage(self0);
      const machine1 = machineCpuSeconds();
      const cpu1 = processCpuSeconds(pid);
      const redis1 = await redisCpuSeconds(admin);
      const stats1 = await commandStats(admin);
      const gc1 = gc0 ? await readGcTotals(service!.url) : undefined;
      const lat = latencySummary(result.latencies);
      const phase: Phase = {
        name,
        route,
        load,
        requests: result.requests,
        rate: result.rate,
        p50: lat.p50,
        p99: lat.p99,
        max: lat.max,
        errors: result.errors,
        cpuUs: ((cpu1.total - cpu0.total) * 1e6) / result.requests,
        mainUs: ((cpu1.mainThread - cpu0.mainThread) * 1e6) / result.requests,
        redisUs: ((redis1 - redis0) * 1e6) / result.requests,
        redisCommands: commandStatsDelta(stats0, stats1),
        otherCores:
          (machine1.busy -
            machine0.busy -
            (cpu1.total - cpu0.total) -
            (redis1 - redis0) -
            (self.user + self.system) / 1e6) /
          wallSeconds,
        ...(gc0 && gc1 ? { gc: gcPhase(gc0, gc1, wallSeconds) } : {}),
        ...(outcomes ? { outcomes } : {}),
      };
      phases.push(phase);
      console.log(
        `  ${name.padEnd(34)} ${fmt(phase.rate)} req/s, p50 ${fmt(phase.p50, 2)} ms, p99 ${fmt(phase.p99, 2)} ms, service CPU ${fmt(phase.cpuUs)} µs/req, other procs ${fmt(phase.otherCores, 2)} cores${result.note ? ` (${result.note})` : ""}`,
      );
      return phase;
    };

    console.log("\nwarm-up: 5 s of decisions and 5 s of echo at saturation (not reported)");
    await runAutocannon("decision", SATURATION_CONNECTIONS, 5);
    await runAutocannon("echo", SATURATION_CONNECTIONS, 5);

    console.log("measuring:");
    const sat = `autocannon c${SATURATION_CONNECTIONS}, ${SECONDS} s`;
    const echoSat = await measure("echo, saturation", "echo", sat, () =>
      runAutocannon("echo", SATURATION_CONNECTIONS, SECONDS),
    );
    const decSat = await measure("decisions, saturation", "decision", sat, (o) =>
      runAutocannon("decision", SATURATION_CONNECTIONS, SECONDS, undefined, o),
    );
    const paced: Record<string, Phase> = {};
    const bursty: Record<string, Phase> = {};
    for (const rate of RATES) {
      for (const route of ["decision", "echo"] as const) {
        paced[`${route}${rate}`] = await measure(
          `${route}, ${rate}/s paced`,
          route,
          `open loop ${rate}/s, ${SECONDS} s`,
          (o) => runPaced(route, rate, SECONDS, o),
        );
      }
    }
    for (const rate of RATES) {
      for (const route of ["decision", "echo"] as const) {
        bursty[`${route}${rate}`] = await measure(
          `${route}, ${rate}/s autocannon`,
          route,
          `autocannon overallRate ${rate}, c${RATE_CONNECTIONS}, ${SECONDS} s`,
          (o) => runAutocannon(route, RATE_CONNECTIONS, SECONDS, rate, o),
        );
      }
    }
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    const fallbackReasons = [
      ...metrics.matchAll(/nba_decision_fallbacks_total\{dependency="([^"]+)"\} (\d+)/g),
    ].map((m) => `${m[1]} ${Number(m[2]).toLocaleString()}`);
    await service.stop();
    service = undefined;

    // 4. Where the CPU goes: a profile of the service under decision load, then each part alone.
    let profileReport: (() => void) | undefined;
    if (PROFILE) {
      const file = join(tmpdir(), `${prefix}.cpuprofile`);
      service = await startService({ ...serviceEnv, ...profilerEnv(file, 500) });
      await runAutocannon("decision", SATURATION_CONNECTIONS, 4);
      await resetContacts();
      const pid = service.child.pid;
      const cpu0 = processCpuSeconds(pid);
      startProfiler(service.child);
      await new Promise((r) => setTimeout(r, 200));
      const load = await runAutocannon("decision", SATURATION_CONNECTIONS, 10);
      const profile = await stopProfiler(service.child, file);
      const cpu1 = processCpuSeconds(pid);
      await service.stop();
      service = undefined;
      if (PROFILE_OUT) {
        copyFileSync(file, PROFILE_OUT);
        console.log(`CPU profile kept at ${PROFILE_OUT} (open it in Chrome DevTools > Performance)`);
      }
      rmSync(file, { force: true });
      const summary = summariseProfile(profile, 25);
      const perDecision = (ms: number) => (ms * 1000) / load.requests;
      const mainUs = ((cpu1.mainThread - cpu0.mainThread) * 1e6) / load.requests;
      const allUs = ((cpu1.total - cpu0.total) * 1e6) / load.requests;
      profileReport = () => {
        console.log(
          `\nCPU profile of the service (main thread), decisions at saturation c${SATURATION_CONNECTIONS} for 10 s, sampling every 500 µs:` +
            `\n${fmt(load.rate)} decisions/s while profiling; main thread busy ${fmt(summary.busyMs)} ms of ${fmt(summary.wallMs)} ms = ${fmt(perDecision(summary.busyMs))} µs per decision` +
            ` (/proc: main thread ${fmt(mainUs)} µs, all threads ${fmt(allUs)} µs per decision; the rest is GC helpers, libuv and ORT threads)`,
        );
        printTable(
          ["category", "self µs/decision", "charged µs/decision", "charged share"],
          summary.categories
            .filter((c) => Math.max(c.self, c.charged) / summary.busyMs >= 0.004)
            .map((c) => [
              c.name,
              fmt(perDecision(c.self), 1),
              fmt(perDecision(c.charged), 1),
              `${fmt((100 * c.charged) / summary.busyMs, 1)}%`,
            ]),
        );
        console.log(
          "self: the frame's own code. charged: Node core and V8 builtins (socket writes, string encoding, JSON, microtasks) added to the package or src code that called them.",
        );
        console.log("\nheaviest functions (self time):");
        printTable(
          ["function", "category", "µs/decision"],
          summary.functions.map((f) => [f.name.slice(0, 90), f.category, fmt(perDecision(f.ms), 1)]),
        );
      };
    }
    let stageReport: (() => void) | undefined;
    if (STAGES) {
      await resetContacts();
      const stages = await measureStages({
        url,
        keyPrefix: prefix,
        body,
        requiredModels: promoted.join(","),
      });
      stageReport = () => {
        console.log(
          "\nEach part of a decision alone, in process (Node CPU of this process; Redis server CPU from INFO cpu where it calls Redis):",
        );
        printTable(
          ["part", "Node µs/decision", "Redis µs/decision", "note"],
          stages.map((s) => [
            s.stage,
            fmt(s.cpuUs, 1),
            Number.isNaN(s.redisUs) ? "" : fmt(s.redisUs, 1),
            s.note,
          ]),
        );
        const whole = stages.find((s) => s.stage.startsWith("whole"))?.cpuUs ?? Number.NaN;
        console.log(
          `service CPU per decision at 1,000/s ${fmt(paced.decision1000!.cpuUs)} µs (echo ${fmt(paced.echo1000!.cpuUs)} µs) vs decide() alone ${fmt(whole)} µs:` +
            ` HTTP + Express + body parsing + res.json ≈ ${fmt(paced.decision1000!.cpuUs - whole)} µs per decision`,
        );
      };
    }

    // 5. Report.
    console.log(
      "\nPhases (CPU per request from /proc/<pid>/stat of the service and Redis INFO cpu, over the phase; 'other procs': cores other processes kept busy meanwhile, the noise):",
    );
    printTable(
      [
        "phase",
        "load",
        "req/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "service CPU µs/req (main)",
        "main thread busy",
        "Redis µs/req",
        "GC pauses (scavenges x mean, ms/s)",
        "errors",
        "empty",
        "fallback",
        "other procs",
      ],
      phases.map((p) => [
        p.name,
        p.load,
        fmt(p.rate),
        fmt(p.p50, 2),
        fmt(p.p99, 2),
        fmt(p.max, 1),
        `${fmt(p.cpuUs)} (${fmt(p.mainUs)})`,
        // Its utilisation: near 100%, every pause (a GC, a slow wake-up) drains slowly, and the p99 grows.
        `${fmt((100 * p.mainUs * p.rate) / 1e6)}%`,
        fmt(p.redisUs, 1),
        p.gc
          ? `${fmt(p.gc.minorCount)} x ${fmt(p.gc.minorMeanMs, 1)} ms${p.gc.majorCount ? ` + ${p.gc.majorCount} major` : ""}, ${fmt(p.gc.pauseMsPerSecond, 1)}`
          : "",
        String(p.errors),
        p.outcomes ? p.outcomes.pct(p.outcomes.empty) : "",
        p.outcomes ? p.outcomes.pct(p.outcomes.fallback) : "",
        `${fmt(p.otherCores, 2)} cores`,
      ]),
    );
    for (const p of [decSat, paced.decision1000!]) {
      const commandUs = p.redisCommands.reduce((sum, c) => sum + c.usec, 0);
      console.log(
        `\nRedis during "${p.name}": ${fmt(p.redisUs, 1)} µs CPU per decision, of which command execution (INFO commandstats) ${fmt(commandUs / p.requests, 1)} µs;` +
          " the rest is network I/O and the event loop (script-internal calls are inside EVALSHA too):",
      );
      printTable(
        ["command", "calls/decision", "µs/call", "µs/decision"],
        p.redisCommands
          .slice(0, 10)
          .map((c) => [
            c.command,
            fmt(c.calls / p.requests, 2),
            fmt(c.usec / c.calls, 1),
            fmt(c.usec / p.requests, 1),
          ]),
      );
    }
    const all = phases.filter((p) => p.outcomes).map((p) => p.outcomes!);
    const total = all.reduce((s, o) => s + o.responses, 0);
    const empty = all.reduce((s, o) => s + o.empty, 0);
    const fallback = all.reduce((s, o) => s + o.fallback, 0);
    const parsed = all.reduce((s, o) => s + o.parsed, 0);
    const served = all.reduce((s, o) => s + o.served, 0);
    const excluded: Record<string, number> = {};
    for (const o of all)
      for (const [k, v] of Object.entries(o.excluded)) excluded[k] = (excluded[k] ?? 0) + v;
    const versions = new Set(all.flatMap((o) => [...o.modelVersions]));
    console.log(
      `\ndecisions measured: ${total.toLocaleString()}; no action: ${fmt((100 * empty) / total, 2)}%; fallback=true: ${fmt((100 * fallback) / total, 2)}%` +
        `${fallbackReasons.length ? ` (fallbacks by dependency, whole run: ${fallbackReasons.join(", ")})` : ""}` +
        `\nper decision (every 25th parsed, ${parsed.toLocaleString()}): ${fmt(served / parsed, 2)} actions served; excluded per decision by stage: ${Object.entries(
          excluded,
        )
          .map(([k, v]) => `${k} ${fmt(v / parsed, 2)}`)
          .join(", ")}; candidates after the channel filter: ${allowed}` +
        `\nmodelVersions seen: ${[...versions].join(" | ") || "none"}`,
    );
    const storage = await measureDecisionStorage(admin, prefix);
    if (storage) {
      // The hashes live for the reward window plus the margin; that is what sizes a production Redis.
      const { document } = await loadPolicyFile(policyFile);
      const hoursKept = document.bandit.rewardWindowHours + DEFAULT_RETENTION_MARGIN_MS / 3_600_000;
      const gbAt1000 = (storage.meanHashBytes * 1_000 * hoursKept * 3_600) / 1e9;
      console.log(
        `\ndecision storage (${storage.hashes} hashes, MEMORY USAGE SAMPLES 0): hash ${fmt(storage.meanHashBytes)} B` +
          ` (${Object.entries(storage.encodings)
            .map(([k, v]) => `${k} ${v}`)
            .join(
              ", ",
            )}; reward basis ${fmt(storage.meanBasisChars)} chars; hash-max-listpack-value ${storage.listpackValueLimit ?? "unknown"}),` +
          ` stream entry ${fmt(storage.meanStreamEntryBytes)} B; hashes at 1,000 decisions/s for ${fmt(hoursKept)} h: ~${fmt(gbAt1000)} GB`,
      );
    }
    // A fallback answer names no model that ran out of its budget; only model-less answers that are not
    // fallbacks mean the figures lack the ONNX cost.
    const modelless = all.reduce((s, o) => s + o.modelless, 0);
    if (missingModels.length > 0 || modelless > 0) {
      console.log(
        `WARNING: models were missing (${missingModels.join(", ") || "see modelVersions"}): decisions fell back to the default propensity; ONNX cost is NOT in these figures.`,
      );
    }

    const verdict = (ok: boolean) => (ok ? "MET" : "MISSED");
    const ratio = decSat.rate / echoSat.rate;
    const rows: string[][] = [
      [
        `throughput at saturation (c${SATURATION_CONNECTIONS}, ${SECONDS} s)`,
        `${fmt(decSat.rate)}/s`,
        `${fmt(echoSat.rate)}/s`,
        fmt(ratio, 2),
        ">= 0.60 of echo",
        verdict(ratio >= 0.6),
      ],
      [
        "p50 / p99 at saturation",
        `${fmt(decSat.p50, 2)} / ${fmt(decSat.p99, 2)} ms`,
        `${fmt(echoSat.p50, 2)} / ${fmt(echoSat.p99, 2)} ms`,
        fmt(decSat.p99 / echoSat.p99, 2),
        "",
        "",
      ],
    ];
    for (const rate of RATES) {
      for (const [label, set] of [
        ["paced, open loop", paced],
        [`autocannon overallRate c${RATE_CONNECTIONS}`, bursty],
      ] as const) {
        const d = set[`decision${rate}`]!;
        const e = set[`echo${rate}`]!;
        const target = rate === 1_000 ? "p99 <= 5 ms" : "";
        const ok = d.p99 <= 5 && d.rate >= rate * 0.97;
        rows.push([
          `p50 / p99 at ${rate.toLocaleString()}/s, ${label} (achieved)`,
          `${fmt(d.p50, 2)} / ${fmt(d.p99, 2)} ms (${fmt(d.rate)}/s)`,
          `${fmt(e.p50, 2)} / ${fmt(e.p99, 2)} ms (${fmt(e.rate)}/s)`,
          fmt(d.p99 / e.p99, 2),
          target,
          target ? verdict(ok) : "",
        ]);
      }
    }
    rows.push(
      [
        "service CPU per request, saturation (all threads)",
        `${fmt(decSat.cpuUs)} µs`,
        `${fmt(echoSat.cpuUs)} µs`,
        fmt(decSat.cpuUs / echoSat.cpuUs, 2),
        "",
        "",
      ],
      [
        "service CPU per request at 1,000/s paced (all threads)",
        `${fmt(paced.decision1000!.cpuUs)} µs`,
        `${fmt(paced.echo1000!.cpuUs)} µs`,
        fmt(paced.decision1000!.cpuUs / paced.echo1000!.cpuUs, 2),
        "",
        "",
      ],
      [
        "Redis CPU per request, saturation",
        `${fmt(decSat.redisUs, 1)} µs`,
        `${fmt(echoSat.redisUs, 1)} µs`,
        "",
        "",
        "",
      ],
    );
    console.log("");
    printTable(["measure", "decisions", "echo", "decision/echo", "target", "verdict"], rows);
    console.log(
      "targets are judged on the paced open-loop figures; autocannon's overallRate rows are bursts at c" +
        `${RATE_CONNECTIONS} once a second (see the file header). The ${RATES.at(-1)!.toLocaleString()}/s verdict also needs the rate achieved (>= 97%).`,
    );
    profileReport?.();
    stageReport?.();
    console.log(`\npeak RSS of the bench process: ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
