/**
 * The served decisions of one event-loop turn written in one call of write-decisions-n.lua: per
 * decision, its impressions with every contact rule re-checked (the contact store's script logic) and,
 * when all were recorded, its log entry (the decision log's). Same keys and formats as
 * RedisContactStore and RedisDecisionLog, so their reads, the reward join and the exports see these
 * writes as their own. Single Redis only, like the log's batched call (the keys span Cluster slots).
 */
import type { Redis } from "ioredis";
import { TurnBatcher } from "../concurrency/turn-batcher.js";
import { CONTACT_TTL_MARGIN_MS, type ImpressionOutcome } from "./contact-store.js";
import { defineDecisionCommands } from "./decision-commands.js";
import { contactKey, decisionKey, logScriptKeys } from "./decision-keys.js";
import { DEFAULT_DECISION_LOG_LENGTH, DEFAULT_RETENTION_MARGIN_MS } from "./decision-log.js";
import type { DecisionWrite, DecisionWriteOutcome, DecisionWriter } from "./decision-writer.js";
import { impressionBlock } from "./redis-contact-store.js";
import { logBlock } from "./redis-decision-log.js";
import { storeUnavailable } from "./store-unavailable.js";

const unavailable = storeUnavailable("decision store");

export interface RedisDecisionWriterOptions {
  readonly keyPrefix: string;
  /** As RedisDecisionLogOptions.maxLength. */
  readonly maxLength?: number;
  /** As RedisDecisionLogOptions.retentionMarginMs. */
  readonly retentionMarginMs?: number;
  /** As RedisContactStoreOptions.ttlMarginMs. */
  readonly ttlMarginMs?: number;
  /** As RedisDecisionLogOptions.keepRecords. */
  readonly keepRecords?: boolean;
}

interface Queued {
  readonly keys: readonly [string, string];
  readonly args: readonly (string | number)[];
  readonly outcome: (verdicts: readonly string[]) => ImpressionOutcome;
}

export class RedisDecisionWriter implements DecisionWriter {
  private readonly logKeys: readonly [string, string];
  private readonly batcher = new TurnBatcher<Queued, DecisionWriteOutcome>(async (batch) => {
    const keys = [...this.logKeys];
    const args: (string | number)[] = [this.options.maxLength ?? DEFAULT_DECISION_LOG_LENGTH];
    for (const q of batch) {
      keys.push(...q.keys);
      args.push(...q.args);
    }
    const replies = await this.redis.nbaWriteDecisionsV1(keys.length, ...keys, ...args);
    return batch.map((q, i) => {
      const reply = replies[i] ?? "";
      const bar = reply.lastIndexOf("|");
      const verdicts = reply.slice(0, bar).split(",");
      return { ...q.outcome(verdicts), logged: reply.slice(bar + 1) === "1" };
    });
  });

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisDecisionWriterOptions,
  ) {
    defineDecisionCommands(redis);
    this.logKeys = logScriptKeys(options.keyPrefix);
  }

  async write({ customerId, impressions, rules, now, record }: DecisionWrite): Promise<DecisionWriteOutcome> {
    const prefix = this.options.keyPrefix;
    const contacts = impressionBlock(
      rules,
      impressions,
      now,
      this.options.ttlMarginMs ?? CONTACT_TTL_MARGIN_MS,
    );
    const log = logBlock(
      record,
      this.options.retentionMarginMs ?? DEFAULT_RETENTION_MARGIN_MS,
      this.options.keepRecords,
    );
    return this.batcher
      .add({
        keys: [contactKey(prefix, customerId), decisionKey(prefix, record.decisionId)],
        args: [...contacts.args, ...log],
        outcome: contacts.outcome,
      })
      .catch(unavailable);
  }
}
