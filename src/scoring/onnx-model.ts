/**
 * A loaded model: its metadata and an onnxruntime session, scoring a whole batch of raw rows in one
 * run. Instances come validated from `loadModelVersion`; the model service swaps them atomically and
 * retires the old one, which is released only once the grace period is over and no run is in flight.
 */
import type { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { Tensor } from "onnxruntime-node";
import { TurnBatcher } from "../concurrency/turn-batcher.js";
import { type EncodedBatch, encodeInputs, type RawRow } from "./encode-inputs.js";
import type { ModelMetadata } from "./model-metadata.js";
import type { ScoringMetrics } from "./scoring-metrics.js";
import { encodeSharedBatch, type SplitInputs, splitInputs } from "./shared-encoding.js";

/** The session options for serving: one thread per session, because the service runs one process per core. */
export const SESSION_OPTIONS: InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: "sequential",
  graphOptimizationLevel: "all",
  logSeverityLevel: 3,
};

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Probabilities from an output tensor [N], [N, 1] or [N, K] (column `column`), after the sigmoid for logits. */
export function outputProbabilities(
  output: OrtTensor,
  rows: number,
  column: number,
  logit: boolean,
): Float64Array {
  const dims = output.dims;
  const columns = dims.length === 2 ? Number(dims[1]) : 1;
  if (dims.length > 2 || dims[0] !== rows || column >= columns) {
    throw new Error(`output has shape [${dims.join(", ")}]; expected [${rows}] or [${rows}, K > ${column}]`);
  }
  const data = output.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new Error(`output is ${output.type}; expected float32 or float64`);
  }
  const result = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const value = data[r * columns + column]!;
    result[r] = logit ? sigmoid(value) : value;
  }
  return result;
}

export interface ScoringOptions {
  /**
   * false: the run is not counted in the scoring metrics (a simulation or warm-up, which must leave
   * no trace in what operators watch). Failures are counted either way.
   */
  readonly metered?: boolean;
}

export class OnnxModel {
  readonly name: string;
  readonly version: string;
  /** When this instance finished loading (epoch ms). */
  readonly loadedAt = Date.now();
  private readonly fetches: string[];
  private readonly logit: boolean;
  /** Input splits by their list of varying columns (weakly held: callers pass one constant list). */
  private readonly splits = new WeakMap<readonly string[], SplitInputs>();
  private inFlight = 0;
  private retired = false;
  private graceOver = false;
  private releasing: Promise<void> | undefined;
  /**
   * The batches of every decision in one event-loop turn go to onnxruntime as one run: a run costs
   * ~13-16 µs whatever its size on this machine, a row ~0.2 µs (bench:decide, BENCHMARKS.md).
   */
  private readonly runs = new TurnBatcher<EncodedBatch, Float64Array>(
    (batches) => this.runTogether(batches),
    64,
  );

  /** Takes ownership of `session` (released by `release`/`retire`). */
  constructor(
    readonly metadata: ModelMetadata,
    private readonly session: InferenceSession,
    private readonly metrics?: ScoringMetrics,
  ) {
    this.name = metadata.name;
    this.version = metadata.version;
    this.fetches = [metadata.onnx.outputName];
    this.logit = metadata.onnx.outputKind === "logit";
  }

  /**
   * P(positive) for each row, in row order, from one batched ONNX run. Inputs missing from a row get
   * the model's default (its metadata `fill`) and are counted in the missing-input metric. Rejects
   * after the model was released (callers take the current model from the service per request).
   */
  async predict(rows: readonly RawRow[], options: ScoringOptions = {}): Promise<Float64Array> {
    if (this.releasing) throw new Error(`Model ${this.name}/${this.version} was released`);
    const started = performance.now();
    return this.run(encodeInputs(this.metadata, rows), started, options);
  }

  /**
   * The same as `predict(rows)` for rows that agree with `shared` on every column not in `varying`
   * (e.g. one customer's row per candidate action, varying in the action's attributes): the inputs that
   * read no varying column are encoded once (src/scoring/shared-encoding.ts).
   */
  async predictShared(
    shared: RawRow,
    rows: readonly RawRow[],
    varying: readonly string[],
    options: ScoringOptions = {},
  ): Promise<Float64Array> {
    if (this.releasing) throw new Error(`Model ${this.name}/${this.version} was released`);
    const started = performance.now();
    let split = this.splits.get(varying);
    if (!split) {
      split = splitInputs(this.metadata, new Set(varying));
      this.splits.set(varying, split);
    }
    return this.run(encodeSharedBatch(split, shared, rows), started, options);
  }

  private async run(batch: EncodedBatch, started: number, options: ScoringOptions): Promise<Float64Array> {
    if (batch.rows === 0) return new Float64Array(0);
    this.inFlight += 1;
    let probabilities: Float64Array;
    try {
      probabilities = await this.runs.add(batch);
    } catch (err) {
      this.metrics?.scoringFailures.inc({ model: this.name });
      throw err;
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0 && this.graceOver) void this.release();
    }
    if (this.metrics && options.metered !== false) {
      for (const [name, count] of batch.missingCounts) {
        this.metrics.missingInputs.inc({ model: this.name, input: name }, count);
      }
      this.metrics.rowsScored.inc({ model: this.name }, batch.rows);
      this.metrics.scoringDuration.observe({ model: this.name }, (performance.now() - started) / 1000);
    }
    return probabilities;
  }

  /** One onnxruntime run over the batches' rows stacked in order; each batch gets its own rows back. */
  private async runTogether(batches: readonly EncodedBatch[]): Promise<Float64Array[]> {
    const width = this.metadata.inputWidth;
    let rows = 0;
    for (const b of batches) rows += b.rows;
    let data = batches[0]!.data;
    if (batches.length > 1) {
      data = new Float32Array(rows * width);
      let at = 0;
      for (const b of batches) {
        data.set(b.data.subarray(0, b.rows * width), at);
        at += b.rows * width;
      }
    }
    const { inputName, outputColumn } = this.metadata.onnx;
    const input = new Tensor("float32", data, [rows, width]);
    const outputs = await this.session.run({ [inputName]: input }, this.fetches);
    const all = outputProbabilities(outputs[this.fetches[0]!]!, rows, outputColumn, this.logit);
    if (batches.length === 1) return [all];
    const results: Float64Array[] = [];
    let from = 0;
    for (const b of batches) {
      results.push(all.slice(from, from + b.rows));
      from += b.rows;
    }
    return results;
  }

  /** Runs in flight right now (requests that took this model before a swap keep using it). */
  get pending(): number {
    return this.inFlight;
  }

  get released(): boolean {
    return this.releasing !== undefined;
  }

  /** Releases the session after `graceMs`, or later once the last run in flight has finished. */
  retire(graceMs: number): void {
    if (this.retired) return;
    this.retired = true;
    const timer = setTimeout(() => {
      this.graceOver = true;
      if (this.inFlight === 0) void this.release();
    }, graceMs);
    timer.unref();
  }

  /** Releases the session now (idempotent). Later `predict` calls reject. */
  release(): Promise<void> {
    this.releasing ??= this.session.release().catch(() => undefined);
    return this.releasing;
  }
}
