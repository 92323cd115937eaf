/**
 * Rewards: joins a posted reward to its decision (errors for unknown decisions, unserved actions and
 * closed windows), records a rejection as a contact suppression, and sweeps closed windows so their
 * default rewards reach the learner. Runs in every service replica; the sweeper in any of them.
 */
import { ActionNotServedError } from "../errors/action-not-served-error.js";
import { DecisionNotFoundError } from "../errors/decision-not-found-error.js";
import { RewardWindowClosedError } from "../errors/reward-window-closed-error.js";
import type { ContactRules } from "./contact-rules.js";
import type { ContactStore } from "./contact-store.js";
import type { JoinedReward } from "./decision-record.js";
import type { JoinResult, RewardRequest, RewardStore } from "./reward-store.js";

/** The outcome that suppresses the action for the customer (the action's `suppressionDays`). */
export const REJECTED_OUTCOME = "rejected";

export interface RewardReceipt {
  readonly status: "joined" | "duplicate";
  readonly decisionId: string;
  readonly actionId: string;
  /** The first join's values (a duplicate does not change them). */
  readonly reward: number;
  readonly outcome?: string;
  readonly source: JoinedReward["source"];
  /** ISO 8601. */
  readonly joinedAt: string;
  /** End of the decision's reward window, ISO 8601. */
  readonly deadline: string;
}

export interface RewardServiceDeps {
  readonly rewards: RewardStore;
  readonly contacts: ContactStore;
  /** The active policy's contact rules (e.g. `() => contactRulesOf(policyService.current().policy)`). */
  readonly contactRules: () => ContactRules;
  readonly now?: () => number;
  /**
   * The write still in flight of a decision this process answered before storing it (a fallback
   * answer), if any: a reward that finds no decision waits for it and tries once more.
   */
  readonly unstoredDecision?: (decisionId: string) => Promise<unknown> | undefined;
  readonly metrics?: RewardMetrics;
}

/** What an operator watches: a burst of late or unknown rewards says a caller or a window is wrong. */
export interface RewardMetrics {
  /** A posted reward by outcome: joined, duplicate, unknown_decision, action_not_served or window_closed. */
  reward(status: JoinResult["status"]): void;
  /** Default rewards emitted for closed windows. */
  defaults(count: number): void;
}

export interface Sweeper {
  /** Stops sweeping; resolves when a sweep in progress has finished. */
  stop(): Promise<void>;
}

export class RewardService {
  private readonly now: () => number;

  constructor(private readonly deps: RewardServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Joins a reward; throws DecisionNotFoundError (404), ActionNotServedError (400) or RewardWindowClosedError (409). */
  async recordReward(request: RewardRequest, now = this.now()): Promise<RewardReceipt> {
    let result = await this.deps.rewards.join(request, now);
    const pending = result.status === "unknown_decision" && this.deps.unstoredDecision?.(request.decisionId);
    if (pending) {
      await pending;
      result = await this.deps.rewards.join(request, now);
    }
    this.deps.metrics?.reward(result.status);
    switch (result.status) {
      case "unknown_decision":
        throw new DecisionNotFoundError(request.decisionId);
      case "action_not_served":
        throw new ActionNotServedError(request.decisionId, request.actionId, result.served);
      case "window_closed":
        throw new RewardWindowClosedError(request.decisionId, request.actionId, result.deadline);
    }
    const { reward } = result;
    // On a duplicate too (idempotent): a retry after a failed first call still records the suppression.
    if (reward.outcome === REJECTED_OUTCOME) {
      await this.deps.contacts.recordRejection(
        reward.customerId,
        reward.actionId,
        reward.joinedAt,
        this.deps.contactRules(),
      );
    }
    return {
      status: result.status,
      decisionId: reward.decisionId,
      actionId: reward.actionId,
      reward: reward.reward,
      ...(reward.outcome === undefined ? {} : { outcome: reward.outcome }),
      source: reward.source,
      joinedAt: new Date(reward.joinedAt).toISOString(),
      deadline: new Date(result.deadline).toISOString(),
    };
  }

  /** Emits default rewards for up to `max` decisions whose window closed before `now`. */
  async sweepExpired(now = this.now(), max = 500): Promise<JoinedReward[]> {
    const emitted = await this.deps.rewards.sweepExpired(now, max);
    if (emitted.length > 0) this.deps.metrics?.defaults(emitted.length);
    return emitted;
  }

  /**
   * Sweeps every `intervalMs` (draining batches of `batch` while full). Any number of processes may
   * run one: each default is emitted once. Errors go to `onError` and the next tick retries.
   */
  startSweeper(
    options: { intervalMs?: number; batch?: number; onError?: (err: unknown) => void } = {},
  ): Sweeper {
    const batch = options.batch ?? 500;
    let running: Promise<void> | undefined;
    let stopped = false;
    const sweep = async () => {
      try {
        // A full batch means more may be due: drain before the next tick.
        while (!stopped && (await this.sweepExpired(this.now(), batch)).length >= batch) {}
      } catch (err) {
        options.onError?.(err);
      } finally {
        running = undefined;
      }
    };
    const timer = setInterval(() => {
      running ??= sweep();
    }, options.intervalMs ?? 1_000);
    timer.unref();
    return {
      stop: async () => {
        stopped = true;
        clearInterval(timer);
        await running;
      },
    };
  }
}
