/**
 * 500: models/registry.json exists but cannot be read or is not valid. Nothing is promoted or rolled
 * back over it, so a hand edit is never silently overwritten; the message names the file and the fix.
 */
import { AppError } from "./app-error.js";

export class ModelRegistryError extends AppError {
  readonly statusCode = 500;
  readonly code = "model_registry_invalid";
}
