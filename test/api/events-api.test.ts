import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BATCH_EVENTS } from "../../src/features/ingest-service.js";
import { uniqueCustomer } from "../support/event-factory.js";
import { getJson, postJson, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ env: { BODY_LIMIT_BYTES: "300000" } });
});
afterAll(() => app.close());

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

describe("POST /v1/events", () => {
  it("keeps every good event of a mixed batch and names the field and reason of each bad one", async () => {
    const id = uniqueCustomer();
    const good = (n: number, extra: object = {}) => ({
      eventId: `${id}-${n}`,
      customerId: id,
      type: "login",
      channel: "app",
      timestamp: iso(n * 60_000),
      ...extra,
    });
    const events = [
      good(1),
      { customerId: id, type: "login", channel: "app", timestamp: iso(0) },
      good(2, { type: "teleport" }),
      good(3, { type: "transaction" }),
      good(4, { timestamp: iso(91 * 86_400_000) }),
      good(5, { timestamp: new Date(Date.now() + 3_600_000).toISOString() }),
      good(6, { customerId: "x".repeat(10_000) }),
      good(7, { timestamp: "yesterday" }),
      "not an event",
      good(8, { type: "transaction", properties: { amount: 12.5 } }),
    ];
    const res = await postJson(`${app.url}/v1/events`, { events });
    expect(res.status).toBe(200);
    expect(res.body.received).toBe(10);
    expect(res.body.accepted).toBe(2);
    expect(res.body.duplicates).toBe(0);
    const byIndex = Object.fromEntries(
      res.body.rejected.map((r: { index: number; field: string; reason: string }) => [r.index, r]),
    );
    expect(Object.keys(byIndex).map(Number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(byIndex[1].field).toBe("eventId");
    expect(byIndex[2].field).toBe("type");
    expect(byIndex[3]).toMatchObject({
      field: "properties.amount",
      reason: "is required for transaction events",
    });
    expect(byIndex[4]).toMatchObject({
      field: "timestamp",
      reason: expect.stringContaining("older than the 90-day"),
    });
    expect(byIndex[5]).toMatchObject({
      field: "timestamp",
      reason: expect.stringContaining("in the future"),
    });
    expect(byIndex[6]).toMatchObject({ field: "customerId", reason: "must be at most 128 characters" });
    expect(byIndex[7]).toMatchObject({
      field: "timestamp",
      reason: expect.stringContaining("must be an ISO-8601 date-time with a zone"),
    });
    expect(byIndex[8].field).toBe("(event)");

    const features = await getJson(`${app.url}/v1/customers/${id}/features`);
    expect(features.body.known).toBe(true);
    expect(features.body.features.logins_24h).toBe(1);
    expect(features.body.features.transaction_amount_30d).toBe(12.5);
  });

  it("says that a missing field is missing, and what a property value may be", async () => {
    const id = uniqueCustomer();
    const res = await postJson(`${app.url}/v1/events`, {
      events: [
        { customerId: id, timestamp: Date.now() },
        {
          eventId: "p1",
          customerId: id,
          type: "login",
          channel: "app",
          timestamp: Date.now(),
          properties: { basket: { total: 3 }, note: null, ok: 1 },
        },
      ],
    });
    expect(res.body.rejected).toEqual([
      {
        index: 0,
        field: "eventId",
        reason: "is required",
        issues: [
          { field: "eventId", reason: "is required" },
          { field: "type", reason: expect.stringMatching(/^is required: one of page_view, .*offer_reject$/) },
          { field: "channel", reason: "is required: one of web, app, email, call_centre, branch" },
        ],
      },
      {
        index: 1,
        eventId: "p1",
        field: "properties.basket",
        reason: "must be a string, number or boolean",
        issues: [
          { field: "properties.basket", reason: "must be a string, number or boolean" },
          { field: "properties.note", reason: "must be a string, number or boolean" },
        ],
      },
    ]);
  });

  it("stores an event dated a little ahead of the server clock at the server's time", async () => {
    const id = uniqueCustomer();
    const ahead = {
      eventId: "a1",
      customerId: id,
      type: "login",
      channel: "app",
      timestamp: Date.now() + 120_000,
    };
    const res = await postJson(`${app.url}/v1/events`, { events: [ahead] });
    expect([res.body.accepted, res.body.rejected]).toEqual([1, []]);
    const features = (await getJson(`${app.url}/v1/customers/${id}/features`)).body;
    expect(Date.parse(features.lastEventAt)).toBeLessThanOrEqual(Date.parse(features.asOf));
    expect(features.features.logins_24h).toBe(1);
  });

  it("counts a retried batch once", async () => {
    const id = uniqueCustomer();
    const events = [1, 2, 3].map((n) => ({
      eventId: `r${n}`,
      customerId: id,
      type: "page_view",
      channel: "web",
      timestamp: Date.now() - n * 1000,
    }));
    const first = await postJson(`${app.url}/v1/events`, { events });
    const retry = await postJson(`${app.url}/v1/events`, { events });
    expect([first.body.accepted, first.body.duplicates]).toEqual([3, 0]);
    expect([retry.body.accepted, retry.body.duplicates]).toEqual([0, 3]);
    expect((await getJson(`${app.url}/v1/customers/${id}/features`)).body.features.page_views_1h).toBe(3);
  });

  it("refuses an oversized batch, an empty one and a wrong envelope with 400 naming the field", async () => {
    const one = { eventId: "e", customerId: "c", type: "login", channel: "web", timestamp: Date.now() };
    const big = await postJson(`${app.url}/v1/events`, {
      events: Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => one),
    });
    expect(big.status).toBe(400);
    expect(big.body.error.details).toEqual([
      { field: "events", reason: `must hold at most ${MAX_BATCH_EVENTS} events; split the batch` },
    ]);
    const empty = await postJson(`${app.url}/v1/events`, { events: [] });
    expect(empty.body.error.details[0].field).toBe("events");
    const wrong = await postJson(`${app.url}/v1/events`, { evnts: [one] });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      "events",
      "evnts",
    ]);
  });

  it("answers malformed JSON with 400, a body over the limit with 413 and a non-JSON body with 415", async () => {
    const bad = await postJson(`${app.url}/v1/events`, '{"events": [');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("malformed_json");
    const huge = await postJson(`${app.url}/v1/events`, { events: [{ eventId: "x".repeat(400_000) }] });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe("payload_too_large");
    const text = await postJson(`${app.url}/v1/events`, "hello", {
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
  });
});

describe("customers", () => {
  it("answers an unknown customer with 200, defaults and known: false", async () => {
    const res = await getJson(`${app.url}/v1/customers/${uniqueCustomer()}/features`);
    expect(res.status).toBe(200);
    expect(res.body.known).toBe(false);
    expect(res.body.lastEventAt).toBeNull();
    expect(res.body.features.logins_30d).toBe(0);
    expect(res.body.features.days_since_last_login).toBe(90);
    expect(Object.keys(res.body.features).length).toBe(app.services.plan.names.length);
  });

  it("stores a profile and lists every problem with a bad one", async () => {
    const id = uniqueCustomer();
    const put = (body: unknown) =>
      fetch(`${app.url}/v1/customers/${id}/profile`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const bad = await put({ tenureMonths: -1, segment: "vip", productsHeld: ["boat"], extra: 1 });
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as any).error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(["extra", "productsHeld.0", "segment", "tenureMonths"]);
    expect((await put({ tenureMonths: 12, segment: "student", productsHeld: ["credit_card"] })).status).toBe(
      200,
    );
    const res = await getJson(`${app.url}/v1/customers/${id}/features`);
    expect(res.body.known).toBe(true);
    expect(res.body.features.holds_credit_card).toBe(1);
    expect(res.body.profile.segment).toBe("student");
  });

  it("refuses a malformed customer id with 400 naming the parameter", async () => {
    const res = await getJson(`${app.url}/v1/customers/${encodeURIComponent("bad id!")}/features`);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe("params.id");
  });
});

describe("operations", () => {
  it("serves health, readiness and metrics, and 404 for unknown routes", async () => {
    expect((await getJson(`${app.url}/healthz`)).body).toEqual({ status: "ok", pid: process.pid });
    expect((await getJson(`${app.url}/readyz`)).body).toMatchObject({
      status: "ready",
      checks: { featureStore: { ok: true, kind: "redis" } },
    });
    const missing = await getJson(`${app.url}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe("No route for GET /v1/nothing");
    const metrics = await getJson(`${app.url}/metrics`);
    expect(metrics.body).toMatch(
      /nba_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/,
    );
    expect(metrics.body).toMatch(/nba_events_ingested_total\{outcome="accepted"\} [1-9]/);
    expect(metrics.body).toMatch(/nba_http_request_duration_seconds_bucket/);
  });

  it("reports not ready when Redis does not answer", async () => {
    const down = await startTestApp({ env: { REDIS_URL: "redis://127.0.0.1:1" }, start: false });
    const res = await getJson(`${down.url}/readyz`);
    expect(res.status).toBe(503);
    expect(res.body.checks.featureStore.ok).toBe(false);
    const ingest = await postJson(`${down.url}/v1/events`, {
      events: [{ eventId: "a", customerId: "b", type: "login", channel: "web", timestamp: Date.now() }],
    });
    expect(ingest.status).toBe(503);
    const features = await getJson(`${down.url}/v1/customers/b/features`);
    expect([features.status, features.body.error.code]).toEqual([503, "store_unavailable"]);
    await down.close();
  });
});
