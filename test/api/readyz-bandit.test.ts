/**
 * An operator can see which bandit snapshot a replica serves from /readyz (the same version its
 * decisions carry as banditSnapshotVersion), without reading its logs: null while cold, then the
 * learner's latest once picked up (and `nba_bandit_snapshot_info` in /metrics). It never gates readiness.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CONTEXT_ENCODER } from "../../src/bandit/bandit-context.js";
import { encodeSnapshot } from "../../src/bandit/bandit-snapshot.js";
import { banditConfigFromPolicy, createBandit } from "../../src/bandit/create-bandit.js";
import { RedisSnapshotStore } from "../../src/bandit/redis-snapshot-store.js";
import { connectRedis } from "../../src/redis/connect.js";
import { getJson, postJson, startTestApp, type TestApp } from "../support/test-app.js";
import { testRedisUrl } from "../support/test-redis.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe("/readyz and the bandit snapshot", () => {
  it("reports the snapshot version serving: null while cold, the learner's once picked up", async () => {
    const cold = await getJson(`${app.url}/readyz`);
    expect(cold.status).toBe(200);
    expect(cold.body.checks.bandit).toEqual({ ok: true, snapshotVersion: null });

    const config = banditConfigFromPolicy(
      app.services.policyService.current().policy.document.bandit,
      DEFAULT_CONTEXT_ENCODER,
    );
    const bandit = createBandit(config);
    bandit.learn(new Float64Array(DEFAULT_CONTEXT_ENCODER.dim), "card_cashback", 0.05, 1);
    const snapshot = encodeSnapshot(bandit.snapshot(), 1);
    const store = new RedisSnapshotStore(connectRedis(testRedisUrl()), { keyPrefix: app.prefix });
    try {
      await store.publish(snapshot);
    } finally {
      await store.close();
    }
    const deadline = Date.now() + 3_000;
    let ready = await getJson(`${app.url}/readyz`);
    while (ready.body.checks.bandit.snapshotVersion !== snapshot.version && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      ready = await getJson(`${app.url}/readyz`);
    }
    expect(ready.status).toBe(200);
    expect(ready.body.checks.bandit).toEqual({ ok: true, snapshotVersion: snapshot.version });
    const decision = await postJson(`${app.url}/v1/decisions`, {
      customerId: "c-readyz",
      journey: "cross_sell",
      step: "browse",
      channel: "web",
    });
    expect(decision.body.banditSnapshotVersion).toBe(snapshot.version);
    // And /metrics, for a dashboard: one info series, the version serving.
    const metrics = (await getJson(`${app.url}/metrics`)).body as string;
    const series = metrics.split("\n").filter((l) => l.startsWith("nba_bandit_snapshot_info{"));
    expect(series).toEqual([`nba_bandit_snapshot_info{version="${snapshot.version}"} 1`]);
  });
});
