/**
 * npx tsx bench/reference/project-on-sklearn-splits.ts [--rs 42,0,1,7,123] [--shared DIR]
 *
 * The project's bank models (gbdt with its defaults, logistic with l2 1e-5, as `bench:models` trains
 * them) on scikit-learn's own splits, `train_test_split(test_size=0.2, stratify=y, random_state=rs)`
 * reproduced row for row (`--split sklearn`), so their test AUC and Brier sit in the same columns as
 * the `sk rs=…` figures xgboost_bank.py prints for XGBoost, HistGB and logistic regression.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { readCsvConfigFile, resolveCsvConfig } from "../../src/training/data/csv-config.js";
import { loadCsv } from "../../src/training/data/csv-source.js";
import { type TrainOptions, trainModel } from "../../src/training/pipeline/train-model.js";

const CONFIG = "training/configs/bank-marketing.json";
const MODELS: Record<string, Omit<TrainOptions, "seed" | "split">> = {
  "project gbdt (TS)": { kind: "gbdt" },
  "project logistic (TS)": { kind: "logistic", l2: 1e-5 },
};

const { values: args } = parseArgs({
  options: {
    rs: { type: "string", default: "42,0,1,7,123" },
    shared: { type: "string", default: "../shared/data" },
  },
});
const states = args.rs.split(",").map((s) => Number(s.trim()));
if (states.length === 0 || states.some((s) => !Number.isInteger(s) || s < 0 || s > 0xffffffff)) {
  console.error(
    `project-on-sklearn-splits: --rs takes integers in 0..2^32-1 separated by commas, got "${args.rs}"`,
  );
  process.exit(2);
}
const csv = resolve(args.shared, "bank-marketing.csv");
if (!existsSync(csv)) {
  console.error(
    `project-on-sklearn-splits: ${csv} is absent. This reference needs the UCI bank marketing CSV in the ` +
      "shared data folder (../shared/data beside the repository); pass --shared DIR to point elsewhere.",
  );
  process.exit(1);
}

const set = await loadCsv(resolveCsvConfig(readCsvConfigFile(CONFIG), { csv }));
const results: Record<string, { auc: number; brier: number }[]> = Object.fromEntries(
  Object.keys(MODELS).map((name) => [name, []]),
);
for (const rs of states) {
  for (const [name, options] of Object.entries(MODELS)) {
    const t = await trainModel(set, { ...options, seed: rs, split: "sklearn" });
    results[name]!.push({ auc: t.evaluation.rocAuc, brier: t.evaluation.brier });
    console.log(
      `sk rs=${rs}: ${name} AUC ${t.evaluation.rocAuc.toFixed(4)} Brier ${t.evaluation.brier.toFixed(4)} ` +
        `(${t.split.test.length} test rows, ${t.fit.bestEpoch} ${options.kind === "gbdt" ? "trees" : "best epoch"})`,
    );
  }
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`\nmean over sk rs=${states.join(",")}:`);
for (const [name, rows] of Object.entries(results)) {
  console.log(
    `  ${name}: AUC ${mean(rows.map((r) => r.auc)).toFixed(4)}, Brier ${mean(rows.map((r) => r.brier)).toFixed(4)}`,
  );
}
