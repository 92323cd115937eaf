/**
 * The report's charts as vega-lite specs: ROC, precision-recall, reliability, lift by decile and
 * the training curve. Each takes one or more labelled series so the new model, the promoted model
 * and (for generated data) the generator's true probabilities share one chart.
 */
import type { TopLevelSpec } from "vega-lite";
import type { UnitSpec } from "vega-lite/types_unstable/spec/unit.js";
import type { Evaluation } from "../metrics/evaluate.js";
import type { EpochLog } from "../tf/fit-network.js";

export interface Series {
  readonly label: string;
  readonly evaluation: Evaluation;
}

const SIZE = { width: 320, height: 260 } as const;
const round = (x: number): number => Math.round(x * 10000) / 10000;
const colour = { field: "series", type: "nominal", title: null, legend: { orient: "bottom-right" } } as const;

/** The dashed y = x reference line from 0 to `max` (a reliability chart zooms to the probabilities in use). */
function diagonal(xTitle: string, yTitle: string, max = 1): UnitSpec<string> {
  return {
    data: {
      values: [
        { x: 0, y: 0 },
        { x: max, y: max },
      ],
    },
    mark: { type: "line", strokeDash: [4, 4], color: "#999" },
    encoding: {
      x: { field: "x", type: "quantitative", title: xTitle },
      y: { field: "y", type: "quantitative", title: yTitle },
    },
  };
}

export function rocChart(series: readonly Series[]): TopLevelSpec {
  const values = series.flatMap((s) =>
    s.evaluation.roc.map((p) => ({ series: s.label, x: round(p.fpr), y: round(p.tpr) })),
  );
  return {
    ...SIZE,
    title: "ROC curve (held-out rows)",
    layer: [
      diagonal("false positive rate", "true positive rate"),
      {
        data: { values },
        mark: { type: "line", interpolate: "step-after" },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "y", type: "quantitative" },
          color: colour,
        },
      },
    ],
  };
}

export function prChart(series: readonly Series[]): TopLevelSpec {
  const values = series.flatMap((s) =>
    s.evaluation.pr.map((p) => ({ series: s.label, recall: round(p.recall), precision: round(p.precision) })),
  );
  return {
    ...SIZE,
    title: "Precision-recall",
    data: { values },
    mark: "line",
    encoding: {
      x: { field: "recall", type: "quantitative" },
      y: { field: "precision", type: "quantitative", scale: { domain: [0, 1] } },
      color: colour,
    },
  };
}

export function reliabilityChart(series: readonly Series[]): TopLevelSpec {
  const values = series.flatMap((s) =>
    s.evaluation.calibration.bins
      .filter((b) => b.count > 0)
      .map((b) => ({ series: s.label, x: round(b.meanPredicted), y: round(b.observedRate), rows: b.count })),
  );
  const top = Math.min(1, Math.max(0.05, ...values.map((v) => Math.max(v.x, v.y))) * 1.1);
  return {
    ...SIZE,
    title: "Reliability (10 bins; dashed = perfect)",
    layer: [
      diagonal("mean predicted probability", "observed rate", top),
      {
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "x", type: "quantitative", scale: { domain: [0, top] } },
          y: { field: "y", type: "quantitative", scale: { domain: [0, top] } },
          color: colour,
        },
      },
    ],
  };
}

export function liftChart(series: readonly Series[]): TopLevelSpec {
  const values = series.flatMap((s) =>
    s.evaluation.lift.map((g) => ({ series: s.label, decile: g.decile, lift: round(g.lift) })),
  );
  return {
    ...SIZE,
    title: "Lift by decile (1 = highest scores)",
    data: { values },
    mark: "bar",
    encoding: {
      x: { field: "decile", type: "ordinal" },
      xOffset: { field: "series" },
      y: { field: "lift", type: "quantitative" },
      color: colour,
    },
  };
}

/** Loss and AUC per epoch (networks) or every few boosting rounds (gbdt, `unit` "round"). */
export function trainingChart(
  history: readonly EpochLog[],
  bestEpoch: number,
  unit: "epoch" | "round" = "epoch",
): TopLevelSpec {
  const values = history.flatMap((h) => [
    { epoch: h.epoch, metric: "training loss", value: round(h.loss) },
    { epoch: h.epoch, metric: "validation loss", value: round(h.valLoss) },
    { epoch: h.epoch, metric: "validation AUC", value: round(h.valAuc) },
  ]);
  return {
    ...SIZE,
    title: `Training (best ${unit} ${bestEpoch})`,
    data: { values },
    mark: { type: "line", point: unit === "epoch" },
    encoding: {
      x: { field: "epoch", type: "quantitative", title: unit },
      y: { field: "value", type: "quantitative", scale: { zero: false } },
      color: { field: "metric", type: "nominal", title: null, legend: { orient: "bottom" } },
      row: { field: "kind", type: "nominal" },
    },
    transform: [{ calculate: "datum.metric === 'validation AUC' ? 'AUC' : 'loss'", as: "kind" }],
    resolve: { scale: { y: "independent" } },
  };
}

/** gbdt: the columns with the most total split gain (share of all gain), top `limit`. */
export function importanceChart(
  importance: readonly { readonly column: string; readonly gain: number }[],
  limit = 20,
): TopLevelSpec {
  const total = importance.reduce((s, c) => s + c.gain, 0) || 1;
  // Crossed columns have long names whose end (the value) is what tells them apart.
  const label = (name: string) => (name.length > 36 ? `…${name.slice(-35)}` : name);
  const values = importance
    .slice(0, limit)
    .map((c) => ({ column: label(c.column), share: round(c.gain / total) }));
  return {
    width: 320,
    height: Math.max(120, 16 * values.length),
    title: `Feature importance (total gain, top ${values.length})`,
    data: { values },
    mark: "bar",
    encoding: {
      y: { field: "column", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 400 } },
      x: { field: "share", type: "quantitative", title: "share of total gain", axis: { format: "%" } },
    },
  };
}
