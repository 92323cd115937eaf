import { randomUUID } from "node:crypto";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ServiceUnavailableError } from "../../src/errors/http-errors.js";
import { PolicyVersionNotFoundError } from "../../src/errors/policy-version-not-found-error.js";
import { ValidationError } from "../../src/errors/validation-error.js";
import { loadPolicy } from "../../src/policy/load-policy.js";
import { MemoryPolicyStore } from "../../src/policy/memory-policy-store.js";
import { PolicyService } from "../../src/policy/policy-service.js";
import { RedisPolicyStore } from "../../src/policy/redis-policy-store.js";
import { connectRedis } from "../../src/redis/connect.js";
import { createTestRedis } from "../support/test-redis.js";
import { capturingLogger, MINIMAL_YAML, minimalPolicy, policyWithValue, waitFor } from "./policy-fixtures.js";

const silent = pino({ level: "silent" });
const shared = createTestRedis();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => shared.cleanup());

async function memoryService(logger = silent): Promise<PolicyService> {
  const service = new PolicyService(new MemoryPolicyStore(), { logger, pollIntervalMs: 50, debounceMs: 50 });
  await service.start();
  cleanups.push(() => service.close());
  return service;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nba-policy-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("policy service", () => {
  it("has no policy until one is activated, and says how to provide one", async () => {
    const service = await memoryService();
    expect(service.hasPolicy()).toBe(false);
    expect(() => service.current()).toThrow(ServiceUnavailableError);
    expect(() => service.current()).toThrow(/POLICY_FILE or PUT \/v1\/policies/);
  });

  it("activates a valid policy and serves it from memory", async () => {
    const service = await memoryService();
    const change = await service.put(minimalPolicy(), "api");
    expect(change).toMatchObject({
      version: loadPolicy(minimalPolicy()).version,
      previousVersion: undefined,
      changed: true,
      source: "api",
    });
    expect(service.current().policy.version).toBe(change.version);
    expect(service.current().policy.actionById.get("card_cashback")?.value).toBe(120);
  });

  it("refuses an invalid policy with every problem listed and keeps serving the current one", async () => {
    const service = await memoryService();
    const { version } = await service.put(minimalPolicy());
    const bad = minimalPolicy({ businessUnits: { cards: -1 }, bandit: { algorithm: "ucb" } });
    const error = await service.put(bad).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.field)).toEqual(
      expect.arrayContaining(["businessUnits.cards.weight", "bandit.algorithm", "actions[1].businessUnit"]),
    );
    expect(service.current().policy.version).toBe(version);
    expect(await service.versions()).toHaveLength(1);
  });

  it("accepts YAML text, and treats re-publishing the active content as no change", async () => {
    const service = await memoryService();
    const first = await service.put(MINIMAL_YAML, "api");
    const again = await service.put(minimalPolicy(), "api");
    expect(again).toMatchObject({ version: first.version, changed: false });
    expect(await service.versions()).toHaveLength(1);
  });

  it("rolls back to an earlier version and refuses an unknown one", async () => {
    const service = await memoryService();
    const v1 = await service.put(policyWithValue(100));
    const v2 = await service.put(policyWithValue(200));
    expect(service.current().policy.version).toBe(v2.version);
    const back = await service.rollback(v1.version);
    expect(back).toMatchObject({
      version: v1.version,
      previousVersion: v2.version,
      changed: true,
      source: "rollback",
    });
    expect(service.current()).toMatchObject({ source: "rollback" });
    expect(service.current().policy.actionById.get("card_cashback")?.value).toBe(100);
    await expect(service.rollback("0123456789ab")).rejects.toBeInstanceOf(PolicyVersionNotFoundError);
    expect(service.current().policy.version).toBe(v1.version);
  });

  it("lets another replica see an activation within a second (Redis)", async () => {
    const prefix = `${shared.prefix}:${randomUUID().slice(0, 8)}`;
    const make = async () => {
      const service = new PolicyService(
        new RedisPolicyStore(connectRedis(shared.url), { keyPrefix: prefix }),
        { logger: silent, pollIntervalMs: 200 },
      );
      await service.start();
      cleanups.push(() => service.close());
      return service;
    };
    const [a, b] = [await make(), await make()];
    const changes: string[] = [];
    b.onChange((active) => changes.push(active.policy.version));
    const put = await a.put(policyWithValue(100));
    const seen = Date.now();
    await waitFor(() => b.hasPolicy() && b.current().policy.version === put.version, 1_000);
    expect(Date.now() - seen).toBeLessThan(1_000);
    const rolledTo = (await a.put(policyWithValue(200))).version;
    await waitFor(() => b.current().policy.version === rolledTo, 1_000);
    await b.rollback(put.version);
    await waitFor(() => a.current().policy.version === put.version, 1_000);
    expect(changes).toEqual([put.version, rolledTo, put.version]);
  });

  it("re-publishes content a lagging replica still holds when another replica changed the store meanwhile", async () => {
    const store = new MemoryPolicyStore();
    const a = new PolicyService(store, { logger: silent, pollIntervalMs: 60_000 });
    const b = new PolicyService(store, { logger: silent, pollIntervalMs: 60_000 });
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    await a.start();
    const v1 = await a.put(policyWithValue(100));
    await b.start();
    expect(b.current().policy.version).toBe(v1.version);
    await a.put(policyWithValue(200)); // b does not poll again within this test
    const change = await b.put(policyWithValue(100));
    expect(change).toMatchObject({ version: v1.version, changed: true });
    expect((await store.state()).activeVersion).toBe(v1.version);
  });

  it("keeps its policy when the store's active document is one this code rejects, and logs why", async () => {
    const store = new MemoryPolicyStore();
    const { logger, lines } = capturingLogger();
    const service = new PolicyService(store, { logger, pollIntervalMs: 30 });
    await service.start();
    cleanups.push(() => service.close());
    const { version } = await service.put(minimalPolicy());
    await store.activate("badbadbadbad", { name: "Not A Slug" }, "api");
    await waitFor(() => lines.some((l) => String(l.msg).includes("stored policy badbadbadbad is invalid")));
    expect(service.current().policy.version).toBe(version);
  });
});

describe("policy service logs", () => {
  it("says a replica's first policy was loaded from the store, and later ones changed there", async () => {
    const store = new MemoryPolicyStore();
    const publisher = new PolicyService(store, { logger: silent, pollIntervalMs: 30 });
    await publisher.start();
    cleanups.push(() => publisher.close());
    await publisher.put(minimalPolicy());
    const { logger, lines } = capturingLogger();
    const replica = new PolicyService(store, { logger, pollIntervalMs: 30 });
    await replica.start();
    cleanups.push(() => replica.close());
    await waitFor(() => replica.hasPolicy());
    const messages = () => lines.map((l) => String(l.msg));
    expect(messages()).toContain("policy loaded from the store");
    expect(messages()).not.toContain("policy changed in the store; now active here");
    await publisher.put(policyWithValue(130));
    await waitFor(() => messages().includes("policy changed in the store; now active here"));
  });
});

describe("policy file hot reload", () => {
  it("applies the file, then each valid change, and keeps the current policy when an edit is invalid", async () => {
    const dir = await tempDir();
    const file = join(dir, "policy.yaml");
    await writeFile(file, MINIMAL_YAML);
    const { logger, lines } = capturingLogger();
    const service = await memoryService(logger);
    await service.watchFile(file);
    const first = service.current();
    expect(first).toMatchObject({ source: "file" });
    expect(first.policy.version).toBe(loadPolicy(MINIMAL_YAML).version);

    // An in-place write.
    await writeFile(file, MINIMAL_YAML.replace("value: 120", "value: 130"));
    await waitFor(() => service.current().policy.actionById.get("card_cashback")?.value === 130, 2_000);
    const second = service.current().policy.version;

    // An invalid edit: logged with its problems, current version stays.
    await writeFile(file, MINIMAL_YAML.replace("businessUnit: cards", "businessUnit: card"));
    const logged = await waitFor(
      () => lines.find((l) => String(l.msg).includes('actions[0].businessUnit: "card" is not')),
      2_000,
    );
    expect(logged.level).toBe(50);
    expect(String(logged.msg)).toMatch(/^policy file .*policy\.yaml is invalid \(1 problem\):/);
    expect(String(logged.msg)).toContain(`keeping version ${second}`);
    expect(service.current().policy.version).toBe(second);

    // An editor-style save: write a temporary file and rename it over the original.
    const temp = join(dir, ".policy.yaml.tmp");
    await writeFile(temp, MINIMAL_YAML.replace("value: 120", "value: 140"));
    await rename(temp, file);
    await waitFor(() => service.current().policy.actionById.get("card_cashback")?.value === 140, 2_000);
    // ...and the watch survives the replacement.
    await writeFile(file, MINIMAL_YAML.replace("value: 120", "value: 150"));
    await waitFor(() => service.current().policy.actionById.get("card_cashback")?.value === 150, 2_000);
    expect((await service.versions()).map((v) => v.source)).toEqual(["file", "file", "file", "file"]);
  });

  /**
   * A service watching a policy file on a memory store that refuses the activation of the next file
   * edit (an outage), and that edit made; resolves once the store has refused it.
   */
  async function editDuringOutage(pollIntervalMs: number): Promise<PolicyService> {
    const dir = await tempDir();
    const file = join(dir, "policy.yaml");
    await writeFile(file, MINIMAL_YAML);
    const store = new MemoryPolicyStore();
    const service = new PolicyService(store, { logger: silent, pollIntervalMs, debounceMs: 50 });
    cleanups.push(() => service.close());
    await service.start();
    await service.watchFile(file);
    // The real store, down for the next activation only.
    const activate = store.activate.bind(store);
    let down = true;
    store.activate = (...args) => {
      if (!down) return activate(...args);
      down = false;
      return Promise.reject(new Error("store unavailable"));
    };
    await writeFile(file, MINIMAL_YAML.replace("value: 120", "value: 130"));
    await waitFor(() => !down, 2_000);
    return service;
  }

  it("applies a file edit the store refused once (an outage) on a later poll, with no further edit", async () => {
    const service = await editDuringOutage(50);
    await waitFor(() => service.current().policy.actionById.get("card_cashback")?.value === 130, 2_000);
  });

  it("drops the retry of a refused file edit once another policy was activated (it must not undo it)", async () => {
    const service = await editDuringOutage(400);
    // The store is back and an admin activates another policy before the next poll retries the file.
    await service.put(policyWithValue(200));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(service.current().policy.actionById.get("card_cashback")?.value).toBe(200);
  });

  it("refuses to start on an invalid file when no policy is active", async () => {
    const dir = await tempDir();
    const file = join(dir, "policy.json");
    await writeFile(file, JSON.stringify(minimalPolicy({ journeys: {} })));
    const service = await memoryService();
    const error = await service.watchFile(file).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain("journeys must define at least one journey");
    expect(service.hasPolicy()).toBe(false);
  });

  it("does not let an unchanged file override a later API change at restart, but applies an edited one", async () => {
    const dir = await tempDir();
    const file = join(dir, "policy.yaml");
    await writeFile(file, MINIMAL_YAML);
    const store = new MemoryPolicyStore();
    const first = new PolicyService(store, { logger: silent, debounceMs: 50 });
    await first.start();
    await first.watchFile(file);
    const fromApi = await first.put(policyWithValue(999), "api");
    await first.close();

    const restarted = new PolicyService(store, { logger: silent, debounceMs: 50 });
    await restarted.start();
    cleanups.push(() => restarted.close());
    await restarted.watchFile(file);
    expect(restarted.current().policy.version).toBe(fromApi.version);

    await writeFile(file, MINIMAL_YAML.replace("value: 120", "value: 121"));
    await waitFor(() => restarted.current().policy.actionById.get("card_cashback")?.value === 121, 2_000);
    expect(restarted.current().source).toBe("file");
  });
});
