/**
 * The production reward join. A posted reward joins on its decision hash (`{d:decisionId}`, one
 * script: first reward per action wins); it is then emitted to the reward stream by a script on the
 * `{rewards}` slot whose sent markers make emission exactly-once, whoever emits and however often.
 * Sweeping claims due decisions with a lease (one script), finalises each on its own slot (defaults
 * for unrewarded actions; one command per decision, sent together) and emits (one script): three
 * round trips per batch.
 */
import type { Redis } from "ioredis";
import { defineDecisionCommands } from "./decision-commands.js";
import { decisionKey, type RewardKeys, rewardKeys } from "./decision-keys.js";
import { DEFAULT_RETENTION_MARGIN_MS, type LogRangeOptions } from "./decision-log.js";
import type { JoinedReward } from "./decision-record.js";
import {
  decodeStoredReward,
  encodeStoredReward,
  joinedRewardOf,
  parseRewardBasis,
  type RewardBasis,
} from "./reward-join.js";
import {
  DEFAULT_REWARD_LOG_LENGTH,
  type JoinResult,
  type RewardLogEntry,
  type RewardRequest,
  type RewardStore,
} from "./reward-store.js";
import { storeUnavailable } from "./store-unavailable.js";
import { fieldOf, streamPages } from "./stream-pages.js";

const unavailable = storeUnavailable("reward store");

export interface RedisRewardStoreOptions {
  readonly keyPrefix: string;
  /** Approximate cap of the reward stream. Default 1,000,000. */
  readonly maxLength?: number;
  /** Must equal the decision log's: how long past its deadline a decision is kept. Default one day. */
  readonly retentionMarginMs?: number;
  /** A sweeper that claimed a decision and died leaves it to others after this long. Default 60 s. */
  readonly claimLeaseMs?: number;
}

interface Emission {
  readonly reward: JoinedReward;
  readonly deadline: number;
}

export class RedisRewardStore implements RewardStore {
  readonly kind = "redis";
  private readonly keys: RewardKeys;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisRewardStoreOptions,
  ) {
    defineDecisionCommands(redis);
    this.keys = rewardKeys(options.keyPrefix);
  }

  async join(request: RewardRequest, now: number): Promise<JoinResult> {
    const stored = encodeStoredReward(request.reward, request.outcome, now);
    const [code, a, b] = await this.redis
      .nbaJoinRewardV1(decisionKey(this.options.keyPrefix, request.decisionId), request.actionId, now, stored)
      .catch(unavailable);
    if (code === -1) return { status: "unknown_decision" };
    if (code === -2) return { status: "action_not_served", served: served(parse(a)) };
    if (code === -3) return { status: "window_closed", deadline: Number(a) };
    const basis = parse(b);
    const reward = joinedRewardOf(basis, request.actionId, decodeStoredReward(a!));
    // A duplicate emits too: if the first call died between join and emit, this completes it; the
    // sent markers make a second emission impossible.
    await this.emit([{ reward, deadline: basis.rewardDeadline }], [], now);
    return { status: code === 1 ? "joined" : "duplicate", reward, deadline: basis.rewardDeadline };
  }

  async sweepExpired(now: number, max: number): Promise<JoinedReward[]> {
    const leaseEnd = now + (this.options.claimLeaseMs ?? 60_000);
    const ids = await this.redis.nbaClaimDueV1(this.keys.due, now, max, leaseEnd).catch(unavailable);
    if (ids.length === 0) return [];
    // One command per decision slot, sent together (a Cluster pipeline would have to stay on one node).
    const replies = await Promise.all(
      ids.map((id) => this.redis.nbaFinalizeDecisionV1(decisionKey(this.options.keyPrefix, id), now)),
    ).catch(unavailable);
    const done: string[] = [];
    const emissions: Emission[] = [];
    ids.forEach((id, i) => {
      const flat = replies[i] ?? [];
      if (flat[0] === 0) return; // not due on this clock: its lease ends, a later sweep takes it
      done.push(id);
      if (flat.length === 0) return; // expired before any sweep: nothing left to emit
      const basis = parse(flat[1] as string);
      const stored = new Map<string, string>();
      for (let j = 2; j + 1 < flat.length; j += 2) stored.set(flat[j] as string, flat[j + 1] as string);
      // In the decision's rank order (the hash's own order changes as fields are rewritten).
      for (const actionId of served(basis)) {
        const text = stored.get(actionId);
        if (text === undefined) continue;
        const reward = joinedRewardOf(basis, actionId, decodeStoredReward(text));
        emissions.push({ reward, deadline: basis.rewardDeadline });
      }
    });
    const emitted = await this.emit(emissions, done, now);
    return emissions.filter((_, i) => emitted[i] === 1).map((e) => e.reward);
  }

  async *range(options: LogRangeOptions = {}): AsyncIterable<RewardLogEntry> {
    for await (const page of streamPages(this.redis, this.keys.log, options, unavailable)) {
      for (const [id, fields] of page) {
        const json = fieldOf(fields, "r");
        if (json !== undefined) yield { id, reward: JSON.parse(json) as JoinedReward };
      }
    }
  }

  /** Emits each reward not emitted before and drops `done` from the due set; 1 per emitted reward. */
  private async emit(
    emissions: readonly Emission[],
    done: readonly string[],
    now: number,
  ): Promise<number[]> {
    if (emissions.length === 0 && done.length === 0) return [];
    const margin = this.options.retentionMarginMs ?? DEFAULT_RETENTION_MARGIN_MS;
    const args: (string | number)[] = [
      now,
      this.options.maxLength ?? DEFAULT_REWARD_LOG_LENGTH,
      done.length,
      ...done,
    ];
    args.push(emissions.length);
    for (const { reward, deadline } of emissions) {
      args.push(reward.decisionId, reward.actionId, deadline + margin, JSON.stringify(reward));
    }
    return this.redis
      .nbaEmitRewardsV1(this.keys.log, this.keys.due, this.keys.sent, ...args)
      .catch(unavailable);
  }
}

function parse(json: string | null | undefined): RewardBasis {
  // A hash with neither `j` nor `rec` comes back as a nil reply (null).
  if (json == null) throw new Error("the decision hash has no reward basis");
  return parseRewardBasis(json);
}

function served(basis: RewardBasis): string[] {
  return basis.served.map((s) => s.actionId);
}
