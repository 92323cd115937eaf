/**
 * The production contact store: one packed string per customer (`{customerId}:contact`), read with
 * one GET and written by one Lua script that re-checks the rules (record-contacts-1.lua).
 */
import type { Redis } from "ioredis";
import { assertContactToken, decodeContactHistory } from "./contact-codec.js";
import {
  type CapScope,
  type ContactCandidate,
  type ContactHistory,
  type ContactViolation,
  describeViolation,
} from "./contact-history.js";
import { actionRule, type ContactCap, type ContactRules, DAY_MS, HOUR_MS } from "./contact-rules.js";
import { CONTACT_TTL_MARGIN_MS, type ContactStore, type ImpressionOutcome } from "./contact-store.js";
import { defineDecisionCommands } from "./decision-commands.js";
import { contactKey } from "./decision-keys.js";
import { storeUnavailable } from "./store-unavailable.js";

const unavailable = storeUnavailable("contact store");
const SCOPE_CODE: Record<CapScope, string> = { customer: "c", channel: "h", business_unit: "u" };

export interface RedisContactStoreOptions {
  readonly keyPrefix: string;
  /** Kept this long past `rules.retentionMs` after the last write. Default one day. */
  readonly ttlMarginMs?: number;
}

export class RedisContactStore implements ContactStore {
  readonly kind = "redis";

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisContactStoreOptions,
  ) {
    defineDecisionCommands(redis);
  }

  async history(customerId: string, _now: number): Promise<ContactHistory> {
    const packed = await this.redis.get(contactKey(this.options.keyPrefix, customerId)).catch(unavailable);
    return decodeContactHistory(packed);
  }

  async recordImpressions(
    customerId: string,
    impressions: readonly ContactCandidate[],
    rules: ContactRules,
    now: number,
  ): Promise<ImpressionOutcome> {
    if (impressions.length === 0) return { recorded: [], refused: [] };
    const block = impressionBlock(rules, impressions, now, this.ttlMarginMs);
    const verdicts = await this.redis
      .nbaRecordContactsV1(contactKey(this.options.keyPrefix, customerId), ...block.args)
      .catch(unavailable);
    return block.outcome(verdicts);
  }

  async recordRejection(
    customerId: string,
    actionId: string,
    ts: number,
    rules: ContactRules,
  ): Promise<void> {
    assertContactToken(actionId, "actionId");
    const args = blockHead(rules, ts, this.ttlMarginMs);
    args.push(0, 0, 1, actionId, Math.floor(ts));
    await this.redis
      .nbaRecordContactsV1(contactKey(this.options.keyPrefix, customerId), ...args)
      .catch(unavailable);
  }

  private get ttlMarginMs(): number {
    return this.options.ttlMarginMs ?? CONTACT_TTL_MARGIN_MS;
  }
}

/** now, retention and the key's ttl: the head of every record-contacts argument block. */
function blockHead(rules: ContactRules, now: number, ttlMarginMs: number): (string | number)[] {
  return [Math.floor(now), rules.retentionMs, rules.retentionMs + ttlMarginMs];
}

/**
 * `impressions` as a record-contacts-1.lua argument block (also a block of write-decisions-n.lua),
 * and how to read the script's verdicts for them back as an outcome.
 */
export function impressionBlock(
  rules: ContactRules,
  impressions: readonly ContactCandidate[],
  now: number,
  ttlMarginMs: number,
): { args: (string | number)[]; outcome: (verdicts: readonly string[]) => ImpressionOutcome } {
  const caps = batchCaps(rules, impressions);
  const args = blockHead(rules, now, ttlMarginMs);
  args.push(caps.length);
  for (const { scope, value, cap } of caps) args.push(SCOPE_CODE[scope], value, cap.max, cap.days * DAY_MS);
  args.push(impressions.length);
  for (const c of impressions) {
    assertContactToken(c.actionId, "actionId");
    assertContactToken(c.businessUnit, "businessUnit");
    assertContactToken(c.channel, "channel");
    const rule = actionRule(rules, c.actionId);
    args.push(
      c.actionId,
      c.businessUnit,
      c.channel,
      rule.cooldownHours * HOUR_MS,
      rule.suppressionDays * DAY_MS,
    );
  }
  args.push(0);
  const outcome = (verdicts: readonly string[]): ImpressionOutcome => {
    const recorded: string[] = [];
    const refused: { actionId: string; reason: string }[] = [];
    impressions.forEach((c, i) => {
      const violation = toViolation(verdicts[i] ?? "", caps, rules, c.actionId);
      if (violation) refused.push({ actionId: c.actionId, reason: describeViolation(violation, c) });
      else recorded.push(c.actionId);
    });
    return { recorded, refused };
  };
  return { args, outcome };
}

interface BatchCap {
  readonly scope: CapScope;
  readonly value: string;
  readonly cap: ContactCap;
}

/** Every cap any impression of the batch is judged on, in the order checkContact checks them. */
function batchCaps(rules: ContactRules, impressions: readonly ContactCandidate[]): BatchCap[] {
  const caps: BatchCap[] = rules.perCustomer.map((cap) => ({ scope: "customer", value: "", cap }));
  for (const channel of new Set(impressions.map((c) => c.channel))) {
    for (const cap of rules.perChannel.get(channel) ?? [])
      caps.push({ scope: "channel", value: channel, cap });
  }
  for (const unit of new Set(impressions.map((c) => c.businessUnit))) {
    for (const cap of rules.perBusinessUnit.get(unit) ?? []) {
      caps.push({ scope: "business_unit", value: unit, cap });
    }
  }
  return caps;
}

function toViolation(
  verdict: string,
  caps: readonly BatchCap[],
  rules: ContactRules,
  actionId: string,
): ContactViolation | undefined {
  if (verdict === "") return undefined;
  const rule = actionRule(rules, actionId);
  if (verdict === "s") return { rule: "suppression", days: rule.suppressionDays };
  if (verdict === "d") return { rule: "cooldown", hours: rule.cooldownHours };
  const cap = caps[Number(verdict) - 1];
  if (!cap) throw new Error(`record-contacts returned an unknown verdict ${JSON.stringify(verdict)}`);
  return { rule: "cap", scope: cap.scope, cap: cap.cap };
}
