/**
 * A self-contained HTML report: the estimates table, a chart of each estimate with its interval
 * beside the logging policy's observed value, where the target goes versus where the log went,
 * diagnostics, notes, warnings and bad rows. Charts are inline SVG (vega-lite rendered headless), so
 * the file opens offline.
 */
import type { TopLevelSpec } from "vega-lite";
import { renderSvg } from "../reporting/render-svg.js";
import { countByCategory, formatValue, reading, tableCells } from "./format-report.js";
import type { RowIssue } from "./logged-decision.js";
import type { OpeReport } from "./ope-report.js";

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function estimatesChart(report: OpeReport): TopLevelSpec {
  const values = [report.logging, ...report.estimates].map((r) => ({
    estimator: r.label,
    estimate: r.estimate,
    lower: Number.isFinite(r.lower) ? r.lower : r.estimate,
    upper: Number.isFinite(r.upper) ? r.upper : r.estimate,
  }));
  const order = values.map((v) => v.estimator);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: `Estimated reward per decision (${Math.round(report.options.confidence * 100)}% bootstrap intervals)`,
    width: 620,
    height: 34 * values.length,
    data: { values },
    layer: [
      {
        mark: { type: "rule", strokeDash: [4, 4], color: "#888" },
        encoding: { x: { datum: report.logging.estimate } },
      },
      {
        mark: { type: "errorbar", ticks: true, thickness: 2 },
        encoding: {
          y: { field: "estimator", type: "nominal", sort: order, title: null },
          x: {
            field: "lower",
            type: "quantitative",
            title: "expected reward per decision",
            scale: { zero: false },
          },
          x2: { field: "upper" },
        },
      },
      {
        mark: { type: "point", filled: true, size: 80 },
        encoding: {
          y: { field: "estimator", type: "nominal", sort: order },
          x: { field: "estimate", type: "quantitative" },
          color: { field: "estimator", type: "nominal", sort: order, legend: null },
        },
      },
    ],
  };
}

function actionsChart(report: OpeReport): TopLevelSpec {
  const d = report.diagnostics;
  const actions = [
    ...new Set([...Object.keys(d.targetActionShare), ...Object.keys(d.loggedActionShare)]),
  ].slice(0, 40);
  const values = actions.flatMap((a) => [
    { action: a, policy: "target", share: d.targetActionShare[a] ?? 0 },
    { action: a, policy: "logged", share: d.loggedActionShare[a] ?? 0 },
  ]);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Where the target goes vs where the log went (share of decisions)",
    width: 620,
    data: { values },
    mark: "bar",
    encoding: {
      y: { field: "action", type: "nominal", sort: actions, title: null },
      yOffset: { field: "policy", type: "nominal" },
      x: { field: "share", type: "quantitative", title: "share of decisions", axis: { format: "%" } },
      color: { field: "policy", type: "nominal" },
    },
  };
}

function issueList(title: string, list: readonly RowIssue[], max = 100): string {
  if (list.length === 0) return "";
  const items = list
    .slice(0, max)
    .map((i) => `<li>line ${i.line}: ${escapeHtml(i.reason)}</li>`)
    .join("");
  const more = list.length > max ? `<li>... and ${list.length - max} more</li>` : "";
  const byCategory = countByCategory(list);
  return `<h2>${escapeHtml(title)} (${list.length})</h2>${byCategory ? `<p>${escapeHtml(byCategory)}</p>` : ""}<ul>${items}${more}</ul>`;
}

export async function reportHtml(report: OpeReport, logName = "log"): Promise<string> {
  const [estimates, actions] = await Promise.all([
    renderSvg(estimatesChart(report)),
    renderSvg(actionsChart(report)),
  ]);
  const level = `${Math.round(report.options.confidence * 100)}% interval`;
  const rows = [report.logging, ...report.estimates]
    .map((r) => {
      const cells = tableCells(r, report.logging.estimate);
      return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`;
    })
    .join("");
  const d = report.diagnostics;
  const list = (items: readonly string[]) =>
    `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Off-policy evaluation: ${escapeHtml(report.target.description)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}
td:first-child,th:first-child{text-align:left}.warn li{color:#a40}code{background:#f4f4f4;padding:0 3px}
</style></head><body>
<h1>Off-policy evaluation</h1>
<p><b>Log:</b> ${escapeHtml(logName)} (${report.log.format}): ${report.log.read} rows read, ${report.log.valid} valid, ${report.log.evaluated} evaluated,
${report.log.malformed.length} malformed, ${report.log.skipped.length} skipped; ${report.log.actions} actions, ${report.log.features} context features.</p>
<p><b>Target:</b> ${escapeHtml(report.target.description)}</p>
<p><b>Reward model:</b> ${escapeHtml(report.rewardModel)}</p>
<p><b>Options:</b> bootstrap ${report.options.bootstrap} replicates, seed ${report.options.seed}, clipping ${report.options.clip ?? "off"},
low-propensity threshold ${report.options.minPropensity}.</p>
<table><tr><th>estimator</th><th>estimate</th><th>${level}</th><th>ESS</th><th>vs logging (${level} of the change)</th></tr>${rows}</table>
<p><b>${escapeHtml(reading(report))}</b></p>
${estimates}
<h2>Diagnostics</h2>
<p>mean importance weight ${d.meanWeight.toFixed(3)}, max ${formatValue(d.maxWeight)}, ESS ${Math.round(d.ess)} of ${d.rows}
(${(100 * d.essShare).toFixed(1)}%)${d.clip !== null ? `, clipped ${d.clippedRows} rows (${(100 * d.clippedMass).toFixed(2)}% of the weight)` : ""}.</p>
${actions}
${report.target.notes.length ? `<h2>Notes</h2>${list(report.target.notes)}` : ""}
${report.warnings.length ? `<h2>Warnings</h2><div class="warn">${list(report.warnings)}</div>` : ""}
${issueList("Malformed rows, skipped", report.log.malformed)}
${issueList("Rows without what the evaluation needs, skipped", report.log.skipped)}
${issueList("Rows the target could not be evaluated on", report.log.unevaluated)}
<h2>Estimators</h2>
<p>w<sub>i</sub> = &pi;(a<sub>i</sub>|x<sub>i</sub>) / &mu;(a<sub>i</sub>|x<sub>i</sub>) (clipped at the clip level when set).
IPS = mean(w r); SNIPS = &Sigma;w r / &Sigma;w; DM = mean(&Sigma;<sub>a</sub> &pi;(a|x) q&#770;(x,a));
DR = DM + mean(w (r &minus; q&#770;(x,a<sub>i</sub>))). ESS = (&Sigma;w)&sup2; / &Sigma;w&sup2;. See docs/ope.md.</p>
</body></html>
`;
}
