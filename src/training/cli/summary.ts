/**
 * The at-a-glance result on stdout: new model vs promoted model (on the same held-out rows) vs the
 * generator's true probabilities, with a one-word verdict and the next command to run.
 */
import type { HeadlineMetrics } from "../metrics/evaluate.js";
import type { TrainingRun } from "../pipeline/run-training.js";

const ROWS: readonly [keyof HeadlineMetrics, string, boolean][] = [
  ["rocAuc", "ROC AUC", true],
  ["prAuc", "PR AUC", true],
  ["logLoss", "log loss", false],
  ["brier", "Brier", false],
  ["ece", "ECE", false],
];

/** What the ONNX graph is checked against, per kind (tfjs otherwise). */
const PARITY_REFERENCE: Partial<Record<string, string>> = {
  gbdt: "the TypeScript trees",
  blend: "the TypeScript trees + the tfjs network",
};

const cell = (x: number | undefined, width = 12): string =>
  (x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(4)).padStart(width);

export function formatSummary(run: TrainingRun): string {
  const { metadata: m, trained: t, promoted } = run;
  const prom = promoted?.evaluation;
  const truth = t.truthEvaluation;
  const header = `${"".padEnd(10)}${"new".padStart(12)}${prom ? `${"promoted".padStart(12)}${"change".padStart(10)}` : ""}${truth ? "true p".padStart(12) : ""}`;
  const lines = ROWS.map(([key, label, higher]) => {
    const v = t.evaluation[key];
    let extra = "";
    if (prom) {
      const d = v - prom[key];
      const mark = Math.abs(d) < 5e-5 ? " " : (higher ? d > 0 : d < 0) ? "+" : "-";
      extra = `${cell(prom[key])}${`${d >= 0 ? "+" : ""}${d.toFixed(4)}${mark}`.padStart(10)}`;
    }
    return `${label.padEnd(10)}${cell(v)}${extra}${truth ? cell(truth[key]) : ""}`;
  });
  const e = t.evaluation;
  const out = [
    `${m.name} ${m.kind} ${m.version}: ${e.rows} held-out rows (${e.positives} positive), ${t.options.split} split, seed ${t.options.seed}`,
    header,
    ...lines,
  ];
  if (promoted && !prom) out.push(`promoted ${promoted.version}: ${promoted.note}`);
  if (prom) {
    // Differences below the printed precision are no difference (e.g. a retrain of the same model).
    const same = Math.abs(e.rocAuc - prom.rocAuc) < 5e-5 && Math.abs(e.logLoss - prom.logLoss) < 5e-5;
    const better = e.rocAuc >= prom.rocAuc && e.logLoss <= prom.logLoss;
    const worse = e.rocAuc <= prom.rocAuc && e.logLoss >= prom.logLoss;
    out.push(
      `verdict: ${same ? "THE SAME AS" : better ? "BETTER than" : worse ? "WORSE than" : "MIXED against"} promoted ${promoted!.version} (${promoted!.note})`,
    );
  } else if (!promoted) {
    out.push(
      run.compared
        ? "verdict: no promoted model to compare with"
        : "verdict: not compared with the promoted model (--no-compare)",
    );
  }
  out.push(
    `ONNX parity (onnxruntime vs ${PARITY_REFERENCE[m.kind] ?? "tfjs"}, held-out rows): max |diff| ${run.parityMaxAbsDiff.toExponential(2)}`,
  );
  if (run.dir && run.existed) {
    out.push(
      `${run.dir} already existed with this version (same model and metadata): kept it, wrote nothing`,
    );
  } else if (run.dir) {
    out.push(`wrote ${run.dir}/{model.onnx, metadata.json, metrics.json, report.html}`);
  }
  return out.join("\n");
}
