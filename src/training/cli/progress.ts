/**
 * Epoch progress on stderr: a cli-progress bar with loss and validation AUC on a terminal, one line
 * per epoch otherwise (CI logs), nothing when quiet. stdout stays free for the summary.
 */
import cliProgress from "cli-progress";
import type { EpochLog } from "../tf/fit-network.js";

export interface EpochProgress {
  onEpoch(log: EpochLog, epochs: number): void;
  stop(): void;
}

export function epochProgress(mode: "auto" | "none"): EpochProgress {
  if (mode === "none") return { onEpoch: () => {}, stop: () => {} };
  if (!process.stderr.isTTY) {
    return {
      onEpoch: (l, n) =>
        process.stderr.write(
          `epoch ${l.epoch}/${n} loss ${l.loss.toFixed(4)} val loss ${l.valLoss.toFixed(4)} val AUC ${l.valAuc.toFixed(4)} (${l.seconds.toFixed(1)}s)\n`,
        ),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "training [{bar}] epoch {value}/{total} | loss {loss} | val loss {valLoss} | val AUC {valAuc}",
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onEpoch(l, n) {
      const payload = { loss: l.loss.toFixed(4), valLoss: l.valLoss.toFixed(4), valAuc: l.valAuc.toFixed(4) };
      if (!started) {
        bar.start(n, 0, payload);
        started = true;
      }
      bar.update(l.epoch, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
