/**
 * What a customer has been shown and has rejected, and the pure check of one candidate against the
 * contact rules. The contact-policy stage calls `contactViolations` per candidate; the memory store
 * uses the same functions to record, and the Redis script mirrors them (record-contacts-1.lua).
 */
import { actionRule, type ContactCap, type ContactRules, DAY_MS, HOUR_MS } from "./contact-rules.js";

export interface Impression {
  readonly actionId: string;
  readonly businessUnit: string;
  readonly channel: string;
  /** Epoch ms. */
  readonly ts: number;
}

export interface ContactHistory {
  /** Impressions still inside the longest rule window when last written, oldest write first. */
  readonly impressions: readonly Impression[];
  /** Action id -> epoch ms of the customer's latest rejection of it. */
  readonly rejections: ReadonlyMap<string, number>;
}

/** An action about to be shown: what the caps and cool-downs are judged on. */
export interface ContactCandidate {
  readonly actionId: string;
  readonly businessUnit: string;
  readonly channel: string;
}

export const EMPTY_CONTACT_HISTORY: ContactHistory = Object.freeze({
  impressions: Object.freeze([]) as readonly Impression[],
  rejections: new Map<string, number>(),
});

export type CapScope = "customer" | "channel" | "business_unit";

export type ContactViolation =
  | { readonly rule: "suppression"; readonly days: number }
  | { readonly rule: "cooldown"; readonly hours: number }
  | { readonly rule: "cap"; readonly scope: CapScope; readonly cap: ContactCap };

/** The first rule showing `candidate` at `now` would break, or undefined when it may be shown. */
export function checkContact(
  history: ContactHistory,
  candidate: ContactCandidate,
  rules: ContactRules,
  now: number,
): ContactViolation | undefined {
  const rule = actionRule(rules, candidate.actionId);
  const rejectedAt = history.rejections.get(candidate.actionId);
  if (rejectedAt !== undefined && now - rejectedAt < rule.suppressionDays * DAY_MS) {
    return { rule: "suppression", days: rule.suppressionDays };
  }
  const cooldownMs = rule.cooldownHours * HOUR_MS;
  if (cooldownMs > 0) {
    for (const i of history.impressions) {
      if (i.actionId === candidate.actionId && now - i.ts < cooldownMs) {
        return { rule: "cooldown", hours: rule.cooldownHours };
      }
    }
  }
  // Customer, channel, then business-unit caps: the order the Redis script checks them in.
  return (
    fullCap(history, candidate, "customer", rules.perCustomer, now) ??
    fullCap(history, candidate, "channel", rules.perChannel.get(candidate.channel), now) ??
    fullCap(history, candidate, "business_unit", rules.perBusinessUnit.get(candidate.businessUnit), now)
  );
}

/** The first of `caps` (of one scope) that showing `candidate` now would exceed. */
function fullCap(
  history: ContactHistory,
  candidate: ContactCandidate,
  scope: CapScope,
  caps: readonly ContactCap[] | undefined,
  now: number,
): ContactViolation | undefined {
  if (!caps) return undefined;
  for (const cap of caps) {
    const since = now - cap.days * DAY_MS;
    let count = 0;
    for (const i of history.impressions) {
      if (i.ts <= since) continue;
      if (scope === "channel" && i.channel !== candidate.channel) continue;
      if (scope === "business_unit" && i.businessUnit !== candidate.businessUnit) continue;
      count++;
    }
    if (count >= cap.max) return { rule: "cap", scope, cap };
  }
  return undefined;
}

export function describeViolation(violation: ContactViolation, candidate: ContactCandidate): string {
  switch (violation.rule) {
    case "suppression":
      return `rejected by the customer within the last ${violation.days} days (suppression)`;
    case "cooldown":
      return `shown within the last ${violation.hours} hours (cool-down)`;
    case "cap": {
      const { max, days } = violation.cap;
      const what =
        violation.scope === "customer"
          ? "per-customer"
          : violation.scope === "channel"
            ? `channel ${candidate.channel}`
            : `business unit ${candidate.businessUnit}`;
      return `${what} cap reached: at most ${max} impressions in ${days} days`;
    }
  }
}

/** Why `candidate` may not be shown at `now`, or undefined when it may. Pure; no I/O. */
export function contactViolations(
  history: ContactHistory,
  candidate: ContactCandidate,
  rules: ContactRules,
  now: number,
): string | undefined {
  const violation = checkContact(history, candidate, rules, now);
  return violation && describeViolation(violation, candidate);
}

/**
 * The history with `shown` added as impressions at `now`: lets a pipeline check the second and third
 * action of one response against caps that the first already used up.
 */
export function withImpressions(
  history: ContactHistory,
  shown: readonly ContactCandidate[],
  now: number,
): ContactHistory {
  if (shown.length === 0) return history;
  const added = shown.map((c) => ({
    actionId: c.actionId,
    businessUnit: c.businessUnit,
    channel: c.channel,
    ts: now,
  }));
  return { impressions: [...history.impressions, ...added], rejections: history.rejections };
}
