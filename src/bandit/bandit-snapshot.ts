/**
 * Versioned, compact, verifiable bandit snapshots. The text is one JSON object: configuration and
 * per-arm counts in clear, and every arm's A⁻¹ (packed) and b as little-endian float64 in base64.
 * The version is `<counter>-<content hash>`: the counter is monotonic per learner lineage, the hash
 * (SHA-256 over the canonical header and the binary data) detects any corruption. `decodeSnapshot`
 * validates everything (zod, sizes, hash, finite values) and throws `BanditSnapshotError` otherwise,
 * so a bad snapshot is refused and whatever was serving keeps serving.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { BanditConfig, BanditState } from "./bandit.js";
import { BanditSnapshotError } from "./bandit-snapshot-error.js";
import { packedSize, rowOffset } from "./linear-algebra.js";
import { ARM_FEATURES } from "./ridge-arm.js";

export const SNAPSHOT_FORMAT = "nba-bandit-snapshot";
export const SNAPSHOT_FORMAT_VERSION = 1;

const probability = z.number().min(0).max(1);
const positive = z.number().positive().finite();

const explorationSchema = z.discriminatedUnion("algorithm", [
  z.strictObject({
    algorithm: z.literal("thompson"),
    posteriorScale: positive,
    draws: z.number().int().min(1).max(4096),
  }),
  z.strictObject({ algorithm: z.literal("linucb"), alpha: z.number().min(0).finite(), epsilon: probability }),
  z.strictObject({ algorithm: z.literal("epsilon_greedy"), epsilon: probability }),
  z.strictObject({ algorithm: z.literal("softmax"), temperature: positive }),
]);

export const banditConfigSchema = z.strictObject({
  exploration: explorationSchema,
  scorer: z.enum(["ridge", "prior"]),
  ridge: positive,
  contextDim: z.number().int().min(1).max(1024),
  contextSchema: z.string().min(1).max(200),
});

const snapshotSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
  version: z.string().regex(/^\d+-[0-9a-f]{12}$/),
  counter: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.number().int().min(0),
  config: banditConfigSchema,
  arms: z
    .array(
      z.strictObject({
        actionId: z.string().min(1).max(200),
        count: z.number().int().min(0),
        rewardSum: z.number().finite(),
      }),
    )
    .max(10_000),
  data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64"),
});

export interface DecodedSnapshot {
  readonly version: string;
  readonly counter: number;
  readonly createdAt: number;
  readonly state: BanditState;
}

export interface EncodedSnapshot {
  readonly version: string;
  readonly counter: number;
  /** What stores keep and replicas decode. */
  readonly text: string;
}

function digest(header: unknown, data: Buffer): string {
  return createHash("sha256").update(JSON.stringify(header)).update("\n").update(data).digest("hex");
}

function header(
  config: BanditConfig,
  arms: readonly { actionId: string; count: number; rewardSum: number }[],
) {
  return { format: SNAPSHOT_FORMAT, formatVersion: SNAPSHOT_FORMAT_VERSION, config, arms };
}

/** Serialises `state` as snapshot number `counter` (>= 1, strictly increasing per lineage). */
export function encodeSnapshot(state: BanditState, counter: number, createdAt = Date.now()): EncodedSnapshot {
  const dim = state.config.contextDim + ARM_FEATURES;
  const per = packedSize(dim) + dim;
  const data = Buffer.alloc(state.arms.length * per * 8);
  let offset = 0;
  for (const arm of state.arms) {
    for (const v of arm.aInv) offset = data.writeDoubleLE(v, offset);
    for (const v of arm.b) offset = data.writeDoubleLE(v, offset);
  }
  const arms = state.arms.map((a) => ({ actionId: a.actionId, count: a.count, rewardSum: a.rewardSum }));
  const config = banditConfigSchema.parse(state.config);
  const hash = digest(header(config, arms), data);
  const version = `${counter}-${hash.slice(0, 12)}`;
  const text = JSON.stringify({
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    version,
    counter,
    hash,
    createdAt,
    config,
    arms,
    data: data.toString("base64"),
  });
  return { version, counter, text };
}

/** Parses and verifies a snapshot; throws `BanditSnapshotError` on anything wrong. */
export function decodeSnapshot(text: string): DecodedSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BanditSnapshotError("bandit snapshot is not JSON");
  }
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new BanditSnapshotError(
      `bandit snapshot is malformed: ${first ? `${first.path.join(".")}: ${first.message}` : "unknown"}`,
    );
  }
  const s = parsed.data;
  const dim = s.config.contextDim + ARM_FEATURES;
  const packed = packedSize(dim);
  const per = packed + dim;
  const data = Buffer.from(s.data, "base64");
  if (data.length !== s.arms.length * per * 8)
    throw new BanditSnapshotError(
      `bandit snapshot data has ${data.length} bytes, expected ${s.arms.length * per * 8}`,
    );
  const hash = digest(header(s.config, s.arms), data);
  if (hash !== s.hash) throw new BanditSnapshotError("bandit snapshot hash does not match its content");
  if (s.version !== `${s.counter}-${hash.slice(0, 12)}`)
    throw new BanditSnapshotError("bandit snapshot version does not match its counter and hash");
  const seen = new Set<string>();
  const arms = s.arms.map((meta, i) => {
    if (seen.has(meta.actionId)) throw new BanditSnapshotError(`arm ${meta.actionId} appears twice`);
    seen.add(meta.actionId);
    const aInv = new Float64Array(packed);
    const b = new Float64Array(dim);
    let offset = i * per * 8;
    for (let j = 0; j < packed; j++, offset += 8) aInv[j] = data.readDoubleLE(offset);
    for (let j = 0; j < dim; j++, offset += 8) b[j] = data.readDoubleLE(offset);
    for (const v of aInv)
      if (!Number.isFinite(v)) throw new BanditSnapshotError(`arm ${meta.actionId}: A⁻¹ is not finite`);
    for (const v of b)
      if (!Number.isFinite(v)) throw new BanditSnapshotError(`arm ${meta.actionId}: b is not finite`);
    for (let j = 0; j < dim; j++)
      if (!(aInv[rowOffset(dim, j)]! > 0))
        throw new BanditSnapshotError(`arm ${meta.actionId}: A⁻¹ is not positive definite`);
    return { ...meta, aInv, b };
  });
  return {
    version: s.version,
    counter: s.counter,
    createdAt: s.createdAt,
    state: { config: s.config, arms },
  };
}
