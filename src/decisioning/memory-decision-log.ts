/**
 * The embedded decision log: the records in a capped in-process log, each decision's RewardBasis (and,
 * under an idempotency key, its record) kept by id until its deadline plus the margin, and a schedule
 * of deadlines the memory reward store sweeps. Passes the same contract suite as the Redis log.
 */
import {
  assertLoggable,
  DEFAULT_DECISION_LOG_LENGTH,
  DEFAULT_RETENTION_MARGIN_MS,
  type DecisionLog,
  type DecisionLogEntry,
  keepsRecord,
  type LogRangeOptions,
} from "./decision-log.js";
import type { DecisionRecord } from "./decision-record.js";
import { MemoryLog } from "./memory-log.js";
import { MinHeap } from "./min-heap.js";
import { type RewardBasis, rewardBasisOf, type StoredReward } from "./reward-join.js";

/** One stored decision: what the Redis decision hash holds. */
export interface MemoryDecision {
  readonly basis: RewardBasis;
  readonly defaultReward: number;
  /** Only for a decision made under an idempotency key (`keepsRecord`). */
  readonly record?: DecisionRecord;
  /** Served action id -> its reward, null until one joins or the default applies. */
  readonly rewards: Map<string, StoredReward | null>;
  /** Served action ids whose reward went to the reward stream. */
  readonly emitted: Set<string>;
  readonly expiresAt: number;
}

interface Scheduled {
  readonly kind: "due" | "expire";
  readonly decision: MemoryDecision;
}

export interface MemoryDecisionLogOptions {
  readonly maxLength?: number;
  readonly retentionMarginMs?: number;
  /** The clock of log times and expiry. Default Date.now. */
  readonly now?: () => number;
}

export class MemoryDecisionLog implements DecisionLog {
  readonly kind = "memory";
  private readonly decisions = new Map<string, MemoryDecision>();
  /** Decision id -> when its claim lapses. */
  private readonly claims = new Map<string, number>();
  private readonly schedule = new MinHeap<Scheduled>();
  private readonly log: MemoryLog<DecisionRecord>;
  private readonly now: () => number;

  constructor(private readonly options: MemoryDecisionLogOptions = {}) {
    this.now = options.now ?? Date.now;
    this.log = new MemoryLog(options.maxLength ?? DEFAULT_DECISION_LOG_LENGTH, this.now);
  }

  async append(record: DecisionRecord): Promise<void> {
    assertLoggable(record);
    // Kept as given (its type is read-only; the pipeline builds a fresh record per decision and never
    // changes it after): cloning on append was most of the embedded log's cost. Reads hand out copies.
    const copy = record;
    this.log.append(copy);
    const now = this.now();
    if (this.lookup(record.decisionId, now)) return;
    const margin = this.options.retentionMarginMs ?? DEFAULT_RETENTION_MARGIN_MS;
    const decision: MemoryDecision = {
      basis: rewardBasisOf(record),
      defaultReward: record.defaultReward,
      ...(keepsRecord(record.decisionId) ? { record: copy } : {}),
      rewards: new Map(record.chosen.map((c) => [c.actionId, null])),
      emitted: new Set(),
      expiresAt: now + Math.max(1, record.rewardDeadline + margin - record.createdAt),
    };
    this.decisions.set(record.decisionId, decision);
    if (decision.rewards.size > 0) this.schedule.push(record.rewardDeadline, { kind: "due", decision });
    this.schedule.push(decision.expiresAt, { kind: "expire", decision });
  }

  async claim(decisionId: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const held = this.claims.get(decisionId);
    if (held !== undefined && held > now) return false;
    // Lapsed claims go when a new one is made; ids with an idempotency key are few.
    for (const [id, until] of this.claims) if (until <= now) this.claims.delete(id);
    this.claims.set(decisionId, now + ttlMs);
    return true;
  }

  async get(decisionId: string): Promise<DecisionRecord | null> {
    const record = this.lookup(decisionId, this.now())?.record;
    return record ? (structuredClone(record) as DecisionRecord) : null;
  }

  async *range(options: LogRangeOptions = {}): AsyncIterable<DecisionLogEntry> {
    for (const entry of this.log.range(options)) {
      yield { id: entry.id, record: structuredClone(entry.value) as DecisionRecord };
    }
  }

  /** The stored decision while it is kept (for the memory reward store). */
  lookup(decisionId: string, now: number): MemoryDecision | undefined {
    const decision = this.decisions.get(decisionId);
    return decision && decision.expiresAt > now ? decision : undefined;
  }

  /** Up to `max` kept decisions whose deadline is before `now`, earliest first, each handed out once. */
  takeDue(now: number, max: number): MemoryDecision[] {
    const due: MemoryDecision[] = [];
    while (due.length < max && (this.schedule.peekKey() ?? Number.POSITIVE_INFINITY) < now) {
      const item = this.schedule.pop()!;
      const { decisionId } = item.decision.basis;
      if (item.kind === "expire") {
        if (this.decisions.get(decisionId) === item.decision) this.decisions.delete(decisionId);
      } else if (this.lookup(decisionId, now) === item.decision) {
        due.push(item.decision);
      }
    }
    return due;
  }
}
