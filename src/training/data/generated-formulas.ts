/**
 * Derived inputs of the models trained on generated data: the shapes the behaviour signals take in
 * a churn or acceptance decision (diminishing returns as log1p, caps on counts, falling activity,
 * product views in the offered action's own business unit). Only observed features feed them; they
 * are formulas in the model's metadata (`formula` of each input), which the shared encoder
 * (`src/scoring/encode-inputs.ts`) computes at training and at serving from the raw feature row,
 * so serving supplies the same raw features as before.
 */
import type { DerivedSpec } from "./derived-columns.js";

/** Activity (logins + transactions) in the last week, compared with a quarter of the month's, on a log scale. */
const ACTIVITY_DROP =
  "clip(sub(log1p(mul(add(logins_30d,transactions_30d),0.25)),log1p(add(logins_7d,transactions_7d))),0,2.5)";

/** Inputs that help both tasks. */
const SHARED: readonly DerivedSpec[] = [
  { name: "activity_drop", formula: ACTIVITY_DROP },
  { name: "log_activity_30d", formula: "log1p(add(logins_30d,transactions_30d))" },
  { name: "log_logins_30d", formula: "log1p(logins_30d)" },
  { name: "log_app_logins_30d", formula: "log1p(app_logins_30d)" },
  { name: "log_transactions_30d", formula: "log1p(transactions_30d)" },
  { name: "log_email_opens_30d", formula: "log1p(email_opens_30d)" },
  { name: "log_tenure_years", formula: "log1p(div(tenure_months,12))" },
];

export const CHURN_FORMULAS: readonly DerivedSpec[] = [
  ...SHARED,
  { name: "complaints_30d_cap4", formula: "min(complaints_30d,4)" },
  { name: "service_calls_30d_cap6", formula: "min(service_calls_30d,6)" },
];

/** log1p of the product views in the business unit of the offered action (0 for retention actions). */
const UNIT_VIEWS =
  "add(add(mul(eq(businessUnit,'cards'),log1p(card_product_views_7d)),mul(eq(businessUnit,'loans'),log1p(loan_product_views_7d)))," +
  "add(mul(eq(businessUnit,'mortgages'),log1p(mortgage_product_views_30d)),mul(eq(businessUnit,'savings'),log1p(savings_product_views_30d))))";

const RETENTION = "eq(businessUnit,'retention')";

export const PROPENSITY_FORMULAS: readonly DerivedSpec[] = [
  ...SHARED,
  { name: "unit_views", formula: UNIT_VIEWS },
  { name: "offer_impressions_7d_cap10", formula: "min(offer_impressions_7d,10)" },
  { name: "complaints_30d_cap3", formula: "min(complaints_30d,3)" },
  { name: "service_calls_30d_cap5", formula: "min(service_calls_30d,5)" },
  { name: "retention_x_complaints", formula: `mul(${RETENTION},min(complaints_30d,3))` },
  { name: "retention_x_service_calls", formula: `mul(${RETENTION},min(service_calls_30d,5))` },
  { name: "retention_x_activity_drop", formula: `mul(${RETENTION},${ACTIVITY_DROP})` },
];

/**
 * L2 penalty of the propensity MLP when no `--l2` is given (the MLP default elsewhere is 1e-5).
 * Chosen on the validation rows inside the training part (the last 15% of training time), never the
 * test rows: best-epoch validation AUC 0.8040 against 0.8011 with 1e-5 at 100k customers, 0.7803
 * against 0.7775 at 20k (docs/models.md).
 */
export const PROPENSITY_MLP_L2 = 1e-4;

/**
 * Raw features kept beside the formulas when a set uses only its engineered inputs (the default):
 * with few positives (4.6% churn), dozens of weakly related raw counts cost more in estimation
 * noise than they add. `inputs: "all"` keeps every feature as well.
 */
export const ENGINEERED_RAW: Readonly<Record<"churn" | "propensity", readonly string[]>> = {
  churn: ["products_held"],
  propensity: [
    "actionId",
    "businessUnit",
    "channel",
    "actionValue",
    "holds_credit_card",
    "holds_personal_loan",
    "holds_mortgage",
    "holds_savings_account",
    "age",
    "segment_student",
    "segment_affluent",
  ],
};
