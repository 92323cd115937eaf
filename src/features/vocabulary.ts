/**
 * The closed vocabularies shared by events, features, the generator and (later) policies.
 * Closed sets let distinct counts be bitmasks and let bad input be named precisely.
 */
export const EVENT_TYPES = [
  "page_view",
  "product_view",
  "login",
  "transaction",
  "service_call",
  "complaint",
  "email_open",
  "email_click",
  "offer_impression",
  "offer_accept",
  "offer_reject",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const CHANNELS = ["web", "app", "email", "call_centre", "branch"] as const;
export type Channel = (typeof CHANNELS)[number];

export const BUSINESS_UNITS = ["cards", "loans", "mortgages", "savings", "retention"] as const;
export type BusinessUnit = (typeof BUSINESS_UNITS)[number];

export const SEGMENTS = ["mass", "affluent", "private", "student", "small_business"] as const;
export type Segment = (typeof SEGMENTS)[number];

export const PRODUCTS = [
  "current_account",
  "credit_card",
  "personal_loan",
  "mortgage",
  "savings_account",
] as const;
export type Product = (typeof PRODUCTS)[number];
