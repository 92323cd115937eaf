/**
 * The training report: one self-contained HTML file (inline CSS, inline SVG charts, no scripts, no
 * network), so it opens from a laptop, a CI artifact or an email. Leads with the verdict a data
 * scientist needs first: is the new model better than the promoted one on the same rows?
 */

import { renderSvg } from "../../reporting/render-svg.js";
import type { ModelMetadata } from "../../scoring/model-metadata.js";
import type { Evaluation } from "../metrics/evaluate.js";
import type { EpochLog } from "../tf/fit-network.js";
import {
  importanceChart,
  liftChart,
  prChart,
  reliabilityChart,
  rocChart,
  type Series,
  trainingChart,
} from "./charts.js";

export interface ReportData {
  readonly metadata: ModelMetadata;
  readonly evaluation: Evaluation;
  readonly truth?: Evaluation;
  readonly promoted?: { readonly version: string; readonly evaluation?: Evaluation; readonly note: string };
  readonly history: readonly EpochLog[];
  /** Best epoch (networks) or best round = trees kept (gbdt). */
  readonly bestEpoch: number;
  /** gbdt: total split gain per encoded column, largest first. */
  readonly importance?: readonly { readonly column: string; readonly gain: number }[];
  readonly backend: string;
  readonly rows: { readonly train: number; readonly validation: number; readonly test: number };
  readonly trainSeconds: number;
  /** blend: the trees' weight, trees kept, its network part and that part's epochs (the curve is its). */
  readonly blend?: {
    readonly treeWeight: number;
    readonly trees: number;
    readonly epochs: number;
    readonly network: string;
  };
  /** The network reads per-value interaction columns: of which input, and how many. */
  readonly interactions?: { readonly by: string; readonly columns: number };
}

const esc = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
const fmt = (x: number | undefined, digits = 4): string =>
  x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(digits);

const METRICS: readonly { key: keyof Evaluation; label: string; higherIsBetter: boolean }[] = [
  { key: "rocAuc", label: "ROC AUC", higherIsBetter: true },
  { key: "prAuc", label: "PR AUC", higherIsBetter: true },
  { key: "logLoss", label: "log loss", higherIsBetter: false },
  { key: "brier", label: "Brier", higherIsBetter: false },
  { key: "ece", label: "ECE", higherIsBetter: false },
];

function metricsTable(d: ReportData): string {
  const prom = d.promoted?.evaluation;
  const head = `<tr><th>metric</th><th>new (${esc(d.metadata.version)})</th>${prom ? `<th>promoted (${esc(d.promoted!.version)})</th><th>change</th>` : ""}${d.truth ? "<th>true probabilities</th>" : ""}</tr>`;
  const rows = METRICS.map(({ key, label, higherIsBetter }) => {
    const v = d.evaluation[key] as number;
    let change = "";
    if (prom) {
      const delta = v - (prom[key] as number);
      const better = higherIsBetter ? delta > 0 : delta < 0;
      change = `<td class="${Math.abs(delta) < 1e-9 ? "" : better ? "good" : "bad"}">${delta >= 0 ? "+" : ""}${fmt(delta)}</td>`;
    }
    return `<tr><td>${label}</td><td>${fmt(v)}</td>${prom ? `<td>${fmt(prom[key] as number)}</td>${change}` : ""}${d.truth ? `<td>${fmt(d.truth[key] as number)}</td>` : ""}</tr>`;
  });
  return `<table>${head}${rows.join("")}</table>`;
}

function inputsTable(m: ModelMetadata): string {
  const rows = m.inputs.map((i) =>
    i.type === "numeric"
      ? `<tr><td>${esc(i.name)}</td><td>numeric</td><td>mean ${fmt(i.mean, 3)}, scale ${fmt(i.scale, 3)}, fill ${fmt(i.fill, 3)}</td></tr>`
      : `<tr><td>${esc(i.name)}</td><td>categorical</td><td>${i.vocabulary.length} values + unseen: ${esc(i.vocabulary.slice(0, 12).join(", "))}${i.vocabulary.length > 12 ? ", …" : ""}</td></tr>`,
  );
  return `<table><tr><th>input</th><th>type</th><th>preprocessing (saved in metadata.json)</th></tr>${rows.join("")}</table>`;
}

function verdict(d: ReportData): string {
  const prom = d.promoted;
  if (!prom) return "<p>No promoted model to compare with.</p>";
  if (!prom.evaluation) return `<p>Promoted version ${esc(prom.version)}: ${esc(prom.note)}</p>`;
  const dAuc = d.evaluation.rocAuc - prom.evaluation.rocAuc;
  const dLoss = d.evaluation.logLoss - prom.evaluation.logLoss;
  const better = dAuc > 0 && dLoss <= 0;
  const worse = dAuc < 0 && dLoss >= 0;
  const word = better ? "better" : worse ? "worse" : "mixed";
  return `<p class="verdict ${better ? "good" : worse ? "bad" : ""}">Against promoted ${esc(prom.version)} on the same ${d.evaluation.rows} held-out rows: <b>${word}</b> (AUC ${dAuc >= 0 ? "+" : ""}${fmt(dAuc)}, log loss ${dLoss >= 0 ? "+" : ""}${fmt(dLoss)}). ${esc(prom.note)}</p>`;
}

export async function renderReport(d: ReportData): Promise<string> {
  const trees = d.metadata.kind === "gbdt";
  const series: Series[] = [{ label: "new model", evaluation: d.evaluation }];
  if (d.promoted?.evaluation)
    series.push({ label: `promoted ${d.promoted.version}`, evaluation: d.promoted.evaluation });
  if (d.truth) series.push({ label: "true probabilities", evaluation: d.truth });
  const charts = await Promise.all(
    [
      rocChart(series),
      prChart(series),
      reliabilityChart(series),
      liftChart(series),
      trainingChart(d.history, d.bestEpoch, trees ? "round" : "epoch"),
      ...(d.importance && d.importance.length > 0 ? [importanceChart(d.importance)] : []),
    ].map(renderSvg),
  );
  const m = d.metadata;
  const t = m.training;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(m.name)} ${esc(m.version)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}
th{background:#f4f4f4}.good{color:#1a7f37}.bad{color:#c62828}.verdict{font-size:16px}
.charts{display:flex;flex-wrap:wrap;gap:12px}code{background:#f4f4f4;padding:1px 4px}
</style></head><body>
<h1>${esc(m.name)} model ${esc(m.version)} (${esc(m.kind)})</h1>
${verdict(d)}
${metricsTable(d)}
<p>Held-out rows: ${d.evaluation.rows} (${d.evaluation.positives} positive, rate ${fmt(d.evaluation.positiveRate)}; mean prediction ${fmt(d.evaluation.meanPredicted)}).
Training rows ${d.rows.train}, validation rows ${d.rows.validation}. ${
    d.blend
      ? `Blend trained in ${d.trainSeconds.toFixed(1)} s: ${d.blend.trees} gradient-boosted trees (TypeScript) and a ${esc(d.blend.network)} network (${esc(d.backend)} backend, best epoch ${d.bestEpoch} of ${d.blend.epochs}, the curve below), scored as sigmoid(${d.blend.treeWeight}·tree margin + ${fmt(1 - d.blend.treeWeight, 1)}·network logit), the weight chosen by validation log loss.`
      : trees
        ? `Gradient-boosted trees trained in ${d.trainSeconds.toFixed(1)} s in TypeScript; ${d.bestEpoch} trees kept (the best validation round of ${d.history[d.history.length - 1]?.epoch ?? 0}).`
        : `Trained in ${d.trainSeconds.toFixed(1)} s on the ${esc(d.backend)} backend; best epoch ${d.bestEpoch} of ${d.history.length}.`
  }${
    d.interactions
      ? ` The network also reads ${d.interactions.columns} per-${esc(d.interactions.by)} interaction columns, built from the inputs inside the ONNX graph.`
      : ""
  }</p>
<div class="charts">${charts.join("\n")}</div>
<h2>Data and command</h2>
<table>
<tr><td>source</td><td>${esc(t.source ?? "")}</td></tr>
<tr><td>target</td><td>${esc(t.target ?? "")} = ${esc(t.positiveValue ?? "")}</td></tr>
<tr><td>data sha256</td><td><code>${esc(t.dataHash ?? "")}</code></td></tr>
<tr><td>seed</td><td>${esc(t.seed ?? "")}</td></tr>
<tr><td>command</td><td><code>${esc(t.command)}</code></td></tr>
<tr><td>created</td><td>${esc(t.createdAt)}</td></tr>
</table>
<h2>Inputs (${m.inputs.length} inputs, ${m.inputWidth} encoded columns)</h2>
${inputsTable(m)}
<h2>Lift by decile</h2>
<table><tr><th>decile</th><th>rows</th><th>positives</th><th>rate</th><th>lift</th><th>cumulative capture</th></tr>
${d.evaluation.lift.map((g) => `<tr><td>${g.decile}</td><td>${g.count}</td><td>${g.positives}</td><td>${fmt(g.rate)}</td><td>${fmt(g.lift, 2)}</td><td>${fmt(g.cumulativeCapture, 3)}</td></tr>`).join("")}
</table>
</body></html>
`;
}
