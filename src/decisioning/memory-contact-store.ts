/**
 * The embedded contact store: the same rules as the Redis script (they share checkContact), kept in
 * process memory. Single-threaded, so every call is atomic. Passes the same contract suite.
 */
import {
  type ContactCandidate,
  type ContactHistory,
  checkContact,
  describeViolation,
  EMPTY_CONTACT_HISTORY,
  type Impression,
} from "./contact-history.js";
import type { ContactRules } from "./contact-rules.js";
import { CONTACT_TTL_MARGIN_MS, type ContactStore, type ImpressionOutcome } from "./contact-store.js";

interface Entry {
  impressions: Impression[];
  readonly rejections: Map<string, number>;
  expiresAt: number;
}

export class MemoryContactStore implements ContactStore {
  readonly kind = "memory";
  private readonly customers = new Map<string, Entry>();

  constructor(private readonly options: { readonly ttlMarginMs?: number } = {}) {}

  async history(customerId: string, now: number): Promise<ContactHistory> {
    const entry = this.live(customerId, now);
    if (!entry) return EMPTY_CONTACT_HISTORY;
    // A copy, so callers cannot reach into the store (Redis hands out copies too).
    return { impressions: [...entry.impressions], rejections: new Map(entry.rejections) };
  }

  async recordImpressions(
    customerId: string,
    impressions: readonly ContactCandidate[],
    rules: ContactRules,
    now: number,
  ): Promise<ImpressionOutcome> {
    if (impressions.length === 0) return { recorded: [], refused: [] };
    const entry = this.prepare(customerId, rules, now);
    const recorded: string[] = [];
    const refused: { actionId: string; reason: string }[] = [];
    for (const c of impressions) {
      const violation = checkContact(entry, c, rules, now);
      if (violation) {
        refused.push({ actionId: c.actionId, reason: describeViolation(violation, c) });
        continue;
      }
      entry.impressions.push({
        actionId: c.actionId,
        businessUnit: c.businessUnit,
        channel: c.channel,
        ts: now,
      });
      recorded.push(c.actionId);
    }
    this.commit(customerId, entry, rules, now);
    return { recorded, refused };
  }

  async recordRejection(
    customerId: string,
    actionId: string,
    ts: number,
    rules: ContactRules,
  ): Promise<void> {
    const entry = this.prepare(customerId, rules, ts);
    if (ts > (entry.rejections.get(actionId) ?? Number.NEGATIVE_INFINITY)) {
      entry.rejections.set(actionId, ts);
    }
    this.commit(customerId, entry, rules, ts);
  }

  /** The live entry (or a new one) with entries at or before now - retention dropped. */
  private prepare(customerId: string, rules: ContactRules, now: number): Entry {
    const entry = this.live(customerId, now) ?? { impressions: [], rejections: new Map(), expiresAt: 0 };
    const oldest = now - rules.retentionMs;
    entry.impressions = entry.impressions.filter((i) => i.ts > oldest);
    for (const [actionId, ts] of entry.rejections) if (ts <= oldest) entry.rejections.delete(actionId);
    return entry;
  }

  private commit(customerId: string, entry: Entry, rules: ContactRules, now: number): void {
    if (entry.impressions.length === 0 && entry.rejections.size === 0) {
      this.customers.delete(customerId);
      return;
    }
    entry.expiresAt = now + rules.retentionMs + (this.options.ttlMarginMs ?? CONTACT_TTL_MARGIN_MS);
    this.customers.set(customerId, entry);
  }

  private live(customerId: string, now: number): Entry | undefined {
    const entry = this.customers.get(customerId);
    if (entry && entry.expiresAt <= now) {
      this.customers.delete(customerId);
      return undefined;
    }
    return entry;
  }
}
