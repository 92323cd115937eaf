/**
 * The one interface of the decision log (Redis in production, in-memory as the embedded default):
 * every decision in log order for audit, export and off-policy evaluation, and each decision by id
 * for its reward window (its RewardBasis; the whole record only under an idempotency key). Both pass
 * test/decisioning/decision-log.contract.ts.
 */
import type { DecisionRecord } from "./decision-record.js";

/** A decision stays rewardable (and, with an idempotency key, readable by id) until its reward deadline plus this margin. */
export const DEFAULT_RETENTION_MARGIN_MS = 86_400_000;
/** The decision stream keeps about this many entries (Redis trims approximately, `MAXLEN ~`). */
export const DEFAULT_DECISION_LOG_LENGTH = 1_000_000;

/** Decision ids made from an idempotency key start with this (decision-service.ts). */
export const IDEMPOTENT_ID_PREFIX = "idem-";

/**
 * Whether a decision keeps its whole record by id (for `get`): only one made under an idempotency key,
 * whose replay must answer with it. Every decision keeps its RewardBasis (reward-join.ts).
 */
export function keepsRecord(decisionId: string): boolean {
  return decisionId.startsWith(IDEMPOTENT_ID_PREFIX);
}

/** A window of a log by log time (epoch ms of the append, on the store's clock: Redis's for Redis). */
export interface LogRangeOptions {
  /** Inclusive; default the oldest entry kept. */
  readonly since?: number;
  /** Inclusive; default the newest entry. */
  readonly until?: number;
  /** Entries fetched per round trip. Default 500. */
  readonly pageSize?: number;
}

/** What every log refuses before writing anything: a record whose default reward cannot be stored. */
export function assertLoggable(record: DecisionRecord): void {
  if (!Number.isFinite(record.defaultReward)) throw new TypeError("defaultReward must be a finite number");
}

export interface DecisionLogEntry {
  /** Log entry id, `<ms>-<seq>` (a Redis stream id); increasing in log order. */
  readonly id: string;
  readonly record: DecisionRecord;
}

export interface DecisionLog {
  readonly kind: "redis" | "memory";
  /**
   * Logs a decision once (call it once per decision id: a second call adds a second log entry but
   * leaves the stored decision and its rewards alone) and keeps it by id until its reward deadline
   * plus the retention margin; its served actions then await a reward or the default.
   */
  append(record: DecisionRecord): Promise<void>;
  /**
   * Claims `decisionId` for the one decision being made under it (a request with an idempotency key):
   * true for the first claim, false while an earlier claim holds (for `ttlMs`, so a crashed claimant
   * does not block the id for ever).
   */
  claim(decisionId: string, ttlMs: number): Promise<boolean>;
  /**
   * The record of a decision made under an idempotency key (`keepsRecord`), or null when there is none:
   * never logged, its retention passed, or a decision without a key (its record is in the log only).
   */
  get(decisionId: string): Promise<DecisionRecord | null>;
  /** Logged decisions in log order (oldest first), read page by page. */
  range(options?: LogRangeOptions): AsyncIterable<DecisionLogEntry>;
}
