import { describe, expect, it } from "vitest";
import { validatePolicy } from "../../src/policy/load-policy.js";
import { minimalPolicy } from "./policy-fixtures.js";

function problemsOf(raw: unknown) {
  const result = validatePolicy(raw);
  if (result.ok) throw new Error("expected the policy to be invalid");
  return result.problems;
}

function withAction(patch: Record<string, unknown>, index = 0) {
  const policy = minimalPolicy();
  const actions = [...(policy.actions as Record<string, unknown>[])];
  actions[index] = { ...actions[index], ...patch };
  return { ...policy, actions };
}

describe("policy schema", () => {
  it("fills every default so a minimal policy stays short", () => {
    const result = validatePolicy(minimalPolicy());
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { document, actionById } = result.policy;
    expect(document.description).toBe("");
    expect(document.businessUnits.cards).toEqual({ weight: 1, caps: [] });
    expect(document.contactPolicy).toEqual({
      perCustomer: [],
      perChannel: {},
      defaults: { cooldownHours: 24, suppressionDays: 30 },
      whenHistoryUnavailable: "withhold",
    });
    expect(document.bandit).toMatchObject({
      algorithm: "thompson",
      rewardWindowHours: 72,
      defaultReward: 0,
      thompson: { posteriorScale: 0.5, ridge: 1 },
    });
    expect(document.topK).toEqual({ defaultLimit: 1 });
    const card = actionById.get("card_cashback")!;
    expect(card.lever).toBe(1);
    expect([...card.channels]).toEqual(["web", "app", "email", "call_centre", "branch"]);
    expect(card.eligibility.alwaysTrue).toBe(true);
    expect([card.cooldownHours, card.suppressionDays]).toEqual([24, 30]);
    expect(card.exploration).toEqual({ enabled: true, maxProbability: 1 });
  });

  it("reports every problem at once, each naming its path and what was expected", () => {
    const policy = minimalPolicy({
      businessUnits: { cards: 1, loans: { weight: -1 } },
      journeys: { cross_sell: ["browse", "product_page", "browse"], servicing: ["login"] },
      contactPolicy: { perChannel: { sms: [{ max: 1, days: 7 }] } },
      contextWeights: [{ when: true, weight: 2, actionId: "card_cashbak" }],
      actions: [
        {
          id: "card_cashback",
          businessUnit: "card",
          name: "Cashback",
          value: 120,
          channels: ["web", "sms"],
          placements: [{ journey: "onbording" }],
        },
        {
          id: "card_cashback",
          businessUnit: "cards",
          name: "Again",
          value: "lots",
          placements: [{ journey: "cross_sell", steps: ["checkout"] }],
        },
      ],
    });
    const problems = problemsOf(policy);
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          field: "actions[0].businessUnit",
          reason:
            '"card" is not a business unit of this policy (did you mean "cards"?) (expected one of: cards, loans)',
        },
        {
          field: "actions[0].channels[1]",
          reason: '"sms" is not a channel (expected one of: web, app, email, call_centre, branch)',
        },
        {
          field: "actions[0].placements[0].journey",
          reason: '"onbording" is not a journey of this policy (expected one of: cross_sell, servicing)',
        },
        {
          field: "actions[1].id",
          reason: '"card_cashback" is already the id of actions[0]; action ids must be unique',
        },
        { field: "actions[1].value", reason: 'expected a number, got "lots"' },
        {
          field: "actions[1].placements[0].steps[0]",
          reason: '"checkout" is not a step of journey "cross_sell" (expected one of: browse, product_page)',
        },
        {
          field: "businessUnits.loans.weight",
          reason: "must be 0 or more (0 switches the business unit off)",
        },
        { field: "journeys.cross_sell[2]", reason: 'step "browse" is listed twice in journey "cross_sell"' },
        {
          field: "contactPolicy.perChannel.sms",
          reason: '"sms" is not a channel (expected one of: web, app, email, call_centre, branch)',
        },
        {
          field: "contextWeights[0].actionId",
          reason: '"card_cashbak" is not an action of this policy (did you mean "card_cashback"?)',
        },
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it("names a misspelt field with a suggestion and the fields expected there", () => {
    const problems = problemsOf(withAction({ lver: 2 }));
    expect(problems).toEqual([
      {
        field: "actions[0].lver",
        reason: expect.stringMatching(
          /^is not a known field \(did you mean "lever"\?\) \(expected one of: id, businessUnit, name, .*lever/,
        ),
      },
    ]);
  });

  it("says which required fields are missing", () => {
    const problems = problemsOf({ name: "x", businessUnits: { cards: 1 }, journeys: { j: ["s"] } });
    expect(problems).toEqual([{ field: "actions", reason: "is required (expected a list)" }]);
  });

  it("names a wrong type in a YAML author's words, with the value written", () => {
    const problems = problemsOf(withAction({ lever: "high", channels: "web", exploration: false }));
    expect(problems).toEqual([
      { field: "actions[0].channels", reason: 'expected a list, got "web"' },
      { field: "actions[0].exploration", reason: "expected a set of fields, got false" },
      { field: "actions[0].lever", reason: 'expected a number, got "high"' },
    ]);
  });

  it("says the allowed range of every bounded number, never zod's own wording", () => {
    const problems = problemsOf(
      minimalPolicy({
        businessUnits: { cards: { weight: 1, maxExplorationShare: -0.2 }, loans: 1 },
        topK: { defaultLimit: 2.5, maxPerBusinessUnit: 0 },
        bandit: { epsilon_greedy: { epsilon: 5 }, seed: 4.2 },
      }),
    );
    expect(problems).toEqual([
      { field: "bandit.epsilon_greedy.epsilon", reason: "must be a probability between 0 and 1" },
      { field: "bandit.seed", reason: "must be a whole number" },
      { field: "businessUnits.cards.maxExplorationShare", reason: "must be a share between 0 and 1" },
      { field: "topK.defaultLimit", reason: "must be a whole number" },
      { field: "topK.maxPerBusinessUnit", reason: "must be at least 1" },
    ]);
    expect(problemsOf(minimalPolicy({ topK: { defaultLimit: 0 } }))).toEqual([
      { field: "topK.defaultLimit", reason: "must be at least 1" },
    ]);
  });

  it("refuses a bad business-unit name, an unknown bandit algorithm and an exploration probability above 1", () => {
    const policy = {
      ...withAction({ exploration: { maxProbability: 1.5 } }),
      bandit: { algorithm: "ucb1" },
      businessUnits: { cards: 1, loans: 1, Mortgages: 1 },
    };
    const fields = problemsOf(policy).map((p) => [p.field, p.reason]);
    expect(fields).toEqual(
      expect.arrayContaining([
        [
          "businessUnits.Mortgages",
          'the name "Mortgages" must be lower_snake_case (a letter, then letters, digits or _)',
        ],
        [
          "bandit.algorithm",
          '"ucb1" is not a bandit algorithm (expected one of: thompson, linucb, epsilon_greedy, softmax)',
        ],
        ["actions[0].exploration.maxProbability", "must be a probability between 0 and 1"],
      ]),
    );
  });

  it("takes an optional LinUCB epsilon floor in [0, 1] that leaves older policies' versions alone", () => {
    const plain = validatePolicy(minimalPolicy());
    const spelled = validatePolicy(minimalPolicy({ bandit: { linucb: { alpha: 1, ridge: 1 } } }));
    const floored = validatePolicy(
      minimalPolicy({ bandit: { algorithm: "linucb", linucb: { epsilon: 0.05 } } }),
    );
    if (!plain.ok || !spelled.ok || !floored.ok) throw new Error("expected valid policies");
    expect(plain.policy.document.bandit.linucb).toEqual({ alpha: 1, ridge: 1 });
    // Not written = no floor, and no new default in the canonical document: the version is unchanged.
    expect(spelled.policy.version).toBe(plain.policy.version);
    expect(floored.policy.document.bandit.linucb).toEqual({ alpha: 1, ridge: 1, epsilon: 0.05 });
    for (const epsilon of [-0.1, 1.5, "0.05"]) {
      const fields = problemsOf(minimalPolicy({ bandit: { linucb: { epsilon } } })).map((p) => p.field);
      expect(fields).toEqual(["bandit.linucb.epsilon"]);
    }
    expect(problemsOf(minimalPolicy({ bandit: { linucb: { epsilon: 2 } } }))[0]!.reason).toBe(
      "must be a probability between 0 and 1",
    );
  });

  it("takes an optional Thompson draw count (16-4096, whole) that leaves older policies' versions alone", () => {
    const plain = validatePolicy(minimalPolicy());
    const spelled = validatePolicy(
      minimalPolicy({ bandit: { thompson: { posteriorScale: 0.5, ridge: 1 } } }),
    );
    const set = validatePolicy(minimalPolicy({ bandit: { thompson: { draws: 1024 } } }));
    if (!plain.ok || !spelled.ok || !set.ok) throw new Error("expected valid policies");
    expect(spelled.policy.version).toBe(plain.policy.version);
    expect(set.policy.document.bandit.thompson.draws).toBe(1024);
    expect(set.policy.version).not.toBe(plain.policy.version);
    const reasons = (draws: unknown) =>
      problemsOf(minimalPolicy({ bandit: { thompson: { draws } } })).map((p) => `${p.field}: ${p.reason}`);
    expect(reasons(8)).toEqual([
      "bandit.thompson.draws: must be at least 16 (P(first) is logged in steps of 1/draws)",
    ]);
    expect(reasons(5000)).toEqual(["bandit.thompson.draws: must be at most 4096 (the normal table's rows)"]);
    expect(reasons(100.5)).toEqual(["bandit.thompson.draws: must be a whole number of draws"]);
  });

  it("accepts a context weight scoped to a business unit, and refuses one scoped to both a unit and an action", () => {
    expect(
      validatePolicy(minimalPolicy({ contextWeights: [{ when: true, weight: 2, businessUnit: "loans" }] }))
        .ok,
    ).toBe(true);
    const problems = problemsOf(
      minimalPolicy({
        contextWeights: [{ when: true, weight: 2, businessUnit: "loans", actionId: "loan_personal" }],
      }),
    );
    expect(problems).toEqual([
      {
        field: "contextWeights[0]",
        reason: "sets both businessUnit and actionId; scope a weight to one or the other",
      },
    ]);
  });
});

describe("policy rules in a document", () => {
  it("refuses json-logic's method operator wherever it hides", () => {
    const rule = { and: [true, { "==": [{ method: [{ var: "context.name" }, "toUpperCase"] }, "X"] }] };
    const problems = problemsOf(withAction({ eligibility: rule }));
    expect(problems).toEqual([
      {
        field: 'actions[0].eligibility.and[1]["=="][0].method',
        reason: 'operator "method" is not allowed: it calls a JavaScript method, which a policy may never do',
      },
    ]);
  });

  it("refuses operators outside the allowlist, including prototype names and log", () => {
    for (const op of ["constructor", "__proto__", "toString", "log", "eval", "map"]) {
      const problems = problemsOf(withAction({ eligibility: { [op]: [1] } }));
      expect(problems, op).toHaveLength(1);
      expect(problems[0]!.reason, op).toMatch(new RegExp(`^operator "${op}" is not allowed`));
    }
  });

  it("bounds durations, multipliers and values, so no decision derives a date or priority that overflows", () => {
    const policy = withAction({ cooldownHours: 1e300, lever: 1e200, value: 1e12 });
    const problems = problemsOf({
      ...policy,
      bandit: { rewardWindowHours: 2.4e9 },
      contactPolicy: { perCustomer: [{ max: 3, days: 1e300 }] },
    });
    expect(problems.map((p) => [p.field, p.reason])).toEqual(
      expect.arrayContaining([
        ["actions[0].cooldownHours", "must be at most 8784 hours"],
        ["actions[0].lever", "must be at most 1,000"],
        ["actions[0].value", "must be at most 1,000,000,000 EUR"],
        ["bandit.rewardWindowHours", "must be at most 8784 hours (366 days)"],
        ["contactPolicy.perCustomer[0].days", "must be at most 366 days"],
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it("refuses an action id longer than bandit snapshots carry", () => {
    const problems = problemsOf(withAction({ id: `card_${"x".repeat(200)}` }));
    expect(problems.map((p) => [p.field, p.reason])).toContainEqual([
      "actions[0].id",
      "must be at most 200 characters",
    ]);
  });

  it("checks missing_some's count too: json-logic evaluates it, so it could carry any operation", () => {
    const hidden = { map: [{ merge: [1, 2] }, { log: { var: "features.agee" } }] };
    const ok = { missing_some: [1, ["features.age", "profile.segment"]] };
    const problems = problemsOf(
      withAction({ eligibility: { and: [ok, { missing_some: [hidden, ["features.age"]] }] } }),
    );
    expect(problems.map((p) => [p.field, p.reason])).toEqual([
      [
        "actions[0].eligibility.and[1].missing_some[0]",
        "missing_some needs a literal whole number (how many of the names must be present)",
      ],
    ]);
  });

  it("refuses variables outside features, profile, context and scores, and unknown names under them", () => {
    const rule = {
      and: [
        { var: "features.age" },
        { var: "features.agee" },
        { var: "profile.income" },
        { var: "scores.fraud" },
        { var: "process.env.SECRET" },
        { var: "context.a.__proto__" },
        { var: ["context.anything.nested", 0] },
        { var: { cat: ["features.", "age"] } },
        { missing: ["profile.segment", "env.HOME"] },
      ],
    };
    const problems = problemsOf(withAction({ eligibility: rule }));
    expect(problems.map((p) => p.field)).toEqual([
      "actions[0].eligibility.and[1].var",
      "actions[0].eligibility.and[2].var",
      "actions[0].eligibility.and[3].var",
      "actions[0].eligibility.and[4].var",
      "actions[0].eligibility.and[5].var",
      "actions[0].eligibility.and[7].var",
      "actions[0].eligibility.and[8].missing[1]",
    ]);
    expect(problems[0]!.reason).toBe(
      '"features.agee" is not a feature (did you mean "features.age"?); features are listed in docs/policies.md',
    );
    expect(problems[1]!.reason).toMatch(
      /^"profile.income" is not a profile attribute \(expected one of: profile.tenureMonths, profile.age/,
    );
    expect(problems[2]!.reason).toBe(
      '"scores.fraud" is not a score (expected scores.churn or scores.propensity)',
    );
    expect(problems[3]!.reason).toMatch(
      /^variable "process.env.SECRET" is outside the allowed variables \(expected features.<name>/,
    );
    expect(problems[5]!.reason).toBe('var needs a literal variable name such as "features.age"');
  });

  it("refuses objects that are not one-operator rules, and wrong argument counts", () => {
    const problems = problemsOf(
      withAction({ eligibility: { or: [{ ">=": [1, 2], "<": [1, 2] }, { "!": [1, 2] }] } }),
    );
    expect(problems).toEqual([
      {
        field: "actions[0].eligibility.or[0]",
        reason: "an operation must have exactly one key, its operator (found 2: >=, <)",
      },
      { field: 'actions[0].eligibility.or[1]["!"]', reason: 'operator "!" takes 1 argument(s), got 2' },
    ]);
  });
});
