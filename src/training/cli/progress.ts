/**
 * Progress on stderr: a cli-progress bar on a terminal, lines otherwise (CI logs), nothing when
 * quiet. Building generated data reports customers simulated, then feature rows built (a line per
 * tenth off a terminal); training reports every epoch (networks) or every few boosting rounds (gbdt:
 * the bar counts rounds then), with loss and validation AUC; a blend reports its trees' rounds,
 * then its MLP's epochs. Each change of stage or unit starts a new bar. stdout stays free for the
 * summary.
 */
import cliProgress from "cli-progress";
import type { DataProgress } from "../data/generated-rows.js";
import type { ProgressUnit } from "../pipeline/train-model.js";
import type { EpochLog } from "../tf/fit-network.js";

export interface EpochProgress {
  onEpoch(log: EpochLog, total: number, unit: ProgressUnit): void;
  /** Building the training set (generated data). */
  onData(progress: DataProgress): void;
  stop(): void;
}

const DATA_STAGE: Record<DataProgress["phase"], { stage: string; unit: string }> = {
  simulate: { stage: "generating customers", unit: "customers" },
  sort: { stage: "sorting days", unit: "days" },
  features: { stage: "building features", unit: "rows" },
};

const trainingDetail = (l: EpochLog): string =>
  ` | loss ${l.loss.toFixed(4)} | val loss ${l.valLoss.toFixed(4)} | val AUC ${l.valAuc.toFixed(4)}`;

export function epochProgress(mode: "auto" | "none"): EpochProgress {
  if (mode === "none") return { onEpoch: () => {}, onData: () => {}, stop: () => {} };
  if (!process.stderr.isTTY) {
    let last = { phase: "", tenth: 0 };
    return {
      onEpoch: (l, n, unit) =>
        process.stderr.write(
          `${unit} ${l.epoch}/${n} loss ${l.loss.toFixed(4)} val loss ${l.valLoss.toFixed(4)} val AUC ${l.valAuc.toFixed(4)} (${l.seconds.toFixed(1)}s)\n`,
        ),
      onData: (p) => {
        // A line per tenth, not per report: a 100k-customer log stays readable.
        const tenth = Math.floor((10 * p.done) / p.total);
        const before = last.phase === p.phase ? last.tenth : 0;
        if (tenth <= before) return;
        last = { phase: p.phase, tenth };
        const { stage, unit } = DATA_STAGE[p.phase];
        process.stderr.write(`${stage} ${p.done}/${p.total} ${unit}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "{stage} [{bar}] {unit} {value}/{total}{detail}",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started: string | undefined;
  const show = (key: string, value: number, total: number, payload: Record<string, string>) => {
    if (started !== key) {
      if (started) bar.stop();
      bar.start(total, 0, payload);
      started = key;
    }
    bar.update(value, payload);
  };
  return {
    onEpoch(l, n, unit) {
      show(`training ${unit}`, l.epoch, n, { stage: "training", unit, detail: trainingDetail(l) });
    },
    onData(p) {
      const { stage, unit } = DATA_STAGE[p.phase];
      show(stage, p.done, p.total, { stage, unit, detail: "" });
    },
    stop() {
      if (started) bar.stop();
      started = undefined;
    },
  };
}
