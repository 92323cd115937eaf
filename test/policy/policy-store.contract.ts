/**
 * The contract every PolicyStore passes (run by memory-policy-store.test.ts and
 * redis-policy-store.test.ts). Each test makes its own empty store.
 */
import { describe, expect, it } from "vitest";
import { PolicyVersionNotFoundError } from "../../src/errors/policy-version-not-found-error.js";
import type { PolicyStore } from "../../src/policy/policy-store.js";

export type PolicyStoreFactory = (now: () => number) => Promise<PolicyStore>;

function clock(start = Date.UTC(2026, 0, 1)) {
  const c = { t: start, now: () => c.t, tick: (ms = 1_000) => (c.t += ms) };
  return c;
}

const doc = (n: number) => ({
  name: `policy_${n}`,
  actions: [{ id: "a", value: n }],
  nested: { list: [1, 2, n] },
});

export function runPolicyStoreContract(name: string, makeStore: PolicyStoreFactory): void {
  describe(`${name} policy store contract`, () => {
    it("starts empty", async () => {
      const store = await makeStore(clock().now);
      expect(await store.state()).toEqual({ revision: 0, activeVersion: undefined });
      expect(await store.versions()).toEqual([]);
      expect(await store.history()).toEqual([]);
      expect(await store.get("aaaaaaaaaaaa")).toBeUndefined();
      await store.close();
    });

    it("activates a version: keeps its document, makes it active, records when and from where", async () => {
      const c = clock();
      const store = await makeStore(c.now);
      const outcome = await store.activate("v1aaaaaaaaaa", doc(1), "file");
      expect(outcome).toEqual({
        revision: 1,
        activation: { version: "v1aaaaaaaaaa", activatedAt: c.t, source: "file" },
      });
      expect(await store.state()).toEqual({ revision: 1, activeVersion: "v1aaaaaaaaaa" });
      expect(await store.get("v1aaaaaaaaaa")).toEqual({
        version: "v1aaaaaaaaaa",
        activatedAt: c.t,
        source: "file",
        active: true,
        document: doc(1),
      });
      await store.close();
    });

    it("lists versions newest first by their latest activation, and keeps the full history", async () => {
      const c = clock();
      const store = await makeStore(c.now);
      await store.activate("v1", doc(1), "file");
      c.tick();
      await store.activate("v2", doc(2), "api");
      c.tick();
      await store.activate("v3", doc(3), "api");
      c.tick();
      await store.rollback("v1");
      expect((await store.versions()).map((v) => [v.version, v.source, v.active])).toEqual([
        ["v1", "rollback", true],
        ["v3", "api", false],
        ["v2", "api", false],
      ]);
      expect((await store.history()).map((a) => `${a.version}:${a.source}`)).toEqual([
        "v1:rollback",
        "v3:api",
        "v2:api",
        "v1:file",
      ]);
      expect(await store.state()).toEqual({ revision: 4, activeVersion: "v1" });
      const v1 = await store.get("v1");
      expect(v1).toMatchObject({ activatedAt: c.t, source: "rollback", active: true, document: doc(1) });
      expect(await store.get("v3")).toMatchObject({ active: false, document: doc(3) });
      await store.close();
    });

    it("keeps the first document stored under a version (versions are content hashes)", async () => {
      const store = await makeStore(clock().now);
      await store.activate("same", doc(1), "file");
      await store.activate("other", doc(2), "api");
      await store.activate("same", doc(99), "api");
      expect((await store.get("same"))?.document).toEqual(doc(1));
      expect((await store.state()).activeVersion).toBe("same");
      await store.close();
    });

    it("refuses to roll back to a version it never held, changing nothing", async () => {
      const store = await makeStore(clock().now);
      await store.activate("v1", doc(1), "file");
      await expect(store.rollback("nope")).rejects.toBeInstanceOf(PolicyVersionNotFoundError);
      await expect(store.rollback("nope")).rejects.toThrow('Policy version "nope" is unknown');
      expect(await store.state()).toEqual({ revision: 1, activeVersion: "v1" });
      expect(await store.history()).toHaveLength(1);
      await store.close();
    });

    it("never loses an activation under concurrency, and the active version is the last one recorded", async () => {
      const store = await makeStore(clock().now);
      const outcomes = await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.activate(`v${i}`, doc(i), "api")),
      );
      expect(outcomes.map((o) => o.revision).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
      const state = await store.state();
      const history = await store.history();
      expect(state.revision).toBe(25);
      expect(history).toHaveLength(25);
      expect(state.activeVersion).toBe(history[0]!.version);
      expect(await store.versions()).toHaveLength(25);
      await store.close();
    });

    it("hands out copies: changing a returned document does not change the stored one", async () => {
      const store = await makeStore(clock().now);
      const original = doc(1);
      await store.activate("v1", original, "api");
      original.nested.list.push(42);
      const first = await store.get("v1");
      (first!.document as ReturnType<typeof doc>).nested.list.push(7);
      expect((await store.get("v1"))?.document).toEqual(doc(1));
      await store.close();
    });
  });
}
