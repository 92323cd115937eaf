/**
 * How much of the generator's churn signal comes from its behaviour terms: the generator's own daily
 * hazard (`churnHazard`) with every latent term held at one value, computed from the same feature
 * columns the models read and ranked on the same held-out rows (the churn probability increases
 * with the hazard, so the ranking is the one those terms give). A model near this ROC AUC has
 * learned what the truth's behaviour terms carry; the rest of the gap to the true probabilities' AUC
 * is the latent terms (proneness, satisfaction, engagement), which behaviour reflects only in part.
 */
import type { Product } from "../../src/features/vocabulary.js";
import { churnHazard, type LatentCustomer, type ObservedBehaviour } from "../../src/generator/index.js";
import { rocAuc } from "../../src/training/metrics/roc-auc.js";
import type { TrainingSet } from "../../src/training/table.js";

/** Latent terms held constant (their values do not matter to a ranking, only that they do not vary). */
const NEUTRAL: LatentCustomer = {
  lifeStage: "family",
  priceSensitivity: 0.5,
  digitalAffinity: 0.5,
  baselineSatisfaction: 0.6,
  activity: 1,
  wealth: 1,
  interests: { cards: 0.5, loans: 0.5, mortgages: 0.5, savings: 0.5 },
  churnProneness: 0,
  engagementDrift: 0,
  satisfaction: 0.6,
  engagement: 1,
};

export function observableChurnAuc(set: TrainingSet, rows: ArrayLike<number>): number {
  const column = (name: string) => {
    const c = set.table.numeric.get(name);
    if (!c) throw new Error(`the churn set has no numeric column ${name}`);
    return c;
  };
  const f = {
    complaints: column("complaints_30d"),
    calls: column("service_calls_30d"),
    logins7: column("logins_7d"),
    logins30: column("logins_30d"),
    transactions7: column("transactions_7d"),
    transactions30: column("transactions_30d"),
    email: column("email_opens_30d"),
    products: column("products_held"),
    tenure: column("tenure_months"),
  };
  const scores = new Float64Array(rows.length);
  const labels = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const observed: ObservedBehaviour = {
      cardProductViews7d: 0,
      loanProductViews7d: 0,
      mortgageProductViews30d: 0,
      savingsProductViews30d: 0,
      logins7d: f.logins7[r]!,
      logins30d: f.logins30[r]!,
      appLogins30d: 0,
      transactions7d: f.transactions7[r]!,
      transactions30d: f.transactions30[r]!,
      emailOpens30d: f.email[r]!,
      serviceCalls30d: f.calls[r]!,
      complaints30d: f.complaints[r]!,
      offerImpressions7d: 0,
      tenureMonths: f.tenure[r]!,
      // The hazard reads how many products are held, not which.
      productsHeld: new Array<Product>(Math.max(0, Math.round(f.products[r]!))).fill("current_account"),
    };
    scores[i] = churnHazard(NEUTRAL, observed);
    labels[i] = set.labels[r]!;
  }
  return rocAuc(scores, labels);
}
