/**
 * The embedded reward join over the memory decision log, emitting to an in-process reward log that
 * MemoryRewardSource consumes. Single-threaded with no await inside a join or a sweep, so each is
 * atomic and every reward is emitted exactly once. Passes the same contract suite as Redis.
 */
import type { LogRangeOptions } from "./decision-log.js";
import type { JoinedReward } from "./decision-record.js";
import type { MemoryDecision, MemoryDecisionLog } from "./memory-decision-log.js";
import type { MemoryLog } from "./memory-log.js";
import { joinedRewardOf, type StoredReward } from "./reward-join.js";
import type { JoinResult, RewardLogEntry, RewardRequest, RewardStore } from "./reward-store.js";

export class MemoryRewardStore implements RewardStore {
  readonly kind = "memory";

  constructor(
    private readonly decisions: MemoryDecisionLog,
    private readonly log: MemoryLog<JoinedReward>,
  ) {}

  async join(request: RewardRequest, now: number): Promise<JoinResult> {
    const decision = this.decisions.lookup(request.decisionId, now);
    if (!decision) return { status: "unknown_decision" };
    const { basis } = decision;
    if (!decision.rewards.has(request.actionId)) {
      return { status: "action_not_served", served: [...decision.rewards.keys()] };
    }
    const current = decision.rewards.get(request.actionId);
    if (current && current.s === "api") {
      return {
        status: "duplicate",
        reward: this.emit(decision, request.actionId, current),
        deadline: basis.rewardDeadline,
      };
    }
    if (current || now > basis.rewardDeadline)
      return { status: "window_closed", deadline: basis.rewardDeadline };
    const stored: StoredReward = {
      r: request.reward,
      ...(request.outcome === undefined ? {} : { o: request.outcome }),
      s: "api",
      t: now,
    };
    decision.rewards.set(request.actionId, stored);
    return {
      status: "joined",
      reward: this.emit(decision, request.actionId, stored),
      deadline: basis.rewardDeadline,
    };
  }

  async sweepExpired(now: number, max: number): Promise<JoinedReward[]> {
    const emitted: JoinedReward[] = [];
    for (const decision of this.decisions.takeDue(now, max)) {
      for (const [actionId, current] of decision.rewards) {
        const stored = current ?? { r: decision.defaultReward, s: "default" as const, t: now };
        decision.rewards.set(actionId, stored);
        if (!decision.emitted.has(actionId)) emitted.push(this.emit(decision, actionId, stored));
      }
    }
    return emitted;
  }

  async *range(options: LogRangeOptions = {}): AsyncIterable<RewardLogEntry> {
    for (const entry of this.log.range(options)) yield { id: entry.id, reward: structuredClone(entry.value) };
  }

  /** The joined reward, appended to the reward log unless it was before. */
  private emit(decision: MemoryDecision, actionId: string, stored: StoredReward): JoinedReward {
    const reward = joinedRewardOf(decision.basis, actionId, stored);
    if (!decision.emitted.has(actionId)) {
      decision.emitted.add(actionId);
      this.log.append(reward);
    }
    return reward;
  }
}
