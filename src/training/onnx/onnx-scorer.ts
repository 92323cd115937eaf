/**
 * Scores a float matrix with onnxruntime-node: the runtime the service uses, so training can check
 * the exported file (parity) and score the promoted model on the same held-out rows.
 */
import * as ort from "onnxruntime-node";

export interface OnnxScorer {
  readonly inputName: string;
  readonly outputName: string;
  /** Probabilities (column `outputColumn` of the output), one per row. */
  score(data: Float32Array, rows: number, width: number): Promise<Float32Array>;
  release(): Promise<void>;
}

export async function createOnnxScorer(
  model: string | Uint8Array,
  options: { inputName?: string; outputName?: string; outputColumn?: number; threads?: number } = {},
): Promise<OnnxScorer> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: options.threads ?? 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
  };
  const session =
    typeof model === "string"
      ? await ort.InferenceSession.create(model, sessionOptions)
      : await ort.InferenceSession.create(model, sessionOptions);
  const inputName = options.inputName ?? session.inputNames[0]!;
  const outputName = options.outputName ?? session.outputNames[0]!;
  const column = options.outputColumn ?? 0;
  return {
    inputName,
    outputName,
    async score(data, rows, width) {
      const feeds = { [inputName]: new ort.Tensor("float32", data, [rows, width]) };
      const result = await session.run(feeds);
      const out = result[outputName]!;
      const values = out.data as Float32Array;
      const cols = out.dims.length > 1 ? Number(out.dims[1]) : 1;
      if (cols === 1) return Float32Array.from(values);
      return Float32Array.from({ length: rows }, (_, r) => values[r * cols + column]!);
    },
    release: () => session.release(),
  };
}
