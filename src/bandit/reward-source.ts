/**
 * What the bandit learner reads rewards from. The production implementation is a Redis-stream
 * consumer group (in src/decisioning/); tests and the embedded mode use simpler ones.
 */
import type { JoinedReward } from "../decisioning/decision-record.js";

/** One delivered reward and the id to acknowledge it by (e.g. the stream entry id). */
export interface RewardEntry {
  readonly id: string;
  readonly reward: JoinedReward;
}

export interface RewardSource {
  /**
   * Up to `max` rewards not yet delivered to this consumer, waiting at most `blockMs` (>= 1) when
   * none is ready (then resolves to []). After a restart it first redelivers entries read but never acked.
   * A malformed entry should be acked and reported by the source itself, not returned.
   */
  read(max: number, blockMs: number): Promise<readonly RewardEntry[]>;
  /**
   * Marks entries processed. The learner acks only once the rewards are in a published snapshot,
   * so a crash in between means redelivery (at-least-once), never loss.
   */
  ack(ids: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** An in-memory source for tests and demos: `push` rewards, read them in order. */
export class MemoryRewardSource implements RewardSource {
  private readonly queue: RewardEntry[] = [];
  private readonly unacked = new Set<string>();
  private next = 1;
  private waiter: (() => void) | undefined;

  push(...rewards: JoinedReward[]): void {
    for (const reward of rewards) this.queue.push({ id: String(this.next++), reward });
    this.waiter?.();
  }

  /** Ids delivered and not yet acked. */
  pendingIds(): string[] {
    return [...this.unacked];
  }

  async read(max: number, blockMs: number): Promise<readonly RewardEntry[]> {
    if (this.queue.length === 0 && blockMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, blockMs);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const out = this.queue.splice(0, max);
    for (const e of out) this.unacked.add(e.id);
    return out;
  }

  async ack(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.unacked.delete(id);
  }

  async close(): Promise<void> {
    this.waiter?.();
  }
}

/** What `npm run learner` passes to the module that builds the production source. */
export interface RewardSourceOptions {
  readonly redisUrl: string;
  readonly keyPrefix: string;
  /** This learner's consumer name within the group (hostname-pid by default). */
  readonly consumer: string;
}

/** The export `createRewardSource` of the module named by REWARD_SOURCE_MODULE must have this type. */
export type RewardSourceFactory = (options: RewardSourceOptions) => RewardSource | Promise<RewardSource>;
