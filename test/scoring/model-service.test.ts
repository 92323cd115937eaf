import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ModelInvalidError } from "../../src/errors/model-invalid-error.js";
import { ModelRegistry } from "../../src/scoring/model-registry.js";
import { ModelService, type ModelServiceOptions } from "../../src/scoring/model-service.js";
import { ScoringMetrics } from "../../src/scoring/scoring-metrics.js";
import { fixtureMetadata, logistic, writeLogistic, writeModelVersion } from "../support/onnx-fixtures.js";

const OLD = { weights: [1, -1], bias: 0 };
const NEW = { weights: [-2, 3], bias: 0.5 };
const ROW = { x0: 0.7, x1: 0.2 };

let dir: string;
let registry: ModelRegistry;
let promRegistry: Registry;
let metrics: ScoringMetrics;
const services: ModelService[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "model-service-"));
  registry = new ModelRegistry(dir);
  promRegistry = new Registry();
  metrics = new ScoringMetrics(promRegistry);
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real registry, counting the version loads the service asks of it. */
class CountingRegistry extends ModelRegistry {
  opens = 0;
  override open(...args: Parameters<ModelRegistry["open"]>): ReturnType<ModelRegistry["open"]> {
    this.opens++;
    return super.open(...args);
  }
}

/** registry.json promoting `version` of churn, written by hand (as a deploy or another host would). */
function writeRegistry(version: string): void {
  writeFileSync(
    join(dir, "registry.json"),
    JSON.stringify({ schemaVersion: 1, models: { churn: { promoted: version, history: [] } } }),
  );
}

async function startService(
  options: Partial<ModelServiceOptions> = {},
  at: string | ModelRegistry = dir,
): Promise<ModelService> {
  const service = new ModelService(typeof at === "string" ? new ModelRegistry(at) : at, {
    logger: pino({ level: "silent" }),
    metrics,
    required: ["churn"],
    debounceMs: 20,
    pollIntervalMs: 60_000,
    releaseGraceMs: 100,
    ...options,
  });
  services.push(service);
  await service.start();
  return service;
}

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the condition");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const expected = (spec: typeof OLD) => logistic(spec, [ROW.x0, ROW.x1]);

describe("ModelService", () => {
  it("serves the promoted version of each model from start-up and reports readiness", async () => {
    const old = writeLogistic(dir, "churn", OLD).version;
    await registry.promote("churn", old);
    const notReady = await startService({ required: ["churn", "propensity"] });
    expect(notReady.ready()).toBe(false);
    expect(notReady.missing()).toEqual(["propensity"]);
    const service = await startService();
    expect(service.ready()).toBe(true);
    expect(service.versions()).toEqual({ churn: old });
    expect(service.get("propensity")).toBeUndefined();
    const p = await service.get("churn")!.predict([ROW]);
    expect(p[0]).toBeCloseTo(expected(OLD), 6);
    expect(await promRegistry.metrics()).toContain(
      `nba_model_version_info{model="churn",version="${old}"} 1`,
    );
  });

  it("swaps versions under concurrent scoring: 2,000 predictions, zero failures, old results then new", async () => {
    const old = writeLogistic(dir, "churn", OLD).version;
    const next = writeLogistic(dir, "churn", NEW).version;
    await registry.promote("churn", old);
    const service = await startService({ releaseGraceMs: 20 });
    const seen: string[][] = [[], [], [], []];
    let failures = 0;
    let total = 0;
    let afterSwap = 0;
    let promoted = false;
    let promotion: Promise<unknown> | undefined;
    // Scoring outpaces a model load, so the workers run until the swap is done and at least 2,000
    // predictions (400 of them on the new version) have completed.
    const worker = async (w: number) => {
      while (!(promoted && total >= 2_000 && afterSwap >= 400)) {
        if (w === 0 && total >= 300 && promotion === undefined) {
          promotion = service.promote("churn", next, "test").then(() => {
            promoted = true;
          });
        }
        const model = service.get("churn")!;
        try {
          const p = (await model.predict([ROW, { x0: 1, x1: 1 }]))[0]!;
          const spec = model.version === old ? OLD : NEW;
          if (Math.abs(p - expected(spec)) > 1e-6) failures++;
          seen[w]!.push(model.version);
          if (model.version === next) afterSwap++;
        } catch {
          failures++;
        }
        total++;
      }
    };
    await Promise.all([0, 1, 2, 3].map(worker));
    await promotion;
    expect(failures).toBe(0);
    const all = seen.flat();
    expect(all.length).toBeGreaterThanOrEqual(2_000);
    expect(all.filter((v) => v === old).length).toBeGreaterThan(0);
    expect(all.filter((v) => v === next).length).toBeGreaterThan(0);
    for (const versions of seen) {
      // Each worker switches once, from old to new, and never goes back.
      const firstNew = versions.indexOf(next);
      expect(versions.slice(firstNew).every((v) => v === next)).toBe(true);
    }
    expect(service.versions()).toEqual({ churn: next });
    expect(await registry.promoted("churn")).toBe(next);
  });

  it("keeps a replaced model usable by requests that hold it, then releases it after the grace period", async () => {
    const old = writeLogistic(dir, "churn", OLD).version;
    const next = writeLogistic(dir, "churn", NEW).version;
    await registry.promote("churn", old);
    const service = await startService({ releaseGraceMs: 150 });
    const held = service.get("churn")!;
    await service.promote("churn", next, "test");
    expect(service.get("churn")!.version).toBe(next);
    expect((await held.predict([ROW]))[0]).toBeCloseTo(expected(OLD), 6);
    expect(held.released).toBe(false);
    await until(() => held.released);
  });

  it("picks up a promotion made elsewhere (CLI, another replica) through the registry.json watch", async () => {
    const old = writeLogistic(dir, "churn", OLD).version;
    const next = writeLogistic(dir, "churn", NEW).version;
    await registry.promote("churn", old);
    const service = await startService();
    await registry.promote("churn", next, "cli:test");
    await until(() => service.get("churn")?.version === next);
    expect((await service.get("churn")!.predict([ROW]))[0]).toBeCloseTo(expected(NEW), 6);
    // The watch survives the rename-writes: a rollback, again through another writer, also arrives.
    await registry.rollback("churn", "cli:test");
    await until(() => service.get("churn")?.version === old);
  });

  it("refuses a corrupt version promoted behind its back, logs it, counts it, and keeps the old one serving", async () => {
    const old = writeLogistic(dir, "churn", OLD).version;
    await registry.promote("churn", old);
    const corrupt = writeModelVersion(dir, "churn", {
      metadata: fixtureMetadata("churn", 2),
      onnxBytes: new Uint8Array([0, 1, 2, 3, 4]),
    }).version;
    const lines: string[] = [];
    const logger = pino({ level: "error" }, { write: (line: string) => lines.push(line) });
    const service = await startService({ logger });
    // A hand edit (or a copy from elsewhere) that skipped validation.
    writeFileSync(
      join(dir, "registry.json"),
      JSON.stringify({ schemaVersion: 1, models: { churn: { promoted: corrupt, history: [] } } }),
    );
    await until(() => service.refused("churn") !== undefined);
    expect(service.get("churn")!.version).toBe(old);
    expect(service.refused("churn")!.version).toBe(corrupt);
    expect(service.refused("churn")!.message).toMatch(/model.onnx: is not a loadable ONNX model/);
    expect((await service.get("churn")!.predict([ROW]))[0]).toBeCloseTo(expected(OLD), 6);
    expect(lines.join("")).toContain(`model churn/${corrupt} refused; version ${old} keeps serving`);
    expect(await promRegistry.metrics()).toContain(
      'nba_model_loads_total{model="churn",outcome="refused"} 1',
    );
    // An explicit reload retries it (and refuses it again); the report says why.
    const report = await service.reload();
    expect(report.refused).toEqual([{ name: "churn", version: corrupt, message: expect.any(String) }]);
  });

  it("refuses an invalid promotion through the service without touching what serves", async () => {
    const old = writeLogistic(dir, "churn", OLD).version;
    await registry.promote("churn", old);
    const wide = writeModelVersion(dir, "churn", {
      metadata: fixtureMetadata("churn", 3),
      onnxBytes: (await import("../support/onnx-fixtures.js")).logisticOnnx({ weights: [1, 2], bias: 0 }),
    }).version;
    const service = await startService();
    await expect(service.promote("churn", wide, "test")).rejects.toBeInstanceOf(ModelInvalidError);
    expect(service.versions()).toEqual({ churn: old });
    expect(await registry.promoted("churn")).toBe(old);
  });

  it("starts without a models folder (not ready) and loads models once they appear, by the slow poll", async () => {
    const later = join(dir, "later");
    const service = await startService({ pollIntervalMs: 100 }, later);
    expect(service.ready()).toBe(false);
    mkdirSync(later);
    const laterRegistry = new ModelRegistry(later);
    const version = writeLogistic(later, "churn", OLD).version;
    await laterRegistry.promote("churn", version);
    await until(() => service.ready());
    expect(service.versions()).toEqual({ churn: version });
  });

  it("retries on every poll a promoted version whose folder does not exist yet, reporting it once", async () => {
    // registry.json arrives before the version folder (a deploy that syncs files in any order).
    const elsewhere = mkdtempSync(join(tmpdir(), "model-service-src-"));
    const version = writeLogistic(elsewhere, "churn", OLD).version;
    writeRegistry(version);
    const lines: string[] = [];
    const logger = pino({ level: "error" }, { write: (line: string) => lines.push(line) });
    const counting = new CountingRegistry(dir);
    const service = await startService({ logger, pollIntervalMs: 30 }, counting);
    expect(service.ready()).toBe(false);
    expect(service.refused("churn")?.message).toMatch(/No model version churn\//);
    await until(() => counting.opens >= 4);
    expect(lines.filter((l) => l.includes("refused"))).toHaveLength(1);
    expect(await promRegistry.metrics()).toContain(
      'nba_model_loads_total{model="churn",outcome="refused"} 1',
    );

    mkdirSync(join(dir, "churn"));
    renameSync(join(elsewhere, "churn", version), join(dir, "churn", version));
    rmSync(elsewhere, { recursive: true, force: true });
    await until(() => service.ready());
    expect(service.versions()).toEqual({ churn: version });
    expect(service.refused("churn")).toBeUndefined();
  });

  it("retries on every poll a version with a file it cannot read, and serves it once readable", async () => {
    const version = writeLogistic(dir, "churn", OLD).version;
    const metadata = join(dir, "churn", version, "metadata.json");
    const text = readFileSync(metadata, "utf8");
    rmSync(metadata);
    mkdirSync(metadata); // EISDIR: as EACCES, EIO or EMFILE would, it says nothing about the model
    writeRegistry(version);
    const counting = new CountingRegistry(dir);
    const service = await startService({ pollIntervalMs: 30 }, counting);
    expect(service.refused("churn")?.message).toMatch(/cannot be read \(EISDIR/);
    await until(() => counting.opens >= 4); // retried though the folder did not change
    rmSync(metadata, { recursive: true });
    writeFileSync(metadata, text);
    await until(() => service.ready());
  });

  it("does not reload an invalid version while its folder is unchanged, but once it changes", async () => {
    // A version folder copied file by file (cp -r): metadata.json is there, model.onnx not yet.
    const version = writeLogistic(dir, "churn", OLD).version;
    const onnx = join(dir, "churn", version, "model.onnx");
    const bytes = readFileSync(onnx);
    rmSync(onnx);
    writeRegistry(version);
    const counting = new CountingRegistry(dir);
    const service = await startService({ pollIntervalMs: 30 }, counting);
    expect(service.refused("churn")?.message).toMatch(/model.onnx: is missing/);
    await new Promise((r) => setTimeout(r, 300)); // ten polls
    expect(counting.opens).toBe(1);
    writeFileSync(onnx, bytes);
    await until(() => service.ready());
    expect(counting.opens).toBe(2);
  });

  it("keeps serving when registry.json becomes unreadable, and reports it on reload", async () => {
    const old = writeLogistic(dir, "churn", OLD).version;
    await registry.promote("churn", old);
    const service = await startService();
    writeFileSync(join(dir, "registry.json"), "{ not json");
    const report = await service.reload();
    expect(report.registryError).toMatch(/registry.json: not valid JSON/);
    expect(service.versions()).toEqual({ churn: old });
  });

  it("releases every session on close", async () => {
    const old = writeLogistic(dir, "churn", OLD).version;
    await registry.promote("churn", old);
    const service = await startService();
    const model = service.get("churn")!;
    await service.close();
    expect(model.released).toBe(true);
    expect(service.get("churn")).toBeUndefined();
  });
});
