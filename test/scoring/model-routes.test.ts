import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorMiddleware, notFoundHandler } from "../../src/api/middleware/error-middleware.js";
import { modelRoutes } from "../../src/api/routes/model-routes.js";
import { listen, type RunningServer } from "../../src/http-server.js";
import { ModelRegistry } from "../../src/scoring/model-registry.js";
import { ModelService } from "../../src/scoring/model-service.js";
import { fixtureMetadata, logisticOnnx, writeLogistic, writeModelVersion } from "../support/onnx-fixtures.js";

const TOKEN = "test-admin-token-0123456789";
const silent = pino({ level: "silent" });
const admin = { authorization: `Bearer ${TOKEN}` };

const dir = mkdtempSync(join(tmpdir(), "model-routes-"));
let server: RunningServer;
let service: ModelService;
let a: string;
let b: string;
let bad: string;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  a = writeLogistic(dir, "churn", { weights: [1, 2], bias: 0 }, "2025-01-01T00:00:00.000Z").version;
  b = writeLogistic(dir, "churn", { weights: [2, 1], bias: 0 }, "2025-02-01T00:00:00.000Z").version;
  bad = writeModelVersion(dir, "churn", {
    metadata: fixtureMetadata("churn", 2),
    onnxBytes: logisticOnnx({ weights: [1, 2], bias: 4, output: "logit" }),
  }).version;
  const registry = new ModelRegistry(dir);
  await registry.promote("churn", a, "setup");
  service = new ModelService(registry, { logger: silent, required: ["churn"], watch: false });
  await service.start();
  const app = express();
  app.use(express.json());
  app.use(modelRoutes({ modelService: service, config: { ADMIN_TOKEN: TOKEN } }));
  app.use(notFoundHandler());
  app.use(errorMiddleware(silent));
  server = await listen(app, 0, "127.0.0.1");
});

afterAll(async () => {
  await server.close(500);
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("model routes", () => {
  it("GET /v1/models lists versions with their metrics, the promoted and the serving version", async () => {
    const res = await call("GET", "/v1/models");
    expect(res.status).toBe(200);
    expect(res.body.ready).toBe(true);
    const [churn] = res.body.models;
    expect(churn).toMatchObject({ name: "churn", promoted: a, serving: { version: a }, refused: null });
    expect(churn.versions[0]).toMatchObject({
      version: b,
      valid: true,
      promoted: false,
      serving: false,
      kind: "logistic",
      createdAt: "2025-02-01T00:00:00.000Z",
      metrics: { roc_auc: 0.75, brier: 0.18 },
    });
    expect(churn.versions.find((v: any) => v.version === a)).toMatchObject({ promoted: true, serving: true });
  });

  it("needs the admin token to promote or roll back", async () => {
    expect((await call("POST", "/v1/models/churn/promote", { version: b })).status).toBe(401);
    expect((await call("POST", "/v1/models/churn/rollback")).status).toBe(401);
    expect(service.versions()).toEqual({ churn: a });
  });

  it("validates the request", async () => {
    const res = await call("POST", "/v1/models/churn/promote", { version: "latest" }, admin);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: "version", reason: "must be a model version: 12-64 lower-case hex characters" },
    ]);
    expect((await call("POST", "/v1/models/Churn!/promote", { version: b }, admin)).status).toBe(400);
    const unknown = await call("POST", "/v1/models/fraud/promote", { version: b }, admin);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("model_not_found");
  });

  it("refuses an invalid version with 422 naming the file, and keeps serving", async () => {
    const res = await call("POST", "/v1/models/churn/promote", { version: bad }, admin);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("model_invalid");
    expect(res.body.error.details[0].file).toBe(join(dir, "churn", bad, "model.onnx"));
    expect(service.versions()).toEqual({ churn: a });
  });

  it("promotes and swaps, then rolls back, then answers 409 with nothing left to roll back to", async () => {
    const promoted = await call("POST", "/v1/models/churn/promote", { version: b }, admin);
    expect(promoted).toMatchObject({
      status: 200,
      body: { name: "churn", version: b, previous: a, changed: true, action: "promote", serving: b },
    });
    expect(service.versions()).toEqual({ churn: b });
    const rolled = await call("POST", "/v1/models/churn/rollback", undefined, admin);
    expect(rolled.body).toMatchObject({ version: a, previous: b, action: "rollback", serving: a });
    const none = await call("POST", "/v1/models/churn/rollback", undefined, admin);
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe("no_previous_version");
  });
});
