/**
 * Training progress on stderr: a cli-progress bar with loss and validation AUC on a terminal, one
 * line per report otherwise (CI logs), nothing when quiet. Networks report every epoch, gbdt every
 * few boosting rounds (the bar counts rounds then); a blend reports its trees' rounds, then its MLP's
 * epochs (a new bar when the unit changes). stdout stays free for the summary.
 */
import cliProgress from "cli-progress";
import type { ProgressUnit } from "../pipeline/train-model.js";
import type { EpochLog } from "../tf/fit-network.js";

export interface EpochProgress {
  onEpoch(log: EpochLog, total: number, unit: ProgressUnit): void;
  stop(): void;
}

export function epochProgress(mode: "auto" | "none"): EpochProgress {
  if (mode === "none") return { onEpoch: () => {}, stop: () => {} };
  if (!process.stderr.isTTY) {
    return {
      onEpoch: (l, n, unit) =>
        process.stderr.write(
          `${unit} ${l.epoch}/${n} loss ${l.loss.toFixed(4)} val loss ${l.valLoss.toFixed(4)} val AUC ${l.valAuc.toFixed(4)} (${l.seconds.toFixed(1)}s)\n`,
        ),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "training [{bar}] {unit} {value}/{total} | loss {loss} | val loss {valLoss} | val AUC {valAuc}",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started: ProgressUnit | undefined;
  return {
    onEpoch(l, n, unit) {
      const payload = {
        unit,
        loss: l.loss.toFixed(4),
        valLoss: l.valLoss.toFixed(4),
        valAuc: l.valAuc.toFixed(4),
      };
      if (started !== unit) {
        if (started) bar.stop();
        bar.start(n, 0, payload);
        started = unit;
      }
      bar.update(l.epoch, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
