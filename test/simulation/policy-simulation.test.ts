import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { decisionRequestSchema } from "../../src/decisioning/decision-request.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { connectRedis } from "../../src/redis/connect.js";
import { getJson, postJson, startTestApp, type TestApp } from "../support/test-app.js";

const TOKEN = "test-admin-token-0123456789";
let app: TestApp;
let draft: Record<string, any>;
beforeAll(async () => {
  app = await startTestApp({ env: { ADMIN_TOKEN: TOKEN } });
  draft = parse(await readFile("data/policies/bank-policy.yaml", "utf8"));
});
afterAll(() => app.close());

const simulate = (body: object, token = TOKEN) =>
  postJson(`${app.url}/v1/policies/simulate`, body, {
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
  });

describe("dry runs that share a score memo (a simulation's draft and current policy)", () => {
  it("score a candidate once per attributes and give exactly what scoring afresh gives", async () => {
    const { decisionService, policyService, featureService } = app.services;
    const policy = policyService.current().policy;
    const richer = loadPolicy({
      ...structuredClone(draft),
      actions: draft.actions.map((a: any) => (a.id === "loan_car" ? { ...a, value: a.value * 3 } : a)),
    });
    const request = decisionRequestSchema.parse({
      customerId: "memo-1",
      journey: "cross_sell",
      step: "browse",
      channel: "web",
      limit: 3,
    });
    const run = (p: typeof policy, scoreMemo?: Map<string, number>) =>
      decisionService.dryRun(request, {
        policy: p,
        features: featureService.defaults("memo-1"),
        decisionId: "memo-decision",
        ...(scoreMemo ? { scoreMemo } : {}),
      });
    const memo = new Map<string, number>();
    const first = await run(policy, memo);
    const size = memo.size;
    expect(size).toBeGreaterThan(1);
    const again = await run(policy, memo);
    expect(memo.size).toBe(size);
    const fresh = await run(policy);
    const strip = (r: any) => ({ ...r, createdAt: 0, rewardDeadline: 0 });
    expect(strip(again)).toEqual(strip(first));
    expect(strip(fresh)).toEqual(strip(first));
    // A draft that changes an action's value changes that candidate's model input: scored anew.
    const changed = await run(richer, memo);
    expect(memo.size).toBe(size + 1);
    expect(strip(changed)).toEqual(strip(await run(richer)));
  });
});

describe("POST /v1/policies/simulate", () => {
  it("shows a weight change moving the action mix, and leaves no trace in counters or the log", async () => {
    const tuned = structuredClone(draft);
    tuned.businessUnits.retention = { ...tuned.businessUnits.retention, weight: 0 };
    // What operators watch: decisions and model scoring counters (a simulation is not traffic).
    const watched = async () =>
      (await getJson(`${app.url}/metrics`)).body
        .split("\n")
        .filter((l: string) =>
          /^nba_(decisions_total|model_rows_scored_total|model_missing_inputs_total|model_scoring_seconds_count)/.test(
            l,
          ),
        );
    const before = await watched();
    const res = await simulate({
      policy: stringify(tuned),
      sample: { customers: 150, seed: 3 },
      placements: [{ journey: "retention", step: "cancel_intent", channel: "web" }],
    });
    expect(res.status).toBe(200);
    const { current, draft: d } = res.body;
    expect(current.decisions).toBe(150);
    expect(d.byBusinessUnit.retention ?? 0).toBe(0);
    expect(d.removed.arbitration).toBeDefined();
    expect(current.byBusinessUnit.retention).toBeGreaterThan(0);
    expect(res.body.difference.byAction).toBeTypeOf("object");
    expect(await watched()).toEqual(before);

    const redis = connectRedis(app.services.config.REDIS_URL!);
    const keys = await redis.keys(`${app.prefix}:*`);
    await redis.quit();
    expect(
      keys.filter((k) => k.includes(":contact") || k.includes("{decisions}") || k.includes("{d:")),
    ).toEqual([]);
  });

  it("runs the draft with its own bandit settings, not the serving policy's", async () => {
    const body = (policy: object) => ({
      policy: stringify(policy),
      sample: { customers: 100, seed: 4 },
      placements: [{ journey: "cross_sell", step: "browse", channel: "web" }],
    });
    // The same policy: the same answers (the same exploration draws per simulated decision).
    const same = await simulate(body(draft));
    expect(Object.values(same.body.difference.byAction).every((d) => d === 0)).toBe(true);
    // Uniform exploration instead of Thompson sampling: another action mix.
    const random = structuredClone(draft);
    random.bandit = { ...random.bandit, algorithm: "epsilon_greedy", epsilon_greedy: { epsilon: 1 } };
    const res = await simulate(body(random));
    expect(res.status).toBe(200);
    expect(Object.values(res.body.difference.byAction).some((d) => d !== 0)).toBe(true);
  });

  it("adds the off-policy estimate of the draft when the decision log has decisions", async () => {
    for (let i = 0; i < 40; i++) {
      const d = await postJson(`${app.url}/v1/decisions`, {
        customerId: `ope-${i}`,
        journey: "cross_sell",
        step: "browse",
        channel: "web",
        limit: 1,
      });
      const served = d.body.actions[0];
      if (served)
        await postJson(`${app.url}/v1/rewards`, {
          decisionId: d.body.decisionId,
          actionId: served.actionId,
          reward: i % 3 === 0 ? 1 : 0,
        });
    }
    const res = await simulate({
      policy: stringify(draft),
      sample: { customers: 20, seed: 1 },
      placements: [{ journey: "cross_sell", step: "browse", channel: "web" }],
    });
    expect(res.status).toBe(200);
    expect(res.body.offPolicy.available).toBe(true);
    const names = res.body.offPolicy.report.estimates.map((e: any) => e.estimator);
    expect(names).toEqual(expect.arrayContaining(["ips", "snips", "dm", "dr"]));
  });

  it("refuses a placement neither policy knows by name, instead of simulating empty decisions", async () => {
    const placements = [
      { journey: "cross_sel", step: "browse", channel: "web" },
      { journey: "cross_sell", step: "brows", channel: "web" },
      { journey: "cross_sell", step: "browse", channel: "web" },
    ];
    const res = await simulate({ policy: stringify(draft), sample: { customers: 5 }, placements, limit: 50 });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: "limit", reason: "must be a whole number of actions from 1 to 20" },
    ]);
    const typo = await simulate({ policy: stringify(draft), sample: { customers: 5 }, placements });
    expect(typo.status).toBe(400);
    expect(typo.body.error.details).toEqual([
      {
        field: "placements[0].journey",
        reason: expect.stringContaining(
          '"cross_sel" is not a journey of the draft or the current policy (did you mean "cross_sell"?)',
        ),
      },
      {
        field: "placements[1].step",
        reason:
          '"brows" is not a step of journey "cross_sell" in the draft or the current policy (did you mean "browse"?) (expected one of: browse, product_page)',
      },
    ]);
    // A journey only the draft has is a placement worth simulating: the current policy serves nothing there.
    const added = structuredClone(draft);
    added.journeys.loyalty = ["anniversary"];
    added.actions[0].placements.push({ journey: "loyalty" });
    const res2 = await simulate({
      policy: stringify(added),
      sample: { customers: 5 },
      placements: [{ journey: "loyalty", step: "anniversary", channel: "web" }],
    });
    expect(res2.status).toBe(200);
    expect(res2.body.current.servedShare).toBe(0);
  });

  it("requires the admin token and names the problems of an invalid draft", async () => {
    expect((await simulate({ policy: "name: x" }, "wrong-token-wrong-token")).status).toBe(401);
    const bad = await simulate({ policy: { ...draft, businessUnits: { cards: { weight: -1 } } } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain("businessUnits");
  });
});
