import express from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorMiddleware, notFoundHandler } from "../../src/api/middleware/error-middleware.js";
import { policyRoutes } from "../../src/api/routes/policy-routes.js";
import { listen, type RunningServer } from "../../src/http-server.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { MemoryPolicyStore } from "../../src/policy/memory-policy-store.js";
import { PolicyService } from "../../src/policy/policy-service.js";
import { MINIMAL_YAML, minimalPolicy, policyWithValue } from "./policy-fixtures.js";

const TOKEN = "test-admin-token-0123456789";
const silent = pino({ level: "silent" });

async function startApp(adminToken: string | undefined) {
  const policyService = new PolicyService(new MemoryPolicyStore(), { logger: silent });
  await policyService.start();
  const app = express();
  app.use(express.json());
  app.use(policyRoutes({ policyService, config: { ADMIN_TOKEN: adminToken } }));
  app.use(notFoundHandler());
  app.use(errorMiddleware(silent));
  const server = await listen(app, 0, "127.0.0.1");
  return { server, policyService };
}

async function call(
  server: RunningServer,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const isText = typeof body === "string";
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": isText ? "application/yaml" : "application/json" }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: isText ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const admin = { authorization: `Bearer ${TOKEN}` };

describe("policy routes", () => {
  let app: Awaited<ReturnType<typeof startApp>>;
  let disabled: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    app = await startApp(TOKEN);
    disabled = await startApp(undefined);
  });
  afterAll(async () => {
    for (const a of [app, disabled]) {
      await a.server.close(500);
      await a.policyService.close();
    }
  });

  it("answers 401 without a token or with a wrong one, and changes nothing", async () => {
    const missing = await call(app.server, "PUT", "/v1/policies", minimalPolicy());
    expect(missing.status).toBe(401);
    expect(missing.body.error).toEqual({
      code: "unauthorized",
      message: "This admin route needs an Authorization: Bearer <ADMIN_TOKEN> header",
    });
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer /);
    const wrong = await call(app.server, "PUT", "/v1/policies", minimalPolicy(), {
      authorization: `Bearer ${TOKEN}x`,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe("The bearer token is not valid for admin routes");
    const basic = await call(
      app.server,
      "POST",
      "/v1/policies/rollback",
      { version: "0123456789ab" },
      { authorization: `Basic ${TOKEN}` },
    );
    expect(basic.status).toBe(401);
    expect((await call(app.server, "GET", "/v1/policies")).body).toEqual({ active: null, versions: [] });
  });

  it("answers 403 on admin routes when no admin token is configured, while reads still work", async () => {
    const res = await call(disabled.server, "PUT", "/v1/policies", minimalPolicy(), admin);
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({
      code: "forbidden",
      message: "Admin routes are disabled until ADMIN_TOKEN is set on the server",
    });
    expect(
      (await call(disabled.server, "POST", "/v1/policies/rollback", { version: "0123456789ab" }, admin))
        .status,
    ).toBe(403);
    expect((await call(disabled.server, "GET", "/v1/policies")).status).toBe(200);
  });

  it("answers 400 listing every field of an invalid policy", async () => {
    const bad = minimalPolicy({ businessUnits: { cards: 1 }, journeys: { cross_sell: ["browse"] } });
    const res = await call(app.server, "PUT", "/v1/policies", bad, admin);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details).toEqual([
      {
        field: "actions[1].businessUnit",
        reason: '"loans" is not a business unit of this policy (expected one of: cards)',
      },
      {
        field: "actions[1].placements[0].steps[0]",
        reason: '"product_page" is not a step of journey "cross_sell" (expected one of: browse)',
      },
      {
        field: "actions[1].placements[1].journey",
        reason: '"servicing" is not a journey of this policy (expected one of: cross_sell)',
      },
    ]);
  });

  it("publishes JSON and YAML, shows versions, and rolls back", async () => {
    const v1 = await call(app.server, "PUT", "/v1/policies", policyWithValue(100), admin);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({
      version: loadPolicy(policyWithValue(100)).version,
      changed: true,
      source: "api",
    });
    expect(Date.parse(v1.body.activatedAt)).not.toBeNaN();

    const v2 = await call(app.server, "PUT", "/v1/policies", MINIMAL_YAML, admin);
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({
      version: loadPolicy(minimalPolicy()).version,
      previousVersion: v1.body.version,
      changed: true,
    });

    const list = await call(app.server, "GET", "/v1/policies");
    expect(list.body.active).toMatchObject({ version: v2.body.version, name: "test_policy", source: "api" });
    expect(list.body.active.document.actions[0].value).toBe(120);
    expect(
      list.body.versions.map((v: { version: string; active: boolean }) => [v.version, v.active]),
    ).toEqual([
      [v2.body.version, true],
      [v1.body.version, false],
    ]);

    const one = await call(app.server, "GET", `/v1/policies/${v1.body.version}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ version: v1.body.version, active: false, source: "api" });
    expect(one.body.document.actions[0].value).toBe(100);

    const back = await call(app.server, "POST", "/v1/policies/rollback", { version: v1.body.version }, admin);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({
      version: v1.body.version,
      previousVersion: v2.body.version,
      source: "rollback",
      changed: true,
    });
    expect(app.policyService.current().policy.version).toBe(v1.body.version);
    expect((await call(app.server, "GET", "/v1/policies")).body.active.source).toBe("rollback");
  });

  it("answers 404 for an unknown version, 400 for a malformed one, and 415 for a body that is neither JSON nor YAML", async () => {
    const unknown = await call(
      app.server,
      "POST",
      "/v1/policies/rollback",
      { version: "0123456789ab" },
      admin,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("policy_version_not_found");
    expect((await call(app.server, "GET", "/v1/policies/0123456789ab")).status).toBe(404);
    const malformed = await call(app.server, "GET", "/v1/policies/latest");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details[0].field).toBe("params.version");
    const noVersion = await call(app.server, "POST", "/v1/policies/rollback", {}, admin);
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.details[0].field).toBe("version");
    const plain = await fetch(`${app.server.url}/v1/policies`, {
      method: "PUT",
      headers: { ...admin, "content-type": "text/plain" },
      body: "x",
    });
    expect(plain.status).toBe(415);
  });
});
