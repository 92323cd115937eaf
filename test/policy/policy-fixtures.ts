/** Small policy documents for tests: a valid minimal one, and helpers to vary it. */

import { Writable } from "node:stream";
import { type Logger, pino } from "pino";

/** The shortest valid policy: two business units, one journey, two actions; everything else defaulted. */
export function minimalPolicy(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "test_policy",
    businessUnits: { cards: 1, loans: { weight: 2 } },
    journeys: { cross_sell: ["browse", "product_page"], servicing: ["login"] },
    actions: [
      {
        id: "card_cashback",
        businessUnit: "cards",
        name: "Cashback card",
        value: 120,
        placements: [{ journey: "cross_sell" }],
      },
      {
        id: "loan_personal",
        businessUnit: "loans",
        name: "Personal loan",
        value: 400,
        channels: ["web", "app"],
        placements: [{ journey: "cross_sell", steps: ["product_page"] }, { journey: "servicing" }],
        eligibility: { ">=": [{ var: "features.age" }, 18] },
      },
    ],
    ...overrides,
  };
}

/** The minimal policy with one field of its first action changed: a quick way to get a new version. */
export function policyWithValue(value: number): Record<string, unknown> {
  const policy = minimalPolicy();
  const [first, ...rest] = policy.actions as Record<string, unknown>[];
  return { ...policy, actions: [{ ...first, value }, ...rest] };
}

export const MINIMAL_YAML = `# a minimal policy
name: test_policy
businessUnits:
  cards: 1
  loans: { weight: 2 }
journeys:
  cross_sell: [browse, product_page]
  servicing: [login]
actions:
  - id: card_cashback
    businessUnit: cards
    name: Cashback card
    value: 120
    placements: [{ journey: cross_sell }]
  - id: loan_personal
    businessUnit: loans
    name: Personal loan
    value: 400
    channels: [web, app]
    placements: [{ journey: cross_sell, steps: [product_page] }, { journey: servicing }]
    eligibility: { ">=": [{ var: features.age }, 18] }
`;

/** A pino logger whose lines are kept in `lines` (parsed JSON), so tests can assert what was logged. */
export function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), lines };
}

/** Resolves with the first truthy value `probe` returns, polling every 25 ms; throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs = 3_000): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
