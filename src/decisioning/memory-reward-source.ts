/**
 * The learner's side of the in-process reward log (the embedded mode's RewardSource): the same
 * delivery rules as the Redis consumer group (each entry delivered until acknowledged;
 * unacknowledged ones again after `minIdleMs`). One source is one consumer group.
 */
import type { RewardEntry, RewardSource } from "../bandit/reward-source.js";
import type { JoinedReward } from "./decision-record.js";
import type { MemoryLog, MemoryLogEntry } from "./memory-log.js";

export class MemoryRewardLogSource implements RewardSource {
  private position = 0;
  /** Delivered, unacknowledged entries by id, in delivery order. */
  private readonly pending = new Map<string, { entry: MemoryLogEntry<JoinedReward>; deliveredAt: number }>();
  private readonly now: () => number;

  constructor(
    private readonly log: MemoryLog<JoinedReward>,
    private readonly options: { readonly minIdleMs?: number; readonly now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** As RedisRewardSource.read. */
  async read(max: number, blockMs: number): Promise<RewardEntry[]> {
    const stale = this.reclaim(max);
    if (stale.length > 0) return stale;
    const fresh = this.deliver(max);
    if (fresh.length > 0 || blockMs <= 0) return fresh;
    await this.log.waitForAppend(blockMs);
    return this.deliver(max);
  }

  async ack(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.pending.delete(id);
  }

  async close(): Promise<void> {}

  private reclaim(max: number): RewardEntry[] {
    const idleSince = this.now() - (this.options.minIdleMs ?? 60_000);
    const out: RewardEntry[] = [];
    for (const [id, p] of this.pending) {
      if (out.length >= max) break;
      if (p.deliveredAt > idleSince) continue;
      out.push({ id, reward: structuredClone(p.entry.value) });
    }
    const now = this.now();
    for (const { id } of out) {
      const p = this.pending.get(id)!;
      this.pending.delete(id);
      this.pending.set(id, { entry: p.entry, deliveredAt: now });
    }
    return out;
  }

  private deliver(max: number): RewardEntry[] {
    const entries = this.log.from(this.position, max);
    const now = this.now();
    for (const entry of entries) {
      this.pending.set(entry.id, { entry, deliveredAt: now });
      this.position = entry.position + 1;
    }
    return entries.map((e) => ({ id: e.id, reward: structuredClone(e.value) }));
  }
}
