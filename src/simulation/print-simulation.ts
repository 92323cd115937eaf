/** Terminal rendering of a simulation report: the mix per action and business unit, removals, value. */
import { formatReport } from "../ope/index.js";
import type { SimulationReport } from "./policy-simulator.js";
import type { OffPolicyEstimate } from "./run-simulation.js";

const pct = (x: number | undefined): string => `${((x ?? 0) * 100).toFixed(1)}%`;
const signed = (x: number): string => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)} pt`;

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export function formatSimulation(report: SimulationReport & { offPolicy?: OffPolicyEstimate }): string {
  const { draft, current } = report;
  const actions = [...new Set([...Object.keys(draft.byAction), ...Object.keys(current.byAction)])].sort(
    (a, b) => (draft.byAction[b] ?? 0) - (draft.byAction[a] ?? 0),
  );
  const units = [
    ...new Set([...Object.keys(draft.byBusinessUnit), ...Object.keys(current.byBusinessUnit)]),
  ].sort();
  const stages = [...new Set([...Object.keys(draft.removed), ...Object.keys(current.removed)])];
  const removedRows = stages.flatMap((stage) => {
    const ids = new Set([
      ...Object.keys(draft.removed[stage] ?? {}),
      ...Object.keys(current.removed[stage] ?? {}),
    ]);
    return [...ids].map((id) => [
      `${stage}: ${id}`,
      pct(current.removed[stage]?.[id]),
      pct(draft.removed[stage]?.[id]),
    ]);
  });
  return [
    `Simulated ${report.decisions.toLocaleString()} decisions in ${report.seconds.toFixed(2)} s (current ${current.policyVersion}, draft ${draft.policyVersion}).`,
    "",
    "Served actions (share of decisions)",
    table(
      ["action", "current", "draft", "change"],
      actions.map((a) => [
        a,
        pct(current.byAction[a]),
        pct(draft.byAction[a]),
        signed(report.difference.byAction[a] ?? 0),
      ]),
    ),
    "",
    "By business unit",
    table(
      ["business unit", "current", "draft"],
      units.map((u) => [u, pct(current.byBusinessUnit[u]), pct(draft.byBusinessUnit[u])]),
    ),
    "",
    // Not "before ranking": top_k removes ranked actions the response could not take (diversity, caps).
    "Removed, by the stage that removed it (share of decisions)",
    removedRows.length ? table(["stage: action", "current", "draft"], removedRows) : "(nothing removed)",
    "",
    `Decisions serving an action: current ${pct(current.servedShare)}, draft ${pct(draft.servedShare)}`,
    `Expected value per decision (propensity x value): current ${current.expectedValuePerDecision.toFixed(2)} EUR, draft ${draft.expectedValuePerDecision.toFixed(2)} EUR (${report.difference.expectedValuePerDecision >= 0 ? "+" : ""}${report.difference.expectedValuePerDecision.toFixed(2)})`,
    "",
    report.offPolicy?.available
      ? `Off-policy estimate of the draft from the decision log:\n${formatReport(report.offPolicy.report)}`
      : `Off-policy estimate: not available (${report.offPolicy?.reason ?? "no decision log"})`,
  ].join("\n");
}
