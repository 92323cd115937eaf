/**
 * Encodes what is known at decision time into the bandit's shared context vector (dimension 48 with
 * the default layout): [known-customer flag, scaled customer features, channel one-hot, hashed
 * journey/step/request values]. Pure and deterministic; `encode` allocates nothing but its output
 * (and not even that when given one). A request with no known customer still gets channel, journey,
 * step and its own context values.
 */
import type { ContextValue } from "../decisioning/decision-record.js";
import { FEATURE_PLAN } from "../features/feature-plan.js";
import { hashString } from "../random/seeded-random.js";
import { type ContextLayout, DEFAULT_CONTEXT_LAYOUT, type FeatureSlot } from "./context-layout.js";

export interface BanditContextInput {
  /** Feature vector in the plan's name order (`FEATURE_PLAN.names`); null/undefined: customer unknown. */
  readonly features?: ArrayLike<number> | null;
  /** The request's own context values: numbers are squashed, strings and booleans hashed. */
  readonly context?: Readonly<Record<string, ContextValue>>;
  readonly journey: string;
  readonly step: string;
  readonly channel: string;
}

export interface ContextEncoder {
  /** Length of every vector `encode` returns. */
  readonly dim: number;
  /** Identity of the layout and feature order; a snapshot learned under another one is refused. */
  readonly schema: string;
  /** Fills `out` (zeroed first; a new array when omitted) and returns it. */
  encode(input: BanditContextInput, out?: Float64Array): Float64Array;
}

const CLIP = 4;

function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: FNV's low bits are weak for short keys, and the bucket is h mod B. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const FNV_OFFSET = 0x811c9dc5;
/**
 * Every value is rounded to 1e-6 (|x| <= 4, so at least six significant digits): the vector is logged
 * with every decision and kept in its Redis hash for the reward window, and JSON writes a full double
 * as up to 19 characters where a rounded one takes 8 or fewer. Rounding before the bandit sees it keeps
 * the logged context exactly the one the choice used.
 */
const quantize = (v: number): number => Math.round(v * 1e6) / 1e6;
const clip = (v: number): number => (v > CLIP ? CLIP : v < -CLIP ? -CLIP : v);
/** sign(x)·log1p(|x|): keeps order and sign, and 1e9 becomes 20.7. */
export const squash = (v: number): number => (v < 0 ? -Math.log1p(-v) : Math.log1p(v));

interface CompiledSlot {
  readonly slot: FeatureSlot;
  readonly index: number;
}

function slotValue(slot: FeatureSlot, x: number): number {
  switch (slot.kind) {
    case "log":
      return squash(x) / slot.scale;
    case "linear":
      return slot.zeroIsMissing && x === 0 ? 0 : (x - slot.center) / slot.scale;
    case "band":
      return x >= slot.from && x < slot.to ? 1 : 0;
    case "flag":
      return x <= 0 ? 0 : x >= 1 ? 1 : x;
  }
}

/** Compiles a layout against a feature order; throws when the layout names a feature the plan lacks. */
export function createContextEncoder(
  names: readonly string[] = FEATURE_PLAN.names,
  layout: ContextLayout = DEFAULT_CONTEXT_LAYOUT,
): ContextEncoder {
  const slots: CompiledSlot[] = layout.features.map((slot) => {
    const index = names.indexOf(slot.feature);
    if (index < 0) throw new Error(`bandit context layout names unknown feature ${slot.feature}`);
    return { slot, index };
  });
  if (!Number.isInteger(layout.hashBuckets) || layout.hashBuckets < 1)
    throw new Error("bandit context layout needs at least one hash bucket");
  const featureBase = 1;
  const channelBase = featureBase + slots.length;
  const hashBase = channelBase + layout.channels.length;
  const buckets = layout.hashBuckets;
  const dim = hashBase + buckets;
  const channelIndex = new Map(layout.channels.map((c, i) => [c, channelBase + i]));
  const schema = `ctx-${hashString(JSON.stringify({ names, layout })).toString(16).padStart(8, "0")}-d${dim}`;

  const addHashed = (out: Float64Array, h: number, value: number): void => {
    const m = mix(h);
    const i = hashBase + (m % buckets);
    out[i] = out[i]! + ((m & 0x80000000) !== 0 ? -value : value);
  };

  const encode = (input: BanditContextInput, out = new Float64Array(dim)): Float64Array => {
    if (out.length !== dim) throw new RangeError(`context output must have length ${dim}, got ${out.length}`);
    out.fill(0);
    const features = input.features;
    if (features) {
      out[0] = 1;
      for (let s = 0; s < slots.length; s++) {
        const { slot, index } = slots[s]!;
        const raw = index < features.length ? features[index]! : 0;
        if (Number.isFinite(raw)) out[featureBase + s] = clip(slotValue(slot, raw));
      }
    }
    const channel = channelIndex.get(input.channel);
    if (channel !== undefined) out[channel] = 1;
    else addHashed(out, fnv(fnv(FNV_OFFSET, "channel="), input.channel), 1);
    addHashed(out, fnv(fnv(FNV_OFFSET, "journey="), input.journey), 1);
    addHashed(out, fnv(fnv(fnv(fnv(FNV_OFFSET, "step="), input.journey), "/"), input.step), 1);
    const context = input.context;
    if (context) {
      for (const key in context) {
        if (!Object.hasOwn(context, key)) continue;
        const v = context[key];
        const h = fnv(fnv(FNV_OFFSET, key), "=");
        if (typeof v === "number") {
          if (Number.isFinite(v)) addHashed(out, h, Math.max(-3, Math.min(3, squash(v) / 2)));
        } else if (typeof v === "string") {
          addHashed(out, fnv(h, v), 1);
        } else if (typeof v === "boolean") {
          addHashed(out, fnv(h, v ? "true" : "false"), 1);
        }
      }
    }
    for (let i = hashBase; i < dim; i++) out[i] = clip(out[i]!);
    for (let i = 0; i < dim; i++) out[i] = quantize(out[i]!);
    return out;
  };

  return { dim, schema, encode };
}

/** The encoder for the project's own feature plan and the default layout, built once. */
export const DEFAULT_CONTEXT_ENCODER: ContextEncoder = createContextEncoder();

/** Dimension of the default shared context vector. */
export const BANDIT_CONTEXT_DIM: number = DEFAULT_CONTEXT_ENCODER.dim;
