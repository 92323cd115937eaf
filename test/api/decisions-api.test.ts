/**
 * The decision endpoint end to end: real HTTP server on port 0, real Redis, the shipped policy and
 * whatever models are promoted in models/ (the pipeline falls back to a prior without them).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { contactRulesOf } from "../../src/decisioning/contact-rules.js";
import { stageActionIds } from "../../src/decisioning/decision-record.js";
import { sleep } from "../decisioning/decision-fixtures.js";
import { loggedRecords } from "../decisioning/decision-stores.js";
import { uniqueCustomer } from "../support/event-factory.js";
import { freePort } from "../support/free-port.js";
import { getJson, postJson, startTestApp, type TestApp } from "../support/test-app.js";
import { spawnRedisServer } from "../support/throwaway-redis.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const decide = (body: object) =>
  postJson(`${app.url}/v1/decisions`, { journey: "cross_sell", step: "browse", channel: "web", ...body });

describe("POST /v1/decisions", () => {
  it("answers with ranked actions, their probabilities, exclusions and versions", async () => {
    const id = uniqueCustomer();
    const now = Date.now();
    await postJson(`${app.url}/v1/events`, {
      events: [
        {
          eventId: "a",
          customerId: id,
          type: "product_view",
          channel: "web",
          timestamp: now - 60_000,
          properties: { businessUnit: "cards" },
        },
        { eventId: "b", customerId: id, type: "login", channel: "app", timestamp: now - 120_000 },
      ],
    });
    await fetch(`${app.url}/v1/customers/${id}/profile`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        tenureMonths: 40,
        age: 35,
        segment: "mass",
        productsHeld: ["current_account", "mortgage"],
      }),
    });
    const res = await decide({ customerId: id, limit: 3, context: { device: "mobile", basketValue: 120 } });
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.decisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.actions.length).toBeGreaterThanOrEqual(1);
    expect(body.actions.length).toBeLessThanOrEqual(3);
    body.actions.forEach((a: any, i: number) => {
      expect(a.rank).toBe(i + 1);
      // P(ranked first): positive for the action actually put first, possibly 0 for lower ranks.
      if (i === 0) expect(a.probability).toBeGreaterThan(0);
      expect(a.probability).toBeGreaterThanOrEqual(0);
      expect(a.probability).toBeLessThanOrEqual(1);
      // Thompson sampling ranks by a draw; the answer names it and shows the posterior's centre,
      // which for an action with no rewards yet is the offline propensity (the arm's prior). An
      // action that does not explore (or a draw that lands on the centre) shows one number.
      const sampled = /^priority [\d.]+ = sampled P\(accept\) ([\d.]+) \(posterior centre ([\d.]+)\)/.exec(
        a.reasons[0],
      );
      const centred = /^priority [\d.]+ = P\(accept\) ([\d.]+) x/.exec(a.reasons[0]);
      const shown = sampled ?? (centred && [centred[0], centred[1], centred[1]]);
      expect(shown, a.reasons[0]).not.toBeNull();
      expect(Number(shown![1])).toBeCloseTo(a.priority.estimate, 4);
      if (body.banditSnapshotVersion === "cold") expect(Number(shown![2])).toBeCloseTo(a.propensity, 3);
    });
    expect(body.banditSnapshotVersion).toBe("cold");
    // The policy's diversity rule: at most one action per business unit.
    expect(new Set(body.actions.map((a: any) => a.businessUnit)).size).toBe(body.actions.length);
    // Holding a mortgage makes the first-home mortgage ineligible, and the response says so.
    expect(body.excluded).toContainEqual(
      expect.objectContaining({ actionId: "mortgage_first_home", stage: "eligibility" }),
    );
    expect(body.policyVersion).toMatch(/^[0-9a-f]{12}$/);
    // The versions of the models that actually scored this decision (both are promoted in models/).
    expect(body.fallback).toBe(false);
    expect(body.modelVersions).toEqual(app.services.modelService.versions());
    expect(Object.keys(body.modelVersions).sort()).toEqual(["churn", "propensity"]);

    // The log keeps each stage's survivors: listed for the first and last, counted in between and
    // derived from the exclusions, which must account for every candidate a stage dropped.
    const record = (await loggedRecords(app.services.decisionLog)).get(body.decisionId)!;
    expect(record.stages.map((s) => s.stage)).toEqual([
      "candidates",
      "scoring",
      "eligibility",
      "contact_policy",
      "arbitration",
      "bandit",
      "top_k",
    ]);
    const trail = stageActionIds(record);
    expect(trail[0]!.actionIds.length).toBeGreaterThan(trail[2]!.actionIds.length);
    record.stages.forEach((s, i) => {
      if (s.kept !== undefined) expect(trail[i]!.actionIds).toHaveLength(s.kept);
    });
    expect(trail[2]!.actionIds).not.toContain("mortgage_first_home");
    expect(trail[6]!.actionIds).toEqual(body.actions.map((a: any) => a.actionId));
  });

  it("warms up its decision path without logging or recording anything", async () => {
    const count = async () => {
      let n = 0;
      for await (const _ of app.services.decisionLog.range()) n++;
      return n;
    };
    const before = await count();
    await app.services.decisionService.warmUp(6);
    expect(await count()).toBe(before);
    expect((await app.services.contactStore.history("warm-up-0", Date.now())).impressions).toEqual([]);
  });

  it("returns the same decision for the same idempotency key", async () => {
    const id = uniqueCustomer();
    const first = await decide({ customerId: id, idempotencyKey: "journey-run-42" });
    const again = await decide({ customerId: id, idempotencyKey: "journey-run-42" });
    expect(again.body.decisionId).toBe(first.body.decisionId);
    expect(again.body.actions).toEqual(first.body.actions);
    expect(again.body.replayed).toBe(true);
  });

  it("makes one decision for concurrent requests with the same idempotency key", async () => {
    const id = uniqueCustomer();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => decide({ customerId: id, idempotencyKey: "retry-storm", limit: 1 })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const ids = new Set(responses.map((r) => r.body.decisionId));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => !r.body.replayed)).toHaveLength(1);
    // One decision, so one impression against the caps: two more offers may still be shown this week.
    const next = await decide({ customerId: id, limit: 3 });
    expect(next.body.actions.length).toBe(2);
  });

  it("never exceeds the weekly cap under concurrent decisions for one customer", async () => {
    const id = uniqueCustomer();
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => decide({ customerId: id, limit: 1 })),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const served = responses.flatMap((r) => r.body.actions);
    // perCustomer: at most 3 offers in any 7 days. Decisions that read the history in the same turn may
    // pick the same action; the write refuses the repeats (the action's cool-down), so fewer than 3
    // can be served by the burst, never more.
    expect(served.length).toBeGreaterThanOrEqual(1);
    expect(served.length).toBeLessThanOrEqual(3);
    expect(new Set(served.map((a: any) => a.actionId)).size).toBe(served.length);
    // Each decision's log holds what it served: a refused impression is not in the logged record. A
    // decision the write corrected is logged after its answer, so let those appends land first.
    await app.services.decisionService.settle();
    const logged = await loggedRecords(app.services.decisionLog);
    for (const r of responses) {
      const record = logged.get(r.body.decisionId);
      const served = r.body.actions.map((a: any) => a.actionId);
      expect(record?.chosen.map((a) => a.actionId)).toEqual(served);
      // ...and its stage trail ends with what was served, not with what the write refused (a decision
      // whose candidates were all excluded earlier ends before top-k, serving nothing).
      const last = record?.stages.at(-1);
      if (last?.stage === "top_k") expect(last.actionIds).toEqual(served);
      else expect(served).toEqual([]);
    }
    // Decisions one after another top the week up to the cap and no further.
    let total = served.length;
    for (let i = 0; i < 3; i++) total += (await decide({ customerId: id, limit: 1 })).body.actions.length;
    expect(total).toBe(3);
    const later = await decide({ customerId: id });
    expect(later.body.actions).toEqual([]);
    expect(
      later.body.excluded.every((e: any) => e.stage === "contact_policy" || e.stage === "eligibility"),
    ).toBe(true);
  });

  it("logs probabilities that match how often each action is actually chosen first", async () => {
    const n = 300;
    const counts = new Map<string, number>();
    const logged = new Map<string, number>();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      // New customers with the same (default) features: the same context every time.
      const res = await decide({ customerId: uniqueCustomer("freq"), limit: 1 });
      const first = res.body.actions[0];
      counts.set(first.actionId, (counts.get(first.actionId) ?? 0) + 1);
      ids.push(res.body.decisionId);
    }
    const records = await loggedRecords(app.services.decisionLog);
    for (const id of ids) {
      for (const [action, p] of Object.entries(records.get(id)!.candidateProbabilities))
        logged.set(action, (logged.get(action) ?? 0) + p / n);
    }
    for (const [action, p] of logged) {
      const freq = (counts.get(action) ?? 0) / n;
      expect(Math.abs(freq - p), `${action}: chosen ${freq}, logged ${p}`).toBeLessThan(
        4 * Math.sqrt((p * (1 - p)) / n) + 0.02,
      );
    }
  }, 60_000);

  it("refuses a bad request with every field named", async () => {
    const res = await postJson(`${app.url}/v1/decisions`, {
      customerId: "bad id",
      journey: "X",
      channel: "fax",
      limit: 0,
      extra: 1,
    });
    expect(res.status).toBe(400);
    const fields = res.body.error.details.map((d: any) => d.field).sort();
    expect(fields).toEqual(["channel", "customerId", "extra", "journey", "limit", "step"]);
    expect(res.body.error.details).toContainEqual({ field: "step", reason: "is required" });
    // An unknown key is named by its own path, so a misspelt field is obvious.
    expect(res.body.error.details).toContainEqual({
      field: "extra",
      reason: "is not a field of this request (check its spelling, or leave it out)",
    });
  });

  it("names the top-k reason for each candidate within reach it could not serve", async () => {
    const customerId = uniqueCustomer();
    // Two offers this week; the policy allows three in any seven days.
    expect((await decide({ customerId, limit: 2 })).body.actions).toHaveLength(2);
    const res = await decide({ customerId, limit: 3 });
    expect(res.body.actions).toHaveLength(1);
    const passedOver = res.body.excluded.filter((e: any) => e.stage === "top_k");
    expect(passedOver.length).toBeGreaterThan(0);
    for (const e of passedOver) {
      // The sample policy also allows one action per business unit in a response.
      expect(e.reason).toMatch(
        /cap.*counting this response's earlier picks$|^diversity: at most 1 \w+ action\(s\) per response$/,
      );
      expect(res.body.actions.map((a: any) => a.actionId)).not.toContain(e.actionId);
    }
    expect(passedOver.some((e: any) => /cap/.test(e.reason))).toBe(true);
  });

  it("says what a context entry must be", async () => {
    const res = await decide({
      customerId: uniqueCustomer(),
      context: { device: null, basket: { total: 3 }, "bad key": 1, note: "x".repeat(300) },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: "context.device", reason: "must be a string, number or boolean" },
      { field: "context.basket", reason: "must be a string, number or boolean" },
      { field: "context.bad key", reason: "context keys must be identifiers of at most 64 characters" },
      { field: "context.note", reason: "must be at most 256 characters" },
    ]);
  });

  it("refuses a journey or step the policy does not know, rather than answering an empty decision", async () => {
    const journey = await decide({ customerId: uniqueCustomer(), journey: "cross_sel" });
    expect(journey.status).toBe(400);
    expect(journey.body.error.code).toBe("validation_failed");
    expect(journey.body.error.details).toEqual([
      {
        field: "journey",
        reason: expect.stringMatching(
          /^"cross_sel" is not a journey of policy \w+ \([0-9a-f]{12}\) \(did you mean "cross_sell"\?\) \(expected one of: .*cross_sell/,
        ),
      },
    ]);
    const step = await decide({ customerId: uniqueCustomer(), step: "checkout" });
    expect(step.status).toBe(400);
    expect(step.body.error.details).toEqual([
      {
        field: "step",
        reason: expect.stringMatching(
          /^"checkout" is not a step of journey "cross_sell" in policy .*\(expected one of: browse, product_page\)$/,
        ),
      },
    ]);
  });

  it("decides at a journey the policy does not place when the caller lists its candidates", async () => {
    const res = await decide({
      customerId: uniqueCustomer(),
      journey: "partner_app",
      step: "home",
      candidates: ["card_cashback", "savings_easy_access"],
    });
    expect(res.status).toBe(200);
    expect(res.body.actions.length).toBeGreaterThan(0);
  });

  it("refuses an idempotency key reused at another placement instead of replaying the wrong decision", async () => {
    const customerId = uniqueCustomer();
    const first = await decide({ customerId, idempotencyKey: "step-run-7" });
    expect(first.status).toBe(200);
    const reused = await decide({
      customerId,
      idempotencyKey: "step-run-7",
      journey: "retention",
      step: "cancel_intent",
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe("idempotency_key_reused");
    expect(reused.body.error.details).toEqual([
      { field: "journey", reason: 'is "retention", but the key\'s decision is for "cross_sell"' },
      { field: "step", reason: 'is "cancel_intent", but the key\'s decision is for "browse"' },
    ]);
    // The same placement still replays.
    const again = await decide({ customerId, idempotencyKey: "step-run-7" });
    expect(again.body.decisionId).toBe(first.body.decisionId);
    expect(again.body.replayed).toBe(true);
  });
});

describe("POST /v1/rewards", () => {
  it("joins a reward posted the moment a corrected answer arrives, its log append still in flight", async () => {
    // Two decisions for one customer at once: the second to write finds the weekly cap (3) partly
    // used, so some of its actions are refused and its corrected record is appended after the answer.
    // The append is held back here, so the reward below can only join by waiting for it.
    const log = app.services.decisionLog;
    const append = log.append;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    log.append = (record) => held.then(() => append.call(log, record));
    try {
      let corrected: { body: any } | undefined;
      for (let i = 0; i < 8 && !corrected; i++) {
        const customerId = uniqueCustomer();
        const both = await Promise.all([decide({ customerId, limit: 1 }), decide({ customerId, limit: 3 })]);
        corrected = both.find(
          (r) =>
            r.body.actions.length > 0 &&
            r.body.excluded.some((e: any) => e.reason.includes("another decision got there first")),
        );
      }
      expect(corrected, "no decision was corrected in 8 tries").toBeDefined();
      const reward = postJson(`${app.url}/v1/rewards`, {
        decisionId: corrected!.body.decisionId,
        actionId: corrected!.body.actions[0].actionId,
        reward: 1,
      });
      await sleep(200);
      release();
      const joined = await reward;
      expect(joined.status).toBe(200);
      expect(joined.body.status).toBe("joined");
    } finally {
      release();
      log.append = append;
    }
  });

  it("joins a reward once, and refuses unknown decisions and actions not served", async () => {
    const res = await decide({ customerId: uniqueCustomer() });
    const { decisionId } = res.body;
    const actionId = res.body.actions[0].actionId;
    const joined = await postJson(`${app.url}/v1/rewards`, {
      decisionId,
      actionId,
      reward: 1,
      outcome: "accepted",
    });
    expect(joined.status).toBe(200);
    expect(joined.body.status).toBe("joined");
    const dup = await postJson(`${app.url}/v1/rewards`, { decisionId, actionId, reward: 1 });
    expect(dup.body.status).toBe("duplicate");
    const unknown = await postJson(`${app.url}/v1/rewards`, {
      decisionId: "no-such-decision",
      actionId,
      reward: 1,
    });
    expect(unknown.status).toBe(404);
    const wrong = await postJson(`${app.url}/v1/rewards`, {
      decisionId,
      actionId: "loan_car_not_served",
      reward: 1,
    });
    expect(wrong.status).toBe(400);
  });
});

describe("fallback", () => {
  it("serves nothing under an idempotency key it cannot check, and decides on the retry", async () => {
    const log = app.services.decisionLog;
    const get = log.get;
    // The real log, unreachable for the first lookup only.
    let down = true;
    log.get = (id) => {
      if (!down) return get.call(log, id);
      down = false;
      return Promise.reject(new Error("connection reset"));
    };
    try {
      const customerId = uniqueCustomer();
      const first = await decide({ customerId, idempotencyKey: "unverified" });
      expect(first.status).toBe(200);
      expect(first.body.fallback).toBe(true);
      expect(first.body.actions).toEqual([]);
      const withheld = first.body.excluded.filter((e: any) => e.stage === "contact_policy");
      expect(withheld.length).toBeGreaterThan(0);
      for (const e of withheld) expect(e.reason).toMatch(/^the idempotency key could not be checked/);
      await app.services.decisionService.settle();
      expect((await loggedRecords(log)).has(first.body.decisionId)).toBe(false);
      const retry = await decide({ customerId, idempotencyKey: "unverified" });
      expect(retry.body.fallback).toBe(false);
      expect(retry.body.replayed).toBeUndefined();
      expect(retry.body.actions.length).toBeGreaterThan(0);
    } finally {
      log.get = get;
    }
  });

  it("logs a fallback answer in full, and joins its rewards, when its late write refuses an action", async () => {
    // The decision's write is held past the budget, so the answer is a fallback serving every chosen
    // action. Meanwhile the customer is shown those actions elsewhere, so the late write refuses at
    // least one of them (cap or cool-down) and does not log the decision: the service must.
    const own = await startTestApp({ env: { DECISION_TIMEOUT_MS: "300" } });
    let release = () => {};
    try {
      const writer = (own.services.decisionService as any).deps.decisionWriter;
      const write = writer.write;
      const held = new Promise<void>((resolve) => (release = resolve));
      writer.write = (w: unknown) => held.then(() => write.call(writer, w));
      const customerId = uniqueCustomer();
      const res = await postJson(`${own.url}/v1/decisions`, {
        customerId,
        journey: "cross_sell",
        step: "browse",
        channel: "web",
        limit: 2,
      });
      writer.write = write;
      expect(res.body.fallback).toBe(true);
      expect(res.body.actions).toHaveLength(2);
      const shown = res.body.actions.map((a: any) => ({
        actionId: a.actionId,
        businessUnit: a.businessUnit,
        channel: "web",
      }));
      const rules = contactRulesOf(own.services.policyService.current().policy);
      const elsewhere = await own.services.contactStore.recordImpressions(
        customerId,
        shown,
        rules,
        Date.now(),
      );
      expect(elsewhere.recorded).toHaveLength(2);
      const reward = postJson(`${own.url}/v1/rewards`, {
        decisionId: res.body.decisionId,
        actionId: shown[0].actionId,
        reward: 1,
      });
      await sleep(100);
      release();
      expect((await reward).body.status).toBe("joined");
      await own.services.decisionService.settle();
      const logged = (await loggedRecords(own.services.decisionLog)).get(res.body.decisionId);
      expect(logged?.chosen.map((a) => a.actionId)).toEqual(shown.map((a: any) => a.actionId));
    } finally {
      release();
      await own.close();
    }
  });

  it.each(["withhold", "serve"] as const)(
    "still answers, flagged fallback, when Redis goes away (contact history unavailable: %s)",
    async (whenHistoryUnavailable) => {
      const port = await freePort();
      const redis: ChildProcess = spawnRedisServer(port);
      const dir = await mkdtemp(join(tmpdir(), "nba-fallback-"));
      try {
        const policy = parseYaml(await readFile("data/policies/bank-policy.yaml", "utf8"));
        policy.contactPolicy = { ...policy.contactPolicy, whenHistoryUnavailable };
        const policyFile = join(dir, "policy.yaml");
        await writeFile(policyFile, stringifyYaml(policy));
        await new Promise((r) => setTimeout(r, 300));
        const own = await startTestApp({
          env: { REDIS_URL: `redis://127.0.0.1:${port}`, DECISION_TIMEOUT_MS: "30", POLICY_FILE: policyFile },
        });
        const decide = () =>
          postJson(`${own.url}/v1/decisions`, {
            customerId: "c1",
            journey: "cross_sell",
            step: "browse",
            channel: "web",
          });
        const ok = await decide();
        expect(ok.status).toBe(200);
        redis.kill("SIGKILL");
        await new Promise((r) => setTimeout(r, 200));
        const started = performance.now();
        const down = await decide();
        const ms = performance.now() - started;
        expect(down.status).toBe(200);
        expect(down.body.fallback).toBe(true);
        expect(ms).toBeLessThan(2_000);
        if (whenHistoryUnavailable === "serve") {
          expect(down.body.actions.length).toBeGreaterThan(0);
        } else {
          // No cap, cool-down or suppression can be checked: nothing is offered, and each candidate says why.
          expect(down.body.actions).toEqual([]);
          const reasons = down.body.excluded
            .filter((e: any) => e.stage === "contact_policy")
            .map((e: any) => e.reason);
          expect(reasons.length).toBeGreaterThan(0);
          expect(new Set(reasons)).toEqual(
            new Set([
              "contact history unavailable, so no cap, cool-down or suppression could be checked (contactPolicy.whenHistoryUnavailable: withhold)",
            ]),
          );
        }
        const metrics = await getJson(`${own.url}/metrics`);
        expect(metrics.body).toMatch(/nba_decisions_total\{fallback="true"\} [1-9]/);
        await own.close();
      } finally {
        redis.kill("SIGKILL");
        await rm(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});
