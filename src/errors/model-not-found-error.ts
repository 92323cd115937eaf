/** 404: a model name, or a version of it, that is not in the model registry folder. */
import { AppError } from "./app-error.js";

export class ModelNotFoundError extends AppError {
  readonly statusCode = 404;
  readonly code = "model_not_found";
}
