/**
 * Prometheus metrics of model serving, registered on the registry passed in (the app's own, so apps and
 * tests share no global state): loads and refusals, the version each model serves, missing inputs
 * (the encoder's "missing feature -> the model's default, counted here"), scoring latency and failures.
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";

export type LoadOutcome = "loaded" | "refused";

export class ScoringMetrics {
  /** Model versions loaded or refused, by model name and outcome. */
  readonly modelLoads: Counter<"model" | "outcome">;
  /** 1 for the version each model serves (the label set is replaced on a swap). */
  readonly modelVersion: Gauge<"model" | "version">;
  /** Rows scored with an input missing (and filled with the model's default), by model and input. */
  readonly missingInputs: Counter<"model" | "input">;
  readonly rowsScored: Counter<"model">;
  readonly scoringFailures: Counter<"model">;
  /** Seconds per batched `predict` (encode + one ONNX run + post-processing), by model. */
  readonly scoringDuration: Histogram<"model">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.modelLoads = new Counter({
      name: "nba_model_loads_total",
      help: "Model versions loaded (outcome=loaded) or refused as corrupt or incompatible (outcome=refused)",
      labelNames: ["model", "outcome"] as const,
      registers,
    });
    this.modelVersion = new Gauge({
      name: "nba_model_version_info",
      help: "1 for the model version that serves each model name",
      labelNames: ["model", "version"] as const,
      registers,
      // In cluster mode the primary aggregates the workers' registries: an info gauge stays 1.
      aggregator: "max",
    });
    this.missingInputs = new Counter({
      name: "nba_model_missing_inputs_total",
      help: "Scored rows in which an input was missing and filled with the model's default, by model and input",
      labelNames: ["model", "input"] as const,
      registers,
    });
    this.rowsScored = new Counter({
      name: "nba_model_rows_scored_total",
      help: "Rows scored by model",
      labelNames: ["model"] as const,
      registers,
    });
    this.scoringFailures = new Counter({
      name: "nba_model_scoring_failures_total",
      help: "predict calls that failed, by model",
      labelNames: ["model"] as const,
      registers,
    });
    this.scoringDuration = new Histogram({
      name: "nba_model_scoring_seconds",
      help: "Latency of one batched predict (encode, ONNX run, post-processing) by model",
      labelNames: ["model"] as const,
      buckets: [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.05],
      registers,
    });
  }

  /** Records which version now serves `model`, dropping the previous version's label set. */
  served(model: string, version: string, previous: string | undefined): void {
    if (previous !== undefined && previous !== version)
      this.modelVersion.remove({ model, version: previous });
    this.modelVersion.set({ model, version }, 1);
  }
}
