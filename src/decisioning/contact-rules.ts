/**
 * The contact policy as the contact store and the contact-policy stage read it: frequency caps per
 * customer, per channel and per business unit, and each action's cool-down and suppression. Built once
 * per policy version (memoised), so the hot path does no work to get it.
 */
import type { Policy } from "../policy/index.js";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** At most `max` impressions in any `days`-day window. */
export interface ContactCap {
  readonly max: number;
  readonly days: number;
}

export interface ActionContactRule {
  /** Not shown again for this long after an impression. */
  readonly cooldownHours: number;
  /** Not shown again for this long after the customer rejected it. */
  readonly suppressionDays: number;
}

export interface ContactRules {
  readonly perCustomer: readonly ContactCap[];
  readonly perChannel: ReadonlyMap<string, readonly ContactCap[]>;
  readonly perBusinessUnit: ReadonlyMap<string, readonly ContactCap[]>;
  /** Per action id; an action not listed (e.g. removed from the policy since) uses `defaults`. */
  readonly actions: ReadonlyMap<string, ActionContactRule>;
  readonly defaults: ActionContactRule;
  /** How long history must be kept to judge every rule (ms): the longest cap window, cool-down or suppression. */
  readonly retentionMs: number;
}

export interface ContactRulesInput {
  readonly perCustomer?: readonly ContactCap[];
  readonly perChannel?: Readonly<Record<string, readonly ContactCap[]>>;
  readonly perBusinessUnit?: Readonly<Record<string, readonly ContactCap[]>>;
  readonly actions?: Readonly<Record<string, ActionContactRule>>;
  readonly defaults?: ActionContactRule;
}

/** Rules from plain data (tests, tools); `contactRulesOf` builds them from a policy. */
export function contactRules(input: ContactRulesInput): ContactRules {
  const defaults = input.defaults ?? { cooldownHours: 24, suppressionDays: 30 };
  const rules = {
    perCustomer: input.perCustomer ?? [],
    perChannel: new Map(Object.entries(input.perChannel ?? {})),
    perBusinessUnit: new Map(Object.entries(input.perBusinessUnit ?? {})),
    actions: new Map(Object.entries(input.actions ?? {})),
    defaults,
  };
  return { ...rules, retentionMs: retentionOf(rules) };
}

const byPolicy = new WeakMap<Policy, ContactRules>();

/** The contact rules of one policy version (memoised per policy object). */
export function contactRulesOf(policy: Policy): ContactRules {
  let rules = byPolicy.get(policy);
  if (!rules) {
    const contact = policy.document.contactPolicy;
    rules = contactRules({
      perCustomer: contact.perCustomer,
      perChannel: contact.perChannel,
      perBusinessUnit: Object.fromEntries([...policy.businessUnits].map(([id, unit]) => [id, unit.caps])),
      actions: Object.fromEntries(
        policy.actions.map((a) => [
          a.id,
          { cooldownHours: a.cooldownHours, suppressionDays: a.suppressionDays },
        ]),
      ),
      defaults: contact.defaults,
    });
    byPolicy.set(policy, rules);
  }
  return rules;
}

export function actionRule(rules: ContactRules, actionId: string): ActionContactRule {
  return rules.actions.get(actionId) ?? rules.defaults;
}

function retentionOf(rules: Omit<ContactRules, "retentionMs">): number {
  let longest = 0;
  const caps = [rules.perCustomer, ...rules.perChannel.values(), ...rules.perBusinessUnit.values()];
  for (const list of caps) for (const cap of list) longest = Math.max(longest, cap.days * DAY_MS);
  for (const rule of [rules.defaults, ...rules.actions.values()]) {
    longest = Math.max(longest, rule.cooldownHours * HOUR_MS, rule.suppressionDays * DAY_MS);
  }
  return Math.max(1, Math.ceil(longest));
}
