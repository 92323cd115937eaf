/**
 * Service configuration from environment variables, validated once at start-up. A bad value stops
 * the process with a message naming the variable.
 */
import { z } from "zod";

const port = z.coerce.number().int("must be a whole number").min(0).max(65_535);

export const configSchema = z.object({
  PORT: port.default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Selects the Redis store; absent means the embedded in-memory store. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]+$/, "may contain only letters, digits and _ . : -")
    .default("nba:v1"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Customers generated and loaded at start-up on the embedded store (0 to skip). */
  SAMPLE_CUSTOMERS: z.coerce.number().int().min(0).max(100_000).default(1_000),
  SAMPLE_SEED: z.coerce.number().int().default(42),
  /** Largest JSON body accepted (bytes); a batch of 1,000 events is about 250 KB. */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(50_000_000).default(2_000_000),
  /** The arbitration policy file, watched and hot-reloaded. */
  POLICY_FILE: z.string().min(1).default("data/policies/bank-policy.yaml"),
  /** How often replicas look for a policy activated elsewhere (ms). */
  POLICY_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(500),
  /** Bearer token for admin routes (policies, models). Unset: admin routes answer 403. */
  ADMIN_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters")
    .regex(/^\S+$/, "must not contain whitespace (it is sent as a Bearer token)")
    .optional(),
  /** The model registry folder (models/<name>/<version>/ and registry.json). */
  MODELS_DIR: z.string().min(1).default("models"),
  /** Models that must be loaded for /readyz (comma-separated; empty for none). */
  REQUIRED_MODELS: z
    .string()
    .default("churn,propensity")
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  /** Slow poll of the registry behind the file watch (ms). */
  MODELS_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** A decision's budget for its dependency calls (Redis, ONNX) together, past which defaults apply (ms). */
  DECISION_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(50),
  /**
   * About how many decision records the decision log keeps (each 5.6-6.5 KB in Redis, more as objects in
   * the embedded store's memory): default 1,000,000 on Redis and 100,000 on the embedded store.
   */
  DECISION_LOG_MAX_LENGTH: z.coerce
    .number()
    .int("must be a whole number")
    .min(1_000)
    .max(100_000_000)
    .optional(),
  /**
   * `true` during a rolling upgrade from a version before the reward basis: every decision's Redis hash
   * keeps its whole record instead of its basis, so replicas of the earlier version can still join its
   * rewards.
   * Unset it once every replica runs this version (docs/decision-log.md).
   */
  DECISION_HASH_KEEPS_RECORD: z.stringbool().default(false),
  /** Seeds exploration (with each decision id), so a decision can be reproduced. */
  DECISION_SEED: z.coerce.number().int().min(0).max(0xffffffff).default(42),
  /** Seconds to finish in-flight requests on SIGTERM before exiting anyway. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(300).default(10),
  /**
   * Service processes sharing the port (node:cluster): one per core is how one machine serves more
   * than one core's worth of decisions. More than one needs REDIS_URL: the embedded store lives in
   * one process.
   */
  WORKERS: z.coerce.number().int("must be a whole number").min(1).max(64).default(1),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Rules across variables, checked after each variable's own. */
const checkedConfigSchema = configSchema.superRefine((c, ctx) => {
  if (c.WORKERS > 1 && !c.REDIS_URL)
    ctx.addIssue({
      code: "custom",
      path: ["WORKERS"],
      message: "more than 1 worker needs REDIS_URL (the embedded in-memory store lives in one process)",
    });
});

/**
 * Variables whose empty value is not "unset": REQUIRED_MODELS= means no models are required, and
 * REDIS_URL= is refused (a secret that came through empty must not quietly turn a replica into one
 * on its own in-memory store, with contact caps no other replica sees).
 */
const EMPTY_IS_A_VALUE = new Set(["REQUIRED_MODELS", "REDIS_URL"]);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // `PORT=` (as compose files and shells leave it) means unset: coerced, it would be port 0.
  const given = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => value !== "" || EMPTY_IS_A_VALUE.has(name)),
  );
  const parsed = checkedConfigSchema.safeParse(given);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    // A number variable that is not one coerces to NaN, which zod reports as "received NaN".
    const reason = i.code === "invalid_type" && i.expected === "number" ? "must be a number" : i.message;
    return `  ${i.path.join(".")}=${JSON.stringify(env[String(i.path[0])] ?? "")}: ${reason}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}
