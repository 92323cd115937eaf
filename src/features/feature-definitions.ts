/**
 * The feature registry: every behaviour and profile feature, as data. Stores, the HTTP API and the
 * offline point-in-time builder all derive from this list; adding a feature means adding a line here.
 */

import type { EventType, Product, Segment } from "./vocabulary.js";
import type { Window } from "./windows.js";

export type Aggregation = "count" | "sum" | "max" | "last" | "daysSinceLast" | "distinctCount";

/** Equality filter on the event: `channel`, or a property name such as `businessUnit`. */
export type EventFilter = Readonly<Record<string, string>>;

export interface BehaviourFeature {
  readonly kind: "behaviour";
  readonly name: string;
  readonly description: string;
  readonly eventTypes: readonly EventType[] | "any";
  readonly where?: EventFilter;
  readonly aggregation: Aggregation;
  /** Numeric property for sum/max/last; `channel` for distinctCount. */
  readonly field?: string;
  /** Required for count/sum/max/distinctCount; last and daysSinceLast look back over the longest window. */
  readonly window?: Window;
}

export interface ProfileFeature {
  readonly kind: "profile";
  readonly name: string;
  readonly description: string;
  readonly attribute: "tenureMonths" | "age" | "productsHeld" | "segment";
  /** number: the value itself; count: array length; holds: 1 if the array holds `value`; is: 1 if equal to `value`. */
  readonly transform: "number" | "count" | "holds" | "is";
  readonly value?: Product | Segment;
}

export type FeatureDefinition = BehaviourFeature | ProfileFeature;

const count = (
  name: string,
  eventTypes: BehaviourFeature["eventTypes"],
  window: Window,
  description: string,
  where?: EventFilter,
): BehaviourFeature => ({
  kind: "behaviour",
  name,
  description,
  eventTypes,
  aggregation: "count",
  window,
  ...(where ? { where } : {}),
});

const daysSince = (
  name: string,
  eventTypes: BehaviourFeature["eventTypes"],
  description: string,
): BehaviourFeature => ({
  kind: "behaviour",
  name,
  description,
  eventTypes,
  aggregation: "daysSinceLast",
});

const holds = (product: Product): ProfileFeature => ({
  kind: "profile",
  name: `holds_${product}`,
  description: `1 if the customer holds a ${product.replace("_", " ")}`,
  attribute: "productsHeld",
  transform: "holds",
  value: product,
});

const isSegment = (segment: Segment): ProfileFeature => ({
  kind: "profile",
  name: `segment_${segment}`,
  description: `1 if the customer is in the ${segment.replace("_", " ")} segment`,
  attribute: "segment",
  transform: "is",
  value: segment,
});

export const FEATURE_DEFINITIONS: readonly FeatureDefinition[] = [
  count("page_views_1h", ["page_view"], "1h", "Page views in the last hour"),
  count("page_views_24h", ["page_view"], "24h", "Page views in the last 24 hours"),
  count("page_views_7d", ["page_view"], "7d", "Page views in the last 7 days"),
  count("page_views_30d", ["page_view"], "30d", "Page views in the last 30 days"),
  count("logins_24h", ["login"], "24h", "Logins in the last 24 hours"),
  count("logins_7d", ["login"], "7d", "Logins in the last 7 days"),
  count("logins_30d", ["login"], "30d", "Logins in the last 30 days"),
  count("app_logins_30d", ["login"], "30d", "Logins through the app in the last 30 days", { channel: "app" }),
  daysSince("days_since_last_login", ["login"], "Days since the last login (90 when none in 90 days)"),
  count("transactions_7d", ["transaction"], "7d", "Transactions in the last 7 days"),
  count("transactions_30d", ["transaction"], "30d", "Transactions in the last 30 days"),
  {
    kind: "behaviour",
    name: "transaction_amount_30d",
    description: "Sum of transaction amounts in the last 30 days",
    eventTypes: ["transaction"],
    aggregation: "sum",
    field: "amount",
    window: "30d",
  },
  {
    kind: "behaviour",
    name: "transaction_amount_90d",
    description: "Sum of transaction amounts in the last 90 days",
    eventTypes: ["transaction"],
    aggregation: "sum",
    field: "amount",
    window: "90d",
  },
  {
    kind: "behaviour",
    name: "max_transaction_amount_30d",
    description: "Largest transaction in the last 30 days",
    eventTypes: ["transaction"],
    aggregation: "max",
    field: "amount",
    window: "30d",
  },
  {
    kind: "behaviour",
    name: "last_transaction_amount",
    description: "Amount of the most recent transaction in 90 days",
    eventTypes: ["transaction"],
    aggregation: "last",
    field: "amount",
  },
  count("service_calls_7d", ["service_call"], "7d", "Service calls in the last 7 days"),
  count("service_calls_30d", ["service_call"], "30d", "Service calls in the last 30 days"),
  count("service_calls_90d", ["service_call"], "90d", "Service calls in the last 90 days"),
  count("complaints_30d", ["complaint"], "30d", "Complaints in the last 30 days"),
  count("complaints_90d", ["complaint"], "90d", "Complaints in the last 90 days"),
  daysSince(
    "days_since_last_complaint",
    ["complaint"],
    "Days since the last complaint (90 when none in 90 days)",
  ),
  count("email_opens_30d", ["email_open"], "30d", "Marketing emails opened in the last 30 days"),
  count("email_clicks_30d", ["email_click"], "30d", "Marketing email clicks in the last 30 days"),
  count("offer_impressions_7d", ["offer_impression"], "7d", "Offers shown in the last 7 days"),
  count("offer_impressions_30d", ["offer_impression"], "30d", "Offers shown in the last 30 days"),
  count("offer_accepts_90d", ["offer_accept"], "90d", "Offers accepted in the last 90 days"),
  count("offer_rejects_30d", ["offer_reject"], "30d", "Offers explicitly rejected in the last 30 days"),
  daysSince(
    "days_since_last_offer_accept",
    ["offer_accept"],
    "Days since an offer was last accepted (90 when none)",
  ),
  count("card_product_views_7d", ["product_view"], "7d", "Card product pages viewed in the last 7 days", {
    businessUnit: "cards",
  }),
  count("loan_product_views_7d", ["product_view"], "7d", "Loan product pages viewed in the last 7 days", {
    businessUnit: "loans",
  }),
  count(
    "mortgage_product_views_30d",
    ["product_view"],
    "30d",
    "Mortgage product pages viewed in the last 30 days",
    { businessUnit: "mortgages" },
  ),
  count(
    "savings_product_views_30d",
    ["product_view"],
    "30d",
    "Savings product pages viewed in the last 30 days",
    { businessUnit: "savings" },
  ),
  {
    kind: "behaviour",
    name: "distinct_channels_30d",
    description: "Channels used in the last 30 days",
    eventTypes: "any",
    aggregation: "distinctCount",
    field: "channel",
    window: "30d",
  },
  count("events_24h", "any", "24h", "Events of any kind in the last 24 hours"),
  count("events_30d", "any", "30d", "Events of any kind in the last 30 days"),
  count("events_90d", "any", "90d", "Events of any kind in the last 90 days"),
  daysSince("days_since_last_event", "any", "Days since the last event of any kind (90 when none)"),
  {
    kind: "profile",
    name: "tenure_months",
    description: "Months since the customer joined",
    attribute: "tenureMonths",
    transform: "number",
  },
  { kind: "profile", name: "age", description: "Age in years", attribute: "age", transform: "number" },
  {
    kind: "profile",
    name: "products_held",
    description: "Number of products held",
    attribute: "productsHeld",
    transform: "count",
  },
  holds("credit_card"),
  holds("personal_loan"),
  holds("mortgage"),
  holds("savings_account"),
  isSegment("affluent"),
  isSegment("student"),
];
