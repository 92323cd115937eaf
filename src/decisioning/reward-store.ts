/**
 * The one interface of the reward join (Redis in production, in-memory as the embedded default): a
 * reward posted for a served action joins its decision once, inside the reward window; when the
 * window closes without one, the policy's default reward applies. Every joined reward (posted or
 * default) goes exactly once to the reward stream the learner consumes. Both implementations pass
 * test/decisioning/reward-store.contract.ts.
 */

import type { LogRangeOptions } from "./decision-log.js";
import type { JoinedReward } from "./decision-record.js";

export interface RewardRequest {
  readonly decisionId: string;
  readonly actionId: string;
  /** Finite. */
  readonly reward: number;
  /** Short label, e.g. `accepted`, `rejected`, `clicked`, `ignored`. */
  readonly outcome?: string;
}

export type JoinResult =
  /** `reward` is the first join for this (decision, action); a duplicate changes and emits nothing. */
  | { readonly status: "joined" | "duplicate"; readonly reward: JoinedReward; readonly deadline: number }
  | { readonly status: "unknown_decision" }
  | { readonly status: "action_not_served"; readonly served: readonly string[] }
  /** After the deadline, or after the default reward applied. */
  | { readonly status: "window_closed"; readonly deadline: number };

export interface RewardLogEntry {
  /** Stream id, `<ms>-<seq>`. */
  readonly id: string;
  readonly reward: JoinedReward;
}

/** Default reward-stream length (approximate). */
export const DEFAULT_REWARD_LOG_LENGTH = 1_000_000;

export interface RewardStore {
  readonly kind: "redis" | "memory";
  /** Joins `request` at `now` (epoch ms). The window is open while now <= the decision's deadline. */
  join(request: RewardRequest, now: number): Promise<JoinResult>;
  /**
   * Applies the default reward to every served, unrewarded action of up to `max` decisions whose
   * deadline passed before `now`, and emits them. Safe to run from any number of processes at once:
   * each default is emitted exactly once. Returns what this call emitted (defaults, and any posted
   * reward whose emission an earlier crash interrupted).
   */
  sweepExpired(now: number, max: number): Promise<JoinedReward[]>;
  /** The reward stream in order (oldest first), for export and audits. */
  range(options?: LogRangeOptions): AsyncIterable<RewardLogEntry>;
}
