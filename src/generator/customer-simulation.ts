/**
 * One customer's journey, simulated a day at a time: latent dynamics (satisfaction, engagement,
 * in-market episodes, service problems), the churn draw, then the day's events in time order so
 * every offer decision sees exactly the behaviour that preceded it.
 */
import type { CustomerProfile } from "../features/profile-schema.js";
import { DAY_MS } from "../features/windows.js";
import type { Random } from "../random/seeded-random.js";
import { ACTION_CATALOGUE, ACTION_INDEX, type ActionId, getAction, isEligible } from "./action-catalogue.js";
import {
  type CustomerTraits,
  drawProfile,
  drawTraits,
  type LatentCustomer,
  PRODUCT_UNITS,
  round6,
} from "./customer-traits.js";
import { type DayContext, type Occurrence, PRODUCT_PAGES, scheduleDay } from "./daily-activity.js";
import {
  acceptanceProbability,
  churnHazard,
  churnProbability,
  type ObservedBehaviour,
} from "./ground-truth.js";
import { chooseLoggedAction } from "./logging-policy.js";
import { COUNTER, type Counter, RecentActivity, type WindowCounts } from "./recent-activity.js";
import type { CustomerTruth, EventProperties, GeneratedEvent, OfferRecord } from "./records.js";
import { bernoulli, clamp, geometric, sigmoid } from "./sampling.js";

/** The simulated window: events fall in [start, end); the churn label looks at (labelTime, end]. */
export interface Timeline {
  readonly start: number;
  readonly end: number;
  readonly labelTime: number;
}

/** Chance per day of starting to shop for a unit, per unit of latent interest. */
const IN_MARKET_RATE = [0.01, 0.007, 0.0035, 0.008];
const byTime = (a: Occurrence, b: Occurrence): number => a.ts - b.ts;
const VIEW_COUNTERS: readonly Counter[] = [
  COUNTER.cardViews,
  COUNTER.loanViews,
  COUNTER.mortgageViews,
  COUNTER.savingsViews,
];

export class CustomerSimulation {
  readonly traits: CustomerTraits;
  readonly profile: CustomerProfile;
  churnedAt: number | null = null;
  private readonly state: LatentCustomer;
  private readonly activity = new RecentActivity();
  /** In-market episodes per unit as [from, to) day numbers; only `marketMask` is read on ordinary days. */
  private readonly marketFrom = new Int32Array(PRODUCT_UNITS.length);
  private readonly marketTo = new Int32Array(PRODUCT_UNITS.length);
  private marketMask = 0;
  private nextMarketChange = 0;
  /** Days until the next service problem. */
  private problemWait: number;
  private readonly problemRate: number;
  private readonly engagementStep: number;
  /** Churn happens when the accumulated hazard −Σ ln(1 − h) passes an Exp(1) draw: one draw, not one a day. */
  private readonly churnThreshold: number;
  private cumulativeHazard = 0;
  private readonly pending = { calls: 0, complaints: 0 };
  private readonly churnInputs: ObservedBehaviour;
  private readonly eligible: readonly ActionId[];
  private acceptedMask = 0;
  private seq = 0;
  private label: {
    traits: LatentCustomer;
    observed: ObservedBehaviour;
    hazard: number;
    probability: number;
  } | null = null;

  constructor(
    readonly customerId: string,
    private readonly rng: Random,
    private readonly timeline: Timeline,
  ) {
    this.traits = drawTraits(rng);
    this.profile = drawProfile(rng, this.traits);
    this.state = { ...this.traits, satisfaction: this.traits.baselineSatisfaction, engagement: 1 };
    this.eligible = ACTION_CATALOGUE.filter((a) => isEligible(a, this.profile.productsHeld)).map((a) => a.id);
    this.engagementStep = Math.exp(this.traits.engagementDrift);
    this.churnThreshold = -Math.log(1 - rng.next());
    for (let i = 0; i < PRODUCT_UNITS.length; i++) this.scheduleEpisode(i, 0);
    this.updateMarkets(0);
    this.problemRate = 0.004 * (1.6 - this.traits.baselineSatisfaction);
    this.problemWait = geometric(rng, this.problemRate);
    this.churnInputs = {
      ...this.activity.observe(timeline.start, this.profile),
      tenureMonths: this.profile.tenureMonths,
      productsHeld: this.profile.productsHeld,
    };
  }

  /**
   * Next in-market episode for unit `i` starting the search at day `after`: the entry chance per day is
   * constant, so the wait is geometric and one draw replaces one per day.
   */
  private scheduleEpisode(i: number, after: number): void {
    const from =
      after + geometric(this.rng, IN_MARKET_RATE[i]! * 2 * this.traits.interests[PRODUCT_UNITS[i]!]);
    this.marketFrom[i] = Math.min(from, 1e9);
    this.marketTo[i] = Math.min(from + 5 + Math.min(geometric(this.rng, 1 / 12), 60), 1e9);
  }

  private updateMarkets(day: number): void {
    let mask = 0;
    let next = Number.POSITIVE_INFINITY;
    for (let i = 0; i < PRODUCT_UNITS.length; i++) {
      if (day >= this.marketTo[i]!) this.scheduleEpisode(i, this.marketTo[i]!);
      if (day >= this.marketFrom[i]!) mask |= 1 << i;
      next = Math.min(next, day < this.marketFrom[i]! ? this.marketFrom[i]! : this.marketTo[i]!);
    }
    this.marketMask = mask;
    this.nextMarketChange = next;
  }

  /**
   * Simulates [dayStart, dayStart + 1 day) ∩ [start, end), appending its events and offers.
   * `weekday` is the UTC weekday of `dayStart` (0 = Sunday), computed once per day by the caller.
   */
  simulateDay(
    dayStart: number,
    weekday: number,
    scratch: Occurrence[],
    events: GeneratedEvent[],
    offers: OfferRecord[],
  ): void {
    if (this.churnedAt !== null) return;
    const { rng, state, traits } = this;
    const dayEnd = Math.min(dayStart + DAY_MS, this.timeline.end);

    // Churn first, from the state at the start of the day. From the label time on the hazard is frozen,
    // so the churn probability written for the label window is exact rather than estimated.
    if (this.label === null && dayStart >= this.timeline.labelTime) this.snapshotLabel(dayStart);
    const hazard = this.label?.hazard ?? churnHazard(state, this.updateChurnInputs(dayStart - 1));
    this.cumulativeHazard -= Math.log1p(-hazard);
    if (this.cumulativeHazard >= this.churnThreshold) {
      this.churnedAt = dayStart + 1 + Math.floor(rng.next() * (dayEnd - dayStart - 1));
    }

    state.engagement = clamp(state.engagement * this.engagementStep, 0.02, 5);
    state.satisfaction += 0.04 * (traits.baselineSatisfaction - state.satisfaction);
    const day = Math.round((dayStart - this.timeline.start) / DAY_MS);
    if (day >= this.nextMarketChange) this.updateMarkets(day);
    // A service problem (failed payment, card blocked...) costs satisfaction and brings calls, maybe a complaint.
    if (this.problemWait-- <= 0) {
      this.problemWait = geometric(rng, this.problemRate);
      state.satisfaction = Math.max(0, state.satisfaction - 0.1 - 0.1 * rng.next());
      this.pending.calls += 1 + (bernoulli(rng, 0.4) ? 1 : 0);
      const complainOdds = -1.2 + 3 * (0.55 - state.satisfaction) + (2 * traits.priceSensitivity - 1);
      if (bernoulli(rng, sigmoid(complainOdds))) this.pending.complaints++;
    }

    scratch.length = 0;
    const ctx: DayContext = {
      rng,
      customer: state,
      inMarket: this.marketMask,
      pending: this.pending,
      dayStart,
      dayLength: dayEnd - dayStart,
      weekend: weekday === 0 || weekday === 6,
      weekday,
    };
    scheduleDay(ctx, scratch);
    if (scratch.length === 0) return;
    if (scratch.length > 1) scratch.sort(byTime);
    const limit = Math.min(dayEnd, this.churnedAt ?? dayEnd);
    for (const o of scratch) {
      if (o.ts >= limit) break;
      if (o.type === "offer_impression") {
        this.showOffer(o, limit, events, offers);
        continue;
      }
      const properties: EventProperties = {};
      if (o.type === "product_view") {
        properties.businessUnit = PRODUCT_UNITS[o.unit]!;
        const pages = PRODUCT_PAGES[o.unit]!;
        properties.productId = pages[rng.int(pages.length)]!;
        this.activity.add(VIEW_COUNTERS[o.unit]!, o.ts);
      } else if (o.type === "transaction") {
        properties.amount = o.amount;
        this.activity.add(COUNTER.transactions, o.ts);
      } else if (o.type === "login") {
        this.activity.add(COUNTER.logins, o.ts);
        if (o.channel === "app") this.activity.add(COUNTER.appLogins, o.ts);
      } else if (o.type === "email_open") {
        this.activity.add(COUNTER.emailOpens, o.ts);
      } else if (o.type === "service_call") {
        this.activity.add(COUNTER.serviceCalls, o.ts);
        state.satisfaction = Math.max(0, state.satisfaction - 0.02);
      } else if (o.type === "complaint") {
        this.activity.add(COUNTER.complaints, o.ts);
        state.satisfaction = Math.max(0, state.satisfaction - 0.08);
      }
      events.push(this.event(o.type, o.channel, o.ts, properties));
    }
  }

  private showOffer(o: Occurrence, limit: number, events: GeneratedEvent[], offers: OfferRecord[]): void {
    const { rng, state } = this;
    const candidates = this.eligible.filter((id) => (this.acceptedMask & (1 << ACTION_INDEX[id])) === 0);
    if (candidates.length === 0) return;
    const observed = this.activity.observe(o.ts, this.profile);
    const { actionId, propensity } = chooseLoggedAction(rng, candidates, o.channel, observed);
    const action = getAction(actionId);
    const acceptProbability = acceptanceProbability(state, observed, actionId, { channel: o.channel });
    const accepted = rng.next() < acceptProbability;
    const properties = (): EventProperties => ({ businessUnit: action.businessUnit, actionId });
    const impression = this.event("offer_impression", o.channel, o.ts, properties());
    events.push(impression);
    this.activity.add(COUNTER.offerImpressions, o.ts);
    offers.push({
      customerId: this.customerId,
      eventId: impression.eventId,
      actionId,
      businessUnit: action.businessUnit,
      channel: o.channel,
      timestamp: o.ts,
      propensity,
      acceptProbability,
      accepted,
    });

    // Emails are answered hours later, screens and people within minutes; never past the day or churn.
    const typical = o.channel === "email" ? 2 * 3_600_000 : 60_000;
    const delay = Math.min(1_000 + -Math.log(1 - rng.next()) * typical, (limit - o.ts - 1) / 2);
    const respondAt = o.ts + Math.max(1, Math.floor(delay));
    if (accepted) {
      this.acceptedMask |= 1 << ACTION_INDEX[actionId];
      if (action.kind === "retention") state.satisfaction = Math.min(1, state.satisfaction + 0.2);
      else if (action.kind === "service") state.satisfaction = Math.min(1, state.satisfaction + 0.05);
      if (o.channel === "email") events.push(this.event("email_click", "email", respondAt, {}));
      events.push(this.event("offer_accept", o.channel, respondAt, properties()));
    } else if (bernoulli(rng, 0.35)) {
      events.push(this.event("offer_reject", o.channel, respondAt, properties()));
    }
  }

  private event(
    type: GeneratedEvent["type"],
    channel: GeneratedEvent["channel"],
    timestamp: number,
    properties: EventProperties,
  ): GeneratedEvent {
    const n = this.seq++;
    return {
      eventId: `${this.customerId}-${String(n).padStart(5, "0")}`,
      customerId: this.customerId,
      type,
      channel,
      timestamp,
      properties,
    };
  }

  private updateChurnInputs(asOf: number): ObservedBehaviour {
    this.activity.refresh(asOf, this.churnInputs as WindowCounts);
    return this.churnInputs;
  }

  /** The latent state as written to customers.jsonl (rounded like the static traits). */
  private latentSnapshot(): LatentCustomer {
    return {
      ...this.state,
      satisfaction: round6(this.state.satisfaction),
      engagement: round6(this.state.engagement),
    };
  }

  private snapshotLabel(asOf: number): void {
    const traits = this.latentSnapshot();
    // Windows end with the day before: what a feature store answers just before the label time.
    const observed = this.activity.observe(asOf - 1, this.profile);
    const horizonDays = Math.round((this.timeline.end - this.timeline.labelTime) / DAY_MS);
    const hazard = churnHazard(traits, observed);
    this.label = { traits, observed, hazard, probability: churnProbability(traits, observed, horizonDays) };
  }

  /** Ground truth, once the whole window has been simulated. */
  truth(): CustomerTruth {
    const { labelTime, end } = this.timeline;
    const churnedAt = this.churnedAt;
    return {
      customerId: this.customerId,
      traits: this.label?.traits ?? this.latentSnapshot(),
      labelTime,
      activeAtLabelTime: this.label !== null,
      observedAtLabelTime: this.label?.observed ?? null,
      churnProbability: this.label?.probability ?? null,
      churned: churnedAt !== null,
      churnedAt,
      churnedInLabelWindow: churnedAt !== null && churnedAt > labelTime && churnedAt <= end,
    };
  }
}
