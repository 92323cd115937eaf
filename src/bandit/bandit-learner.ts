/**
 * Applies joined rewards to a bandit and publishes its snapshots. Learning uses what the decision
 * logged (`banditContext`, `prior`), never what is known now. A snapshot is published when rewards
 * are pending and either `publishEveryRewards` have accumulated or `publishEveryMs` has passed since
 * the last one. In the embedded mode the service calls `apply()` directly on the bandit it decides
 * with (no store needed); the `npm run learner` process drives it from a RewardSource.
 */
import type { JoinedReward } from "../decisioning/decision-record.js";
import type { Bandit } from "./bandit.js";
import { type EncodedSnapshot, encodeSnapshot } from "./bandit-snapshot.js";
import type { PublishResult, SnapshotStore } from "./snapshot-store.js";

export interface BanditLearnerOptions {
  /** Where snapshots go; without one, `publish()` does nothing (embedded mode). */
  readonly store?: SnapshotStore;
  /** Counter of the snapshot the bandit was loaded from (0 for a cold start). */
  readonly startCounter?: number;
  readonly publishEveryMs?: number;
  readonly publishEveryRewards?: number;
  /** Maps a logged reward to the learning target in [0, 1]; default clamps to [0, 1]. */
  readonly target?: (reward: JoinedReward) => number;
  readonly now?: () => number;
}

export interface ApplyResult {
  readonly applied: number;
  /** Rewards refused: wrong context length, non-finite reward or prior. */
  readonly skipped: number;
}

const clampTarget = (r: JoinedReward): number =>
  Number.isFinite(r.reward) ? Math.min(1, Math.max(0, r.reward)) : Number.NaN;

export class BanditLearner {
  private counter: number;
  private pending = 0;
  private lastPublish: number;
  private applied = 0;
  private skipped = 0;
  private readonly now: () => number;
  private readonly target: (reward: JoinedReward) => number;
  /** A snapshot whose publish failed without an answer: it may have landed all the same. */
  private unanswered: EncodedSnapshot | undefined;

  constructor(
    readonly bandit: Bandit,
    private readonly options: BanditLearnerOptions = {},
  ) {
    this.counter = options.startCounter ?? 0;
    this.now = options.now ?? Date.now;
    this.lastPublish = this.now();
    this.target = options.target ?? clampTarget;
  }

  /** Learns from `rewards` now (synchronous). Bad entries are counted, never thrown. */
  apply(rewards: readonly JoinedReward[]): ApplyResult {
    let applied = 0;
    let skipped = 0;
    const dim = this.bandit.config.contextDim;
    for (const r of rewards) {
      try {
        const target = this.target(r);
        if (r.banditContext.length !== dim || !Number.isFinite(target) || !Number.isFinite(r.prior)) {
          skipped++;
          continue;
        }
        this.bandit.learn(r.banditContext, r.actionId, r.prior, target);
        applied++;
      } catch {
        skipped++; // e.g. a non-finite context value, or an entry missing a field
      }
    }
    this.pending += applied;
    this.applied += applied;
    this.skipped += skipped;
    return { applied, skipped };
  }

  /** Rewards learned since the last published snapshot. */
  pendingRewards(): number {
    return this.pending;
  }

  stats(): { applied: number; skipped: number; counter: number } {
    return { applied: this.applied, skipped: this.skipped, counter: this.counter };
  }

  /** Whether a snapshot is due by the publish cadence. */
  due(): boolean {
    if (this.pending === 0 || !this.options.store) return false;
    const every = this.options.publishEveryRewards ?? 1_000;
    return this.pending >= every || this.now() - this.lastPublish >= (this.options.publishEveryMs ?? 1_000);
  }

  /** Milliseconds until a publish is due by time (Infinity with nothing pending or no store). */
  msUntilDue(): number {
    if (this.pending === 0 || !this.options.store) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.lastPublish + (this.options.publishEveryMs ?? 1_000) - this.now());
  }

  /**
   * Publishes a snapshot of the bandit now (when there is a store). Returns undefined without a
   * store. A refusal (another learner published a higher counter) is returned, not thrown.
   * `unacked`: the ids of the delivered entries the bandit includes (applied or skipped) that are not
   * acknowledged yet; the snapshot records them so that a learner resuming from it after a crash
   * acknowledges them instead of applying them again.
   */
  async publish(unacked: readonly string[] = []): Promise<PublishResult | undefined> {
    const store = this.options.store;
    if (!store) return undefined;
    const pendingAtStart = this.pending;
    const snapshot = encodeSnapshot(this.bandit.snapshot(), this.counter + 1, this.now(), unacked);
    let result: PublishResult;
    try {
      result = await store.publish(snapshot);
    } catch (err) {
      this.unanswered = snapshot;
      throw err;
    }
    if (!result.published && result.current === this.unanswered?.version) {
      // The earlier publish landed though its reply was lost: that snapshot is this learner's own, so
      // continue the lineage above it (this one holds everything it held, and more).
      this.counter = this.unanswered.counter;
      this.unanswered = undefined;
      return this.publish(unacked);
    }
    this.unanswered = undefined;
    if (result.published) {
      this.counter = snapshot.counter;
      this.pending -= pendingAtStart;
      this.lastPublish = this.now();
    }
    return result;
  }

  /** Publishes if due; returns what `publish` returned, or undefined when nothing was due. */
  async publishIfDue(): Promise<PublishResult | undefined> {
    return this.due() ? this.publish() : undefined;
  }
}
