/** The report as terminal text: the estimates table, then notes, diagnostics, warnings and bad rows. */
import type { RowIssue } from "./logged-decision.js";
import type { EstimateRow, OpeReport } from "./ope-report.js";

/** A reward value with as many decimals as its size needs. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return "n/a";
  const a = Math.abs(v);
  const digits = a >= 1000 ? 0 : a >= 10 ? 2 : a >= 1 ? 3 : 4;
  return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const count = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "n/a");

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)];
}

/**
 * A change against the logging policy's value: a percentage of its magnitude ("+12.3%", with two
 * decimals when one would round a real change to zero), or in reward units when that value is 0.
 */
function change(value: number, logging: number): string {
  const sign = value > 0 ? "+" : value < 0 ? "-" : "±";
  if (logging === 0) return `${sign}${formatValue(Math.abs(value))}`;
  const percent = (100 * Math.abs(value)) / Math.abs(logging);
  const text = percent.toFixed(percent > 0 && percent < 0.05 ? 2 : 1);
  return Number(text) === 0 ? "±0.0%" : `${sign}${text}%`;
}

/** One estimates-table row as text cells, for the terminal and the HTML report. */
export function tableCells(r: EstimateRow, logging: number): string[] {
  const interval = Number.isFinite(r.lower) ? `[${formatValue(r.lower)}, ${formatValue(r.upper)}]` : "n/a";
  const vs = r.vsLogging;
  const lift =
    !vs || !Number.isFinite(vs.difference)
      ? ""
      : `${change(vs.difference, logging)}${Number.isFinite(vs.lower) ? ` [${change(vs.lower, logging)}, ${change(vs.upper, logging)}]` : ""}`;
  return [r.label, formatValue(r.estimate), interval, count(r.ess), lift];
}

/**
 * What to conclude, from the doubly robust row: the estimator with the lowest error in the project's
 * validation (docs/ope.md), and its paired interval against the logging policy.
 */
export function reading(report: OpeReport): string {
  const dr = report.estimates.find((r) => r.estimator === "dr");
  const logging = report.logging.estimate;
  const vs = dr?.vsLogging;
  if (!dr || !vs || !Number.isFinite(vs.difference))
    return "reading: no doubly robust estimate to compare with the logging policy";
  const level = `${Math.round(report.options.confidence * 100)}%`;
  const by = change(vs.difference, logging);
  if (!Number.isFinite(vs.lower))
    return `reading: doubly robust puts the target ${by} against the logging policy; without bootstrap replicates there is no interval to judge it by`;
  if (vs.lower === 0 && vs.upper === 0)
    return "reading: the target chooses as the logging policy did on every evaluated row: no difference";
  const interval = `${level} interval ${change(vs.lower, logging)} to ${change(vs.upper, logging)}`;
  const verdict =
    vs.lower > 0
      ? "the target is better than the logging policy on this log"
      : vs.upper < 0
        ? "the target is worse than the logging policy on this log"
        : "no difference from the logging policy is detectable on this log (more decisions narrow the interval)";
  const caveat =
    report.warnings.length > 0 ? " Read the warnings below first: they say where the estimate is weak." : "";
  return `reading: doubly robust puts the target ${by} against the logging policy (${interval}): ${verdict}.${caveat}`;
}

/** "no reward yet 160, nothing served 100": how many rows each cause took, most first. */
export function countByCategory(list: readonly RowIssue[]): string {
  const counts = new Map<string, number>();
  for (const i of list) if (i.category) counts.set(i.category, (counts.get(i.category) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([category, n]) => `${category} ${n.toLocaleString("en-US")}`)
    .join(", ");
}

function issues(title: string, list: readonly RowIssue[], max = 20): string[] {
  if (list.length === 0) return [];
  const shown = list.slice(0, max).map((i) => `  line ${i.line}: ${i.reason}`);
  const more = list.length > max ? [`  ... and ${list.length - max} more`] : [];
  const byCategory = countByCategory(list);
  return [`${title} (${list.length}${byCategory ? `: ${byCategory}` : ""}):`, ...shown, ...more];
}

export function formatReport(report: OpeReport, logName = "log"): string {
  const { log, diagnostics: d } = report;
  const level = `${Math.round(report.options.confidence * 100)}% interval`;
  const out: string[] = [
    "Off-policy evaluation",
    `  log:          ${logName} (${log.format}): ${count(log.read)} rows read, ${count(log.valid)} valid, ${count(log.evaluated)} evaluated` +
      `${log.malformed.length ? `; ${count(log.malformed.length)} malformed` : ""}${log.skipped.length ? `; ${count(log.skipped.length)} skipped` : ""}`,
    `  target:       ${report.target.description}`,
    `  reward model: ${report.rewardModel}`,
    `  bootstrap:    ${report.options.bootstrap} replicates, seed ${report.options.seed}; clipping: ${report.options.clip ?? "off"}`,
    "",
    ...table(
      ["estimator", "estimate", level, "ESS", `vs logging (${level} of the change)`],
      [report.logging, ...report.estimates].map((r) => tableCells(r, report.logging.estimate)),
    ),
    "",
    reading(report),
    "",
    `diagnostics: mean weight ${d.meanWeight.toFixed(3)}, max weight ${formatValue(d.maxWeight)}, ESS ${count(d.ess)} of ${count(d.rows)} (${(100 * d.essShare).toFixed(1)}%)` +
      `${d.clip !== null ? `, clipped ${count(d.clippedRows)} rows (${(100 * d.clippedMass).toFixed(2)}% of the weight)` : ""}`,
  ];
  if (report.target.notes.length > 0) out.push("notes:", ...report.target.notes.map((n) => `  - ${n}`));
  if (report.warnings.length > 0) out.push("warnings:", ...report.warnings.map((w) => `  ! ${w}`));
  out.push(...issues("malformed rows, skipped", log.malformed));
  out.push(...issues("rows without what the evaluation needs, skipped", log.skipped, 5));
  out.push(...issues("rows the target could not be evaluated on", log.unevaluated, 5));
  return `${out.join("\n")}\n`;
}
