/**
 * 422: a model version that may not serve: its metadata.json or model.onnx failed validation. Each
 * problem names the file it is about, so the message says what to fix where.
 */
import { AppError } from "./app-error.js";

export interface ModelProblem {
  /** The file the problem is in (as a path under the models folder). */
  readonly file: string;
  readonly problem: string;
}

export class ModelInvalidError extends AppError {
  readonly statusCode = 422;
  readonly code = "model_invalid";

  constructor(
    readonly modelName: string,
    readonly version: string,
    readonly problems: readonly ModelProblem[],
  ) {
    super(
      `Model ${modelName}/${version} refused: ${problems.map((p) => `${p.file}: ${p.problem}`).join("; ")}`,
    );
  }

  override toJSON() {
    return { error: { code: this.code, message: this.message, details: this.problems } };
  }
}
