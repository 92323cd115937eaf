/**
 * The shapes of model names and versions (the same rules as metadata.json's `name` and `version`):
 * they become folder names, so anything else (a `..`, a slash) is refused before it touches the disk.
 */
import { z } from "zod";

export const MODEL_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
export const MODEL_VERSION_PATTERN = /^[0-9a-f]{12,64}$/;

export const modelNameSchema = z
  .string()
  .regex(
    MODEL_NAME_PATTERN,
    "must be a model name: lower-case letters, digits, _ or -, starting with a letter",
  );
export const modelVersionSchema = z
  .string()
  .regex(MODEL_VERSION_PATTERN, "must be a model version: 12-64 lower-case hex characters");
