/**
 * CPU profiles of the service process: a preload (cpu-profile-preload.mjs) toggled by SIGUSR2 records
 * exactly the load phase we choose, and `summariseProfile` turns the V8 profile into self time per
 * category (Express, ioredis, zod, ONNX, bandit, ...) of the main thread.
 *
 * Caveat when reading the result: V8 charges time inside C++ builtins (JSON.stringify/parse,
 * socket writes) to the JavaScript function that called them, so e.g. the record's JSON.stringify
 * shows up under "decision log" and `res.json` under Express.
 */

import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const PROFILE_PRELOAD = fileURLToPath(new URL("./cpu-profile-preload.mjs", import.meta.url));

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** The environment that makes startService's process profile-able by `toggleProfiler`. */
export function profilerEnv(file: string, intervalUs = 500): Record<string, string> {
  const existing = process.env.NODE_OPTIONS ? `${process.env.NODE_OPTIONS} ` : "";
  return {
    NODE_OPTIONS: `${existing}--import ${PROFILE_PRELOAD}`,
    CPU_PROFILE_FILE: file,
    CPU_PROFILE_INTERVAL_US: String(intervalUs),
  };
}

export function startProfiler(child: ChildProcess): void {
  child.kill("SIGUSR2");
}

/** Stops the profiler and waits for the profile file (written by the preload). */
export async function stopProfiler(
  child: ChildProcess,
  file: string,
  timeoutMs = 30_000,
): Promise<CpuProfile> {
  child.kill("SIGUSR2");
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`no CPU profile at ${file} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
}

const EXPRESS_PACKAGES = [
  "express",
  "router",
  "body-parser",
  "raw-body",
  "iconv-lite",
  "type-is",
  "content-type",
  "media-typer",
  "mime-types",
  "mime-db",
  "qs",
  "on-finished",
  "finalhandler",
  "send",
  "http-errors",
  "depd",
  "statuses",
  "encodeurl",
  "escape-html",
  "parseurl",
  "path-to-regexp",
  "accepts",
  "negotiator",
  "vary",
  "fresh",
  "range-parser",
  "etag",
  "proxy-addr",
  "forwarded",
  "ipaddr.js",
  "debug",
  "ms",
  "unpipe",
  "bytes",
  "ee-first",
  "setprototypeof",
  "is-promise",
  "side-channel",
  "get-intrinsic",
  "call-bind-apply-helpers",
  "call-bound",
  "es-errors",
  "object-inspect",
];
const IOREDIS_PACKAGES = [
  "ioredis",
  "redis-parser",
  "denque",
  "cluster-key-slot",
  "standard-as-callback",
  "redis-errors",
];

function packageOf(url: string): string | undefined {
  const i = url.lastIndexOf("/node_modules/");
  if (i < 0) return undefined;
  const rest = url.slice(i + "/node_modules/".length).split("/");
  return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
}

/** The category of a frame's self time. */
export function categorise(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === "(idle)") return "(idle)";
  if (functionName === "(garbage collector)") return "GC (main-thread part)";
  if (functionName === "(program)") return "V8/native, unattributed ((program))";
  const pkg = packageOf(url);
  if (pkg) {
    if (EXPRESS_PACKAGES.includes(pkg)) return "Express + body-parser (incl. res.json's JSON.stringify)";
    if (IOREDIS_PACKAGES.includes(pkg)) return "ioredis (commands, reply parsing)";
    if (pkg === "zod") return "zod (request validation)";
    if (pkg.startsWith("onnxruntime")) return "ONNX runtime (JS side, sync native)";
    if (pkg === "json-logic-js") return "json-logic (policy rules)";
    if (pkg === "pino" || pkg === "sonic-boom" || pkg === "thread-stream") return "pino logging";
    if (pkg === "prom-client" || pkg === "tdigest" || pkg === "bintrees") return "prom-client metrics";
    if (pkg === "tsx") return "tsx loader";
    return `other package: ${pkg}`;
  }
  if (url.includes("/src/")) {
    const path = url.slice(url.lastIndexOf("/src/") + 5);
    if (path.startsWith("bandit/")) return "bandit (Thompson sampling, encoder)";
    if (path.startsWith("features/") || path.startsWith("redis/"))
      return "feature read (decode + vector, store code)";
    if (path.startsWith("scoring/")) return "scoring (ONNX input encoding)";
    if (path.startsWith("policy/")) return "policy (rules, weights)";
    if (path.startsWith("decisioning/stages/")) return "pipeline stages (eligibility, arbitration, top-k)";
    if (path.startsWith("decisioning/redis-contact-store") || path.startsWith("decisioning/contact"))
      return "contact history (codec, rules)";
    if (path.startsWith("decisioning/redis-decision-log") || path.startsWith("decisioning/reward-join"))
      return "decision log append (incl. record JSON.stringify)";
    if (path.startsWith("decisioning/decision-response")) return "response object building";
    if (path.startsWith("decisioning/with-timeout")) return "decision budget (Deadline)";
    if (path.startsWith("decisioning/decision-service"))
      return "decision service (pipeline glue, explanations)";
    if (path.startsWith("decisioning/")) return "decisioning, other";
    if (path.startsWith("api/")) return "api (routes, middleware, metrics)";
    if (path.startsWith("random/")) return "bandit (Thompson sampling, encoder)";
    return `src, other: ${path}`;
  }
  if (url.startsWith("node:")) {
    if (/_http_|node:http|internal\/http/.test(url)) return "Node http + net + streams";
    if (/node:net|node:stream|internal\/streams|stream_base|node:events|internal\/event_target/.test(url))
      return "Node http + net + streams";
    if (/timers/.test(url)) return "Node timers";
    if (/crypto/.test(url)) return "Node crypto (randomUUID)";
    if (/task_queues|internal\/process\/promises/.test(url)) return "Node promises/microtasks";
    return "Node core, other";
  }
  if (url === "") return `V8 builtin: ${functionName || "(anonymous)"}`;
  return "other";
}

export interface ProfileSummary {
  /** Profiled wall time, ms. */
  readonly wallMs: number;
  /** Main-thread time that was not idle, ms. */
  readonly busyMs: number;
  /**
   * Category -> busy ms, largest first: `self` by the frame's own code; `charged` with Node core and
   * V8 builtins (socket writes, JSON, microtasks) charged to the nearest package or src frame that
   * called them (what is left under Node/V8 categories then ran with no such caller, e.g. HTTP parsing).
   */
  readonly categories: readonly { name: string; self: number; charged: number }[];
  /** The heaviest functions by self time. */
  readonly functions: readonly { name: string; category: string; ms: number }[];
}

const isOwnCode = (category: string) =>
  !category.startsWith("Node ") &&
  !category.startsWith("V8 ") &&
  !category.startsWith("GC ") &&
  category !== "tsx loader" &&
  category !== "(idle)";

export function summariseProfile(profile: CpuProfile, topFunctions = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the time between sample i-1 and sample i; sample i lasts until sample i+1.
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const chargedCategory = (id: number, own: string): string => {
    if (isOwnCode(own) || own.startsWith("GC ") || own.startsWith("V8/native")) return own;
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
      const c = categorise(byId.get(p)!.callFrame);
      if (isOwnCode(c)) return c;
    }
    return own;
  };
  const self = new Map<string, number>();
  const charged = new Map<string, number>();
  const functions = new Map<string, { category: string; us: number }>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const category = categorise(frame);
    if (category === "(idle)") continue;
    busyUs += us;
    self.set(category, (self.get(category) ?? 0) + us);
    const to = chargedCategory(id, category);
    charged.set(to, (charged.get(to) ?? 0) + us);
    const where = frame.url
      ? `${frame.url.replace(/^.*\/(node_modules|src)\//, "$1/")}:${frame.lineNumber + 1}`
      : "";
    const name = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    const f = functions.get(name) ?? { category, us: 0 };
    f.us += us;
    functions.set(name, f);
  }
  const names = new Set([...self.keys(), ...charged.keys()]);
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busyUs / 1000,
    categories: [...names]
      .map((name) => ({ name, self: (self.get(name) ?? 0) / 1000, charged: (charged.get(name) ?? 0) / 1000 }))
      .sort((a, b) => b.charged - a.charged || b.self - a.self),
    functions: [...functions]
      .map(([name, f]) => ({ name, category: f.category, ms: f.us / 1000 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, topFunctions),
  };
}
