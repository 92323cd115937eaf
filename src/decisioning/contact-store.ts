/**
 * The one interface of the contact history (Redis in production, in-memory as the embedded default).
 * Both pass test/decisioning/contact-store.contract.ts.
 */
import type { ContactCandidate, ContactHistory } from "./contact-history.js";
import type { ContactRules } from "./contact-rules.js";

export interface ImpressionOutcome {
  /** Action ids recorded as shown at `now`, in input order. */
  readonly recorded: readonly string[];
  /** Those a rule refused at write time (another decision for the customer got there first). */
  readonly refused: readonly { readonly actionId: string; readonly reason: string }[];
}

export interface ContactStore {
  readonly kind: "redis" | "memory";
  /**
   * The customer's impressions and latest rejection per action, kept for the longest rule window
   * (`rules.retentionMs` when last written). One cheap read (Redis: one GET of a packed string).
   * An unknown customer has an empty history.
   */
  history(customerId: string, now: number): Promise<ContactHistory>;
  /**
   * Records `impressions` as shown at `now`, atomically re-checking every rule (caps, cool-downs,
   * suppression) in input order, each against the history including the ones recorded before it:
   * however many decisions for one customer run at once, no cap is ever exceeded.
   * Ids must not contain whitespace.
   */
  recordImpressions(
    customerId: string,
    impressions: readonly ContactCandidate[],
    rules: ContactRules,
    now: number,
  ): Promise<ImpressionOutcome>;
  /**
   * Records that the customer rejected `actionId` at `ts` (epoch ms), which suppresses it for the
   * action's `suppressionDays`. Keeps the latest rejection per action; idempotent. `rules` give how
   * long history is kept.
   */
  recordRejection(customerId: string, actionId: string, ts: number, rules: ContactRules): Promise<void>;
}

/** Kept this long past the longest rule window before a quiet customer's history expires. */
export const CONTACT_TTL_MARGIN_MS = 86_400_000;
