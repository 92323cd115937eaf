/**
 * Versioned, compact, verifiable bandit snapshots. The text is one JSON object: configuration and
 * per-arm counts in clear, and every arm's A⁻¹ (packed) and b as little-endian float64 in base64.
 * The version is `<counter>-<content hash>`: the counter is monotonic per learner lineage, the hash
 * (SHA-256 over the canonical header and the binary data) detects any corruption. `decodeSnapshot`
 * validates everything (zod, sizes, hash, finite values) and throws `BanditSnapshotError` otherwise,
 * so a bad snapshot is refused and whatever was serving keeps serving.
 *
 * Format 2 adds `unacked`: the ids of the reward-stream entries this snapshot includes that were not
 * yet acknowledged when it was published. A learner that resumes from it acknowledges them without
 * applying them again, so a crash between a publish and its acknowledgement counts no reward twice.
 * Format 1 snapshots (no `unacked`) still decode, with an empty list.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { describeIssues } from "../errors/describe-issues.js";
import { MAX_ID_LENGTH } from "../policy/policy-schema.js";
import type { BanditConfig, BanditState } from "./bandit.js";
import { BanditSnapshotError } from "./bandit-snapshot-error.js";
import { packedSize, rowOffset } from "./linear-algebra.js";
import { ARM_FEATURES } from "./ridge-arm.js";

export const SNAPSHOT_FORMAT = "nba-bandit-snapshot";
export const SNAPSHOT_FORMAT_VERSION = 2;
/** Bounds a snapshot's `unacked` list (a learner acknowledges after every publish, so it stays small). */
export const MAX_UNACKED_IDS = 1_000_000;

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
  scorer: z.enum(["ridge", "logistic", "prior"]),
  ridge: positive,
  contextDim: z.number().int().min(1).max(1024),
  contextSchema: z.string().min(1).max(200),
});

/** Checked on write too: a learner must never publish a snapshot its replicas refuse. */
const armsSchema = z
  .array(
    z.strictObject({
      actionId: z.string().min(1).max(MAX_ID_LENGTH),
      count: z.number().int().min(0),
      rewardSum: z.number().finite(),
    }),
  )
  .max(10_000);

const snapshotSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  /** 1 (no `unacked`) and 2 are read; 2 is written. */
  formatVersion: z.union([z.literal(1), z.literal(SNAPSHOT_FORMAT_VERSION)]),
  version: z.string().regex(/^\d+-[0-9a-f]{12}$/),
  counter: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.number().int().min(0),
  config: banditConfigSchema,
  arms: armsSchema,
  /** Format 2: reward entry ids included but not yet acknowledged at publish time. */
  unacked: z.array(z.string().min(1).max(200)).max(MAX_UNACKED_IDS).optional(),
  data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64"),
});

export interface DecodedSnapshot {
  readonly version: string;
  readonly counter: number;
  readonly createdAt: number;
  readonly state: BanditState;
  /**
   * Ids of the reward entries the state includes that were not acknowledged when it was published
   * (empty for format 1): a resuming learner acknowledges them and never applies them again.
   */
  readonly unacked: readonly string[];
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
  formatVersion: number,
  config: BanditConfig,
  arms: readonly { actionId: string; count: number; rewardSum: number }[],
  unacked: readonly string[] | undefined,
) {
  // Format 1 hashed exactly these four fields; format 2 adds the unacknowledged ids.
  return formatVersion === 1
    ? { format: SNAPSHOT_FORMAT, formatVersion, config, arms }
    : { format: SNAPSHOT_FORMAT, formatVersion, config, arms, unacked: unacked ?? [] };
}

/**
 * Serialises `state` as snapshot number `counter` (>= 1, strictly increasing per lineage). `unacked`:
 * the ids of reward entries `state` includes that are not acknowledged yet (see the module comment).
 */
export function encodeSnapshot(
  state: BanditState,
  counter: number,
  createdAt = Date.now(),
  unacked: readonly string[] = [],
): EncodedSnapshot {
  if (unacked.length > MAX_UNACKED_IDS)
    throw new RangeError(`a snapshot carries at most ${MAX_UNACKED_IDS} unacknowledged ids`);
  const dim = state.config.contextDim + ARM_FEATURES;
  const per = packedSize(dim) + dim;
  const data = Buffer.alloc(state.arms.length * per * 8);
  let offset = 0;
  for (const arm of state.arms) {
    for (const v of arm.aInv) offset = data.writeDoubleLE(v, offset);
    for (const v of arm.b) offset = data.writeDoubleLE(v, offset);
  }
  const arms = state.arms.map((a) => ({ actionId: a.actionId, count: a.count, rewardSum: a.rewardSum }));
  const armsCheck = armsSchema.safeParse(arms);
  if (!armsCheck.success)
    throw new RangeError(`a snapshot no replica would accept: arms.${describeIssues(armsCheck.error)}`);
  const config = banditConfigSchema.parse(state.config);
  const ids = [...unacked];
  const hash = digest(header(SNAPSHOT_FORMAT_VERSION, config, arms, ids), data);
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
    unacked: ids,
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
  if (s.formatVersion === 1 && s.unacked !== undefined)
    throw new BanditSnapshotError("bandit snapshot format 1 has no unacked list");
  const hash = digest(header(s.formatVersion, s.config, s.arms, s.unacked), data);
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
    unacked: s.unacked ?? [],
  };
}
