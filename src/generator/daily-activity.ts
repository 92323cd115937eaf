/**
 * Draws what one customer does on one day (sessions, transactions, email opens, calls, branch visits)
 * as time-stamped occurrences. Rates scale with the latent traits, so activity is heavy-tailed and
 * its mix across channels reflects digital affinity; in-market episodes show up as product views.
 */
import type { Channel, EventType } from "../features/vocabulary.js";
import type { Random } from "../random/seeded-random.js";
import { ACTION_CATALOGUE } from "./action-catalogue.js";
import { type LatentCustomer, PRODUCT_UNITS } from "./customer-traits.js";
import { bernoulli, geometric, pickWeighted, poisson, shuffle } from "./sampling.js";

/** Something that happens at `ts`; an `offer_impression` is a slot where the logging policy shows an offer. */
export interface Occurrence {
  ts: number;
  type: EventType;
  channel: Channel;
  /** Index into PRODUCT_UNITS for product views, else -1. */
  unit: number;
  /** Transaction amount in EUR, else 0. */
  amount: number;
}

export interface DayContext {
  readonly rng: Random;
  readonly customer: LatentCustomer;
  /** Bit i set when the customer is shopping for PRODUCT_UNITS[i] (an in-market episode). */
  readonly inMarket: number;
  /** Service calls and complaints owed by earlier service problems; decremented as they happen. */
  readonly pending: { calls: number; complaints: number };
  readonly dayStart: number;
  /** Usually a day; shorter when the window ends mid-day. */
  readonly dayLength: number;
  readonly weekend: boolean;
  /** 0 = Sunday. */
  readonly weekday: number;
}

const HOUR = 3_600_000;
/** When people bank, by hour of the (UTC) day. */
const HOUR_WEIGHTS = [
  0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1.2, 1.8, 2, 2, 2.1, 2.4, 2.2, 2, 2, 2.1, 2.3, 2.6, 2.8, 2.6, 2, 1.4,
  0.8,
];

/** Product pages per unit: the unit's catalogue actions double as its product pages. */
export const PRODUCT_PAGES: readonly (readonly string[])[] = PRODUCT_UNITS.map((u) =>
  ACTION_CATALOGUE.filter((a) => a.businessUnit === u).map((a) => a.id),
);

const anyHour = (rng: Random): number => (pickWeighted(rng, HOUR_WEIGHTS) + rng.next()) * HOUR;
const officeHours = (rng: Random): number => (9 + 9 * rng.next()) * HOUR;

function occ(
  out: Occurrence[],
  ctx: DayContext,
  offset: number,
  type: EventType,
  channel: Channel,
  unit = -1,
  amount = 0,
): void {
  // Anything that would spill past the day is dropped: a day's events must all fall inside it.
  if (offset < ctx.dayLength)
    out.push({ ts: ctx.dayStart + Math.floor(offset), type, channel, unit, amount });
}

function productUnit(ctx: DayContext): number {
  const { rng, inMarket, customer } = ctx;
  const weights = PRODUCT_UNITS.map((u, i) =>
    (inMarket & (1 << i)) !== 0 ? 6 : 0.2 + customer.interests[u],
  );
  return pickWeighted(rng, weights);
}

function session(ctx: DayContext, out: Occurrence[]): void {
  const { rng, customer, inMarket } = ctx;
  const channel: Channel = bernoulli(rng, 0.15 + 0.75 * customer.digitalAffinity) ? "app" : "web";
  let t = anyHour(rng);
  if (channel === "app" || bernoulli(rng, 0.85)) occ(out, ctx, t, "login", channel);
  const steps: number[] = [];
  for (let k = 1 + Math.min(geometric(rng, 0.6), 20); k > 0; k--) steps.push(-1);
  for (let i = 0; i < PRODUCT_UNITS.length; i++) {
    const views = poisson(
      rng,
      (inMarket & (1 << i)) !== 0 ? 1.3 : 0.3 * customer.interests[PRODUCT_UNITS[i]!] ** 2,
    );
    for (let k = Math.min(views, 10); k > 0; k--) steps.push(i);
  }
  for (const unit of shuffle(rng, steps)) {
    t += 5_000 + -Math.log(1 - rng.next()) * 40_000;
    occ(out, ctx, t, unit < 0 ? "page_view" : "product_view", channel, unit);
  }
  if (bernoulli(rng, channel === "app" ? 0.12 : 0.09)) occ(out, ctx, t + 2_000, "offer_impression", channel);
}

/**
 * Appends the day's occurrences (unsorted) to `out`. Sessions, transactions, calls and visits are
 * independent Poisson streams, drawn as one Poisson total split by rate (the same distribution), so
 * the common idle day costs a single draw.
 */
export function scheduleDay(ctx: DayContext, out: Occurrence[]): void {
  const { rng, customer, pending, weekend } = ctx;
  const { activity, engagement, digitalAffinity: digital } = customer;
  const shopping = ctx.inMarket !== 0;

  const sessionRate =
    0.085 * activity * engagement * (0.35 + digital) * (weekend ? 0.85 : 1.05) * (shopping ? 1.5 : 1);
  const transactionRate = 0.075 * activity ** 0.7 * engagement * (weekend ? 1.1 : 1);
  const callRate = 0.005 * (1.3 - digital);
  const visitRate =
    0.015 * (1.2 - digital) * engagement * (customer.lifeStage === "retired" ? 1.6 : 1) * (weekend ? 0.5 : 1);
  const total = sessionRate + transactionRate + callRate + visitRate;
  let calls = 0;
  for (let n = poisson(rng, total); n > 0; n--) {
    const u = rng.next() * total;
    if (u < sessionRate) session(ctx, out);
    else if (u < sessionRate + transactionRate) transaction(ctx, out);
    else if (u < sessionRate + transactionRate + callRate) calls++;
    else branchVisit(ctx, out);
  }
  if (pending.calls > 0 && bernoulli(rng, 0.6)) {
    pending.calls--;
    calls++;
  }
  for (let i = 0; i < calls; i++) {
    const t = officeHours(rng);
    occ(out, ctx, t, "service_call", "call_centre");
    // Agents read out a retention or service treatment on some calls.
    if (bernoulli(rng, 0.3)) occ(out, ctx, t + 240_000, "offer_impression", "call_centre");
  }
  if (pending.complaints > 0 && bernoulli(rng, 0.5)) {
    pending.complaints--;
    occ(
      out,
      ctx,
      officeHours(rng),
      "complaint",
      COMPLAINT_CHANNELS[pickWeighted(rng, COMPLAINT_CHANNEL_WEIGHTS)]!,
    );
  }

  // Marketing emails go out on Tuesdays and Thursdays; only opens and clicks are observable.
  if (
    (ctx.weekday === 2 || ctx.weekday === 4) &&
    bernoulli(rng, 0.9 * Math.min(0.9, 0.05 + 0.4 * digital * Math.min(engagement, 1.5)))
  ) {
    const t = 8 * HOUR - Math.log(1 - rng.next()) * 3 * HOUR;
    occ(out, ctx, t, "email_open", "email");
    if (bernoulli(rng, 0.5)) occ(out, ctx, t + 10_000, "offer_impression", "email");
    // Deal-hunters click through marketing emails: clicks reveal price sensitivity.
    else if (bernoulli(rng, 0.03 + 0.3 * customer.priceSensitivity))
      occ(out, ctx, t + 20_000, "email_click", "email");
  }
}

const COMPLAINT_CHANNELS: readonly Channel[] = ["web", "app", "email", "call_centre", "branch"];
const COMPLAINT_CHANNEL_WEIGHTS = [0.15, 0.05, 0.15, 0.5, 0.15];

function transaction(ctx: DayContext, out: Occurrence[]): void {
  const { rng, customer } = ctx;
  const u = rng.next();
  const digital = customer.digitalAffinity;
  const channel: Channel = u < 0.1 + 0.7 * digital ? "app" : u < 0.25 + 0.7 * digital ? "web" : "branch";
  occ(out, ctx, anyHour(rng), "transaction", channel, -1, amount(rng, 30 * customer.wealth));
}

function branchVisit(ctx: DayContext, out: Occurrence[]): void {
  const { rng, customer } = ctx;
  const t = officeHours(rng);
  // Pay in at the counter, then talk products with an adviser, who may then pitch an offer.
  if (bernoulli(rng, 0.6)) occ(out, ctx, t, "transaction", "branch", -1, amount(rng, 80 * customer.wealth));
  if (bernoulli(rng, 0.45)) occ(out, ctx, t + 300_000, "product_view", "branch", productUnit(ctx));
  if (bernoulli(rng, 0.35)) occ(out, ctx, t + 900_000, "offer_impression", "branch");
}

/** Log-normal amount in whole cents around `median` EUR. */
function amount(rng: Random, median: number): number {
  return Math.round(median * Math.exp(rng.normal()) * 100) / 100;
}
