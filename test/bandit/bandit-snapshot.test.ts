import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeSnapshot, encodeSnapshot } from "../../src/bandit/bandit-snapshot.js";
import { BanditSnapshotError } from "../../src/bandit/bandit-snapshot-error.js";
import { createBandit } from "../../src/bandit/create-bandit.js";
import { createRandom } from "../../src/random/seeded-random.js";
import { randomContext, testConfig } from "./bandit-fixtures.js";

function trained() {
  const bandit = createBandit(testConfig({ algorithm: "thompson", posteriorScale: 0.3, draws: 256 }));
  const rng = createRandom(1);
  for (let t = 0; t < 200; t++) bandit.learn(randomContext(rng), `a${t % 3}`, 0.1, rng.next() < 0.2 ? 1 : 0);
  return bandit;
}

const mutate = (text: string, f: (json: Record<string, unknown>) => void): string => {
  const json = JSON.parse(text) as Record<string, unknown>;
  f(json);
  return JSON.stringify(json);
};

describe("bandit snapshots", () => {
  it("round-trip the state exactly, with a version of counter and content hash", () => {
    const state = trained().snapshot();
    const encoded = encodeSnapshot(state, 7, 1_700_000_000_000);
    expect(encoded.version).toMatch(/^7-[0-9a-f]{12}$/);
    const decoded = decodeSnapshot(encoded.text);
    expect(decoded.version).toBe(encoded.version);
    expect(decoded.counter).toBe(7);
    expect(decoded.createdAt).toBe(1_700_000_000_000);
    expect(decoded.state.config).toEqual(state.config);
    expect(decoded.state.arms.map((a) => a.actionId)).toEqual(["a0", "a1", "a2"]);
    decoded.state.arms.forEach((arm, i) => {
      const original = state.arms[i]!;
      expect(arm.count).toBe(original.count);
      expect([...arm.aInv]).toEqual([...original.aInv]);
      expect([...arm.b]).toEqual([...original.b]);
    });
  });

  it("records the unacknowledged reward entry ids it includes, and still reads format 1", () => {
    const state = trained().snapshot();
    const ids = ["1700000000000-0", "1700000000000-1"];
    const encoded = encodeSnapshot(state, 4, 5, ids);
    expect(decodeSnapshot(encoded.text).unacked).toEqual(ids);
    expect(decodeSnapshot(encodeSnapshot(state, 4, 5).text).unacked).toEqual([]);
    // The ids are part of the hashed content: editing them is refused.
    expect(() =>
      decodeSnapshot(
        mutate(encoded.text, (j) => {
          j.unacked = ["1700000000000-0"];
        }),
      ),
    ).toThrow(BanditSnapshotError);
    // A format-1 text (what an earlier learner wrote): hash over the four original header fields.
    const v1 = mutate(encoded.text, (j) => {
      j.formatVersion = 1;
      delete j.unacked;
      const data = Buffer.from(j.data as string, "base64");
      const header = { format: j.format, formatVersion: 1, config: j.config, arms: j.arms };
      const hash = createHash("sha256")
        .update(JSON.stringify(header))
        .update("\n")
        .update(data)
        .digest("hex");
      j.hash = hash;
      j.version = `4-${hash.slice(0, 12)}`;
    });
    const decoded = decodeSnapshot(v1);
    expect(decoded.unacked).toEqual([]);
    expect(decoded.state.arms.map((a) => a.count)).toEqual(state.arms.map((a) => a.count));
  });

  it("refuses to write what its readers would refuse (an action id longer than any policy allows)", () => {
    const bandit = trained();
    const rng = createRandom(2);
    bandit.learn(randomContext(rng), "a".repeat(201), 0.1, 1);
    expect(() => encodeSnapshot(bandit.snapshot(), 1)).toThrow(
      /^a snapshot no replica would accept: arms\.3\.actionId: Too big/,
    );
  });

  it("is compact: binary float64 in base64, about 8·4/3 bytes per number", () => {
    const state = trained().snapshot();
    const numbers = state.arms.reduce((s, a) => s + a.aInv.length + a.b.length, 0);
    expect(encodeSnapshot(state, 1).text.length).toBeLessThan(numbers * 11 + 2_000);
  });

  it("gives the same content the same hash, whatever the counter", () => {
    const state = trained().snapshot();
    const a = encodeSnapshot(state, 1, 5);
    const b = encodeSnapshot(state, 2, 5);
    expect(a.version.split("-")[1]).toBe(b.version.split("-")[1]);
  });

  const good = () => encodeSnapshot(trained().snapshot(), 3).text;
  const corruptions: Record<string, () => string> = {
    "not JSON": () => good().slice(0, 100),
    "a flipped data byte": () =>
      mutate(good(), (j) => {
        const data = Buffer.from(j.data as string, "base64");
        data[17] = data[17]! ^ 0x40;
        j.data = data.toString("base64");
      }),
    "truncated data": () =>
      mutate(good(), (j) => {
        j.data = (j.data as string).slice(0, 400);
      }),
    "an edited count": () =>
      mutate(good(), (j) => {
        (j.arms as { count: number }[])[0]!.count += 1;
      }),
    "a wrong version": () =>
      mutate(good(), (j) => {
        j.version = "3-000000000000";
      }),
    "an unknown field": () =>
      mutate(good(), (j) => {
        j.extra = 1;
      }),
    "an unknown algorithm": () =>
      mutate(good(), (j) => {
        (j.config as { exploration: { algorithm: string } }).exploration.algorithm = "ucb9";
      }),
    "another format version": () =>
      mutate(good(), (j) => {
        j.formatVersion = 3;
      }),
  };
  for (const [what, make] of Object.entries(corruptions)) {
    it(`refuses a snapshot with ${what}`, () => {
      expect(() => decodeSnapshot(make())).toThrow(BanditSnapshotError);
    });
  }

  it("refuses non-finite or non-positive-definite state even with a matching hash", () => {
    const state = trained().snapshot();
    const nan = {
      ...state,
      arms: state.arms.map((a, i) => (i === 0 ? { ...a, b: a.b.map(() => Number.NaN) } : a)),
    };
    expect(() => decodeSnapshot(encodeSnapshot(nan, 1).text)).toThrow(/not finite/);
    const negative = {
      ...state,
      arms: state.arms.map((a, i) =>
        i === 0 ? { ...a, aInv: a.aInv.map((v, j) => (j === 0 ? -1 : v)) } : a,
      ),
    };
    expect(() => decodeSnapshot(encodeSnapshot(negative, 1).text)).toThrow(/positive definite/);
  });
});
