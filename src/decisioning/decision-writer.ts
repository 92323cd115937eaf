/**
 * What a served decision writes before it answers: its impressions, every contact rule re-checked
 * atomically (another decision for the customer may have got there first), and its log record. One
 * interface, two ways: each store in turn (the embedded default), or one Redis script call for every
 * decision of an event-loop turn (redis-decision-writer.ts), because each Redis command costs the
 * service far more client CPU than its bytes.
 */
import type { ContactCandidate } from "./contact-history.js";
import type { ContactRules } from "./contact-rules.js";
import type { ContactStore, ImpressionOutcome } from "./contact-store.js";
import { assertLoggable, type DecisionLog } from "./decision-log.js";
import type { DecisionRecord } from "./decision-record.js";

export interface DecisionWrite {
  readonly customerId: string;
  /** The served actions, in rank order (may be empty: then only the record is logged). */
  readonly impressions: readonly ContactCandidate[];
  readonly rules: ContactRules;
  readonly now: number;
  /** The record as served if every impression is recorded. */
  readonly record: DecisionRecord;
}

export interface DecisionWriteOutcome extends ImpressionOutcome {
  /**
   * Whether `record` was logged: only when every impression was recorded. Otherwise the caller logs
   * the record of what it actually served (DecisionLog.append).
   */
  readonly logged: boolean;
}

export interface DecisionWriter {
  write(write: DecisionWrite): Promise<DecisionWriteOutcome>;
}

/** The impressions through the contact store, then the record through the log. */
export function writeEachStore(contacts: ContactStore, log: DecisionLog): DecisionWriter {
  return {
    write: async ({ customerId, impressions, rules, now, record }) => {
      assertLoggable(record);
      const outcome = await contacts.recordImpressions(customerId, impressions, rules, now);
      if (outcome.refused.length > 0) return { ...outcome, logged: false };
      await log.append(record);
      return { ...outcome, logged: true };
    },
  };
}
