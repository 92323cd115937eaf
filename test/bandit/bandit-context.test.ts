import { describe, expect, it } from "vitest";
import {
  BANDIT_CONTEXT_DIM,
  createContextEncoder,
  DEFAULT_CONTEXT_ENCODER,
} from "../../src/bandit/bandit-context.js";
import { DEFAULT_CONTEXT_LAYOUT } from "../../src/bandit/context-layout.js";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";

const names = FEATURE_PLAN.names;
const features = (values: Record<string, number>) => names.map((n) => values[n] ?? 0);
const base = { journey: "cross_sell", step: "browse", channel: "app" } as const;
const enc = DEFAULT_CONTEXT_ENCODER;
const slot = (feature: string) => 1 + DEFAULT_CONTEXT_LAYOUT.features.findIndex((f) => f.feature === feature);

describe("bandit context encoding", () => {
  it("has the documented dimension: 1 + 34 features + 5 channels + 8 hashed = 48", () => {
    expect(BANDIT_CONTEXT_DIM).toBe(48);
    expect(enc.encode({ ...base, features: features({}) })).toHaveLength(48);
    expect(enc.schema).toMatch(/^ctx-[0-9a-f]{8}-d48$/);
  });

  it("is deterministic and writes into a given array without leftovers", () => {
    const input = {
      ...base,
      features: features({ logins_30d: 12, age: 30 }),
      context: { device: "ios", n: 3 },
    };
    const out = new Float64Array(48).fill(9);
    expect(enc.encode(input, out)).toBe(out);
    expect([...out]).toEqual([...enc.encode(input)]);
    expect(() => enc.encode(input, new Float64Array(10))).toThrow(/length 48/);
  });

  it("scales features: log-squashed counts, centred age with life-stage bands, flags", () => {
    const x = enc.encode({ ...base, features: features({ logins_30d: 20, age: 30, holds_mortgage: 1 }) });
    expect(x[0]).toBe(1); // known customer
    expect(x[slot("logins_30d")]).toBe(1.014841); // log1p(20) / 3 = 1.0148408..., to 1e-6
    expect(x[slot("age")]).toBe((30 - 45) / 20);
    const bands = DEFAULT_CONTEXT_LAYOUT.features.flatMap((f, i) => (f.kind === "band" ? [x[1 + i]] : []));
    expect(bands).toEqual([0, 1, 0, 0]);
    expect(x[slot("holds_mortgage")]).toBe(1);
  });

  it("rounds every value to 1e-6, so a logged context is short JSON and is exactly what the bandit used", () => {
    const x = enc.encode({
      ...base,
      features: features({ logins_30d: 7, transaction_amount_90d: 1234.57, days_since_last_login: 3.3 }),
      context: { basket: 87.25, device: "ios" },
    });
    for (const v of x) {
      expect(Math.round(v * 1e6) / 1e6).toBe(v);
      expect(JSON.stringify(v).length).toBeLessThanOrEqual(9); // e.g. -1.234568
    }
    expect(x.some((v) => v !== 0 && !Number.isInteger(v))).toBe(true);
  });

  it("keeps huge values bounded (squashed, then clipped to ±4)", () => {
    const x = enc.encode({
      ...base,
      features: features({ transaction_amount_90d: 1e12, logins_30d: Number.POSITIVE_INFINITY }),
      context: { basket: 1e15, debt: -1e15 },
    });
    for (const v of x) expect(Math.abs(v)).toBeLessThanOrEqual(4);
    expect(x[slot("logins_30d")]).toBe(0); // not finite: ignored
  });

  it("gives a caller without a known customer a useful vector: channel, journey, step, context", () => {
    const a = enc.encode({ ...base, context: { device: "ios", vip: true } });
    expect(a[0]).toBe(0);
    expect(a.slice(1, 35).every((v) => v === 0)).toBe(true);
    expect(a.some((v, i) => i >= 35 && v !== 0)).toBe(true);
    const otherChannel = enc.encode({ ...base, channel: "web", context: { device: "ios", vip: true } });
    const otherDevice = enc.encode({ ...base, context: { device: "android", vip: true } });
    const notVip = enc.encode({ ...base, context: { device: "ios", vip: false } });
    const otherStep = enc.encode({ ...base, step: "product_page", context: { device: "ios", vip: true } });
    for (const other of [otherChannel, otherDevice, notVip, otherStep])
      expect([...other]).not.toEqual([...a]);
  });

  it("hashes numbers by key with a squashed value, and ignores key order", () => {
    const a = enc.encode({ ...base, context: { a: 1, b: "x" } });
    const b = enc.encode({ ...base, context: { b: "x", a: 1 } });
    expect([...a]).toEqual([...b]);
    const c = enc.encode({ ...base, context: { a: 100, b: "x" } });
    expect([...c]).not.toEqual([...a]);
  });

  it("one-hot encodes known channels and hashes unknown ones", () => {
    const known = enc.encode({ ...base, channel: "branch" });
    const unknown = enc.encode({ ...base, channel: "kiosk" });
    expect(known.slice(35, 40).reduce((s, v) => s + v, 0)).toBe(1);
    expect(unknown.slice(35, 40).reduce((s, v) => s + v, 0)).toBe(0);
  });

  it("refuses a layout naming an unknown feature, and a new layout has a new schema", () => {
    expect(() =>
      createContextEncoder(names, {
        ...DEFAULT_CONTEXT_LAYOUT,
        features: [{ kind: "flag", feature: "nope" }],
      }),
    ).toThrow(/unknown feature nope/);
    const other = createContextEncoder(names, { ...DEFAULT_CONTEXT_LAYOUT, hashBuckets: 16 });
    expect(other.dim).toBe(56);
    expect(other.schema).not.toBe(enc.schema);
  });
});
