/**
 * The default layout of the bandit's shared context vector, as data: which customer features it keeps
 * and how each is scaled, the channels it one-hot encodes, and how many buckets the hashed part has.
 * Changing it changes `contextSchema`, and snapshots learned under another schema are refused.
 */
import { CHANNELS } from "../features/vocabulary.js";

/** How one slot is computed from one feature of the feature vector; every slot is clipped to ±4. */
export type FeatureSlot =
  /** sign(x)·log1p(|x|) / scale: counts and amounts, whose tails would otherwise dominate. */
  | { readonly kind: "log"; readonly feature: string; readonly scale: number }
  /** (x − center) / scale; with `zeroIsMissing`, a raw 0 (feature unknown) stays 0. */
  | {
      readonly kind: "linear";
      readonly feature: string;
      readonly center: number;
      readonly scale: number;
      readonly zeroIsMissing?: boolean;
    }
  /** 1 when from <= x < to, else 0: lets a linear model bend (e.g. life stages by age). */
  | { readonly kind: "band"; readonly feature: string; readonly from: number; readonly to: number }
  /** x clipped to [0, 1]: 0/1 indicators. */
  | { readonly kind: "flag"; readonly feature: string };

export interface ContextLayout {
  readonly features: readonly FeatureSlot[];
  /** One-hot slots; a channel not listed is hashed like any other request value. */
  readonly channels: readonly string[];
  /** Signed feature-hashing buckets for journey, step and the request's own context values. */
  readonly hashBuckets: number;
}

const log = (feature: string, scale: number): FeatureSlot => ({ kind: "log", feature, scale });
const flag = (feature: string): FeatureSlot => ({ kind: "flag", feature });
const band = (from: number, to: number): FeatureSlot => ({ kind: "band", feature: "age", from, to });

/**
 * 1 (known customer) + 34 feature slots + 5 channels + 8 hashed buckets = 48. Scales put the 99th
 * percentile of each feature on the generated bank near 1..2.
 */
export const DEFAULT_CONTEXT_LAYOUT: ContextLayout = {
  features: [
    log("page_views_30d", 3),
    log("events_24h", 2),
    log("logins_30d", 3),
    log("app_logins_30d", 3),
    { kind: "linear", feature: "days_since_last_login", center: 0, scale: 90 },
    log("transactions_30d", 2),
    log("transaction_amount_90d", 8),
    log("max_transaction_amount_30d", 8),
    log("service_calls_30d", 1.5),
    log("complaints_30d", 1),
    // 1 right after a complaint, 0 when none in 90 days.
    { kind: "linear", feature: "days_since_last_complaint", center: 90, scale: -90 },
    log("email_opens_30d", 2),
    log("email_clicks_30d", 1),
    log("offer_impressions_7d", 1.5),
    log("offer_accepts_90d", 1),
    log("offer_rejects_30d", 1.5),
    log("card_product_views_7d", 2),
    log("loan_product_views_7d", 2),
    log("mortgage_product_views_30d", 2),
    log("savings_product_views_30d", 2),
    { kind: "linear", feature: "distinct_channels_30d", center: 0, scale: 5 },
    log("tenure_months", 6),
    { kind: "linear", feature: "age", center: 45, scale: 20, zeroIsMissing: true },
    band(18, 27),
    band(27, 37),
    band(50, 63),
    band(63, 1_000),
    flag("holds_credit_card"),
    flag("holds_personal_loan"),
    flag("holds_mortgage"),
    flag("holds_savings_account"),
    flag("segment_affluent"),
    flag("segment_student"),
    { kind: "linear", feature: "products_held", center: 0, scale: 5 },
  ],
  channels: CHANNELS,
  hashBuckets: 8,
};
