/** The --help text of the two training commands. */
import type { GeneratedTask } from "../data/generated-source.js";

export function usage(task: GeneratedTask): string {
  const script = task === "churn" ? "train:churn" : "train:propensity";
  const rows =
    task === "churn"
      ? "one row per customer active at the label time T (customers.jsonl labelTime),\n                        features as of T, outcome churnedInLabelWindow"
      : "one row per offer impression (offers.jsonl): customer features strictly before\n                        it, plus actionId, businessUnit, channel, actionValue; outcome accepted";
  return `Usage: npm run ${script} -- [data] [model] [output]

Trains the ${task} model, evaluates it on held-out rows against the promoted model, and writes
models/<name>/<version>/{model.onnx, metadata.json, metrics.json, report.html}. See docs/models.md.

Data (default: a seeded generated sample of 5000 customers, so it works from a fresh clone)
  --data DIR            dataset folder from npm run data:generate;
                        ${rows}
  --customers N --days D --sample-seed S   size/seed of the default generated sample (5000, 90, 42)
  --csv FILE            any CSV instead (one row per example), described by:
    --target COL          outcome column (required with --csv)
    --positive VALUE      the target value that counts as positive (required with --csv)
    --sep C               separator (default ,)
    --drop a,b            columns that are not inputs (ids, leaks)
    --categorical x,y     force one-hot;   --numeric x,y   force numeric (blank = missing)
    --fill col=value      fill for missing values (default: training mean)
    --derive EXPR         extra input by formula, repeatable: log1p(x), eq(x,999), unless(x,999),
                          bin(x,6,12,24), cross(a,b), add/sub/mul/div/min/max(x,y), clip(x,lo,hi)
    --time COL            row time column, for --split time
  --config FILE         the same as a JSON file: {"csv","target","positive","sep","drop",...}

Model
  --model logistic|mlp|gbdt|blend  (default ${task === "churn" ? "logistic" : "mlp"}; gbdt: gradient-
                        boosted trees, exported as an ONNX TreeEnsembleRegressor + Sigmoid; blend:
                        gbdt and an mlp on the same rows, sigmoid(w·tree margin + (1-w)·mlp logit)
                        with w in 0.3..0.7 chosen on the validation rows, one ONNX graph; takes the
                        tree flags and the network flags, not --learning-rate, --patience or
                        --class-weight)
  --seed N              seed of splits, initial weights and shuffles (default 42)
  --split stratified|time|sklearn   default: time when rows have different times, else
                        stratified; churn on generated data: time adds rows at earlier label times
                        (T - 30d, then weekly) whose 30-day label windows end by T to train on,
                        and tests on the customers at the label time T (--test-fraction does not
                        apply); sklearn: stratified, the same test rows as scikit-learn's
                        train_test_split(stratify=y, random_state=SEED), to compare with a Python model
  --test-fraction F     held-out share (default 0.2)
  --epochs N            maximum epochs (default 60; early stopping on a validation split)
  --patience N          epochs (gbdt: rounds) without improvement before stopping (default 6; gbdt 50)
  --batch-size N  --learning-rate X  --hidden 64,32  --class-weight none|balanced|W (default none)
  --l2 X                L2 penalty on weights (default 1e-4 logistic, 1e-5 mlp; 1e-4 for the
                        propensity mlp on generated data)
  --inputs engineered|all   generated data: the derived inputs (log1p, caps, falling activity, views
                        in the offer's business unit...) plus a few raw features (default), or
                        every feature as well
  --ensemble K          mlp: average K networks trained from different seeds, exported as one graph
  --interactions COL    logistic, mlp, a blend's network: also read, for each value of the
                        categorical input COL (e.g. actionId), a copy of every column that varies
                        within that value: one logistic model per action sharing the common terms;
                        built inside the ONNX graph, so serving encodes the same inputs; the
                        network's default Adam step is a tenth of the usual with it
  --blend-network logistic|mlp   a blend's network part (default mlp); the propensity bench's best:
                        --model blend --blend-network logistic --interactions actionId --l2 0.00001
                        --tree-learning-rate 0.1
  --tree-learning-rate X   a blend's trees: their shrinkage (default 0.05)
  --backend tensorflow|wasm|cpu   force a tfjs backend (default: fastest available)

gbdt (--model gbdt or blend; --learning-rate is the shrinkage, default 0.05, and --patience counts rounds)
  --trees N             most boosting rounds (default 2000; early stopping on the validation split)
  --leaves N            most leaves per tree, grown best-first (default 31)
  --depth N             most levels below the root (default 6)
  --lambda X            L2 penalty on leaf values (default 1)
  --min-child-weight X  smallest hessian sum in a leaf (default 1)
  --subsample F         share of rows per tree (default 0.8, seeded)
  --colsample F         share of columns per tree (default 0.8, seeded)
  --bins N              most quantile bins per column, 2-255 (default 255)

Output
  --out DIR             the version folder to write instead of <models-dir>/<name>/<version> (new,
                        empty or an earlier version's; not with --promote)
  --models-dir DIR      registry root (default: $MODELS_DIR or models)
  --name NAME           model name (default ${task})
  --promote             promote the new version when it is at least as good as the promoted one
                        on the same held-out rows (unchecked only when nothing is promoted yet)
  --no-compare          skip scoring the promoted model (then --promote is refused while a model
                        is promoted under the name)
  --quiet               no progress output
  --help                print this help`;
}
