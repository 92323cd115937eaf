/**
 * The raw rows the ONNX models read: one per candidate, looking inputs up by name without copying
 * the feature vector (customer features, profile, the request's placement, and the action's own
 * attributes).
 */
import type { PolicyAction } from "../policy/index.js";
import type { RawRow, RawValue } from "../scoring/encode-inputs.js";

export interface RowSource {
  readonly features: Readonly<Record<string, number | null>>;
  readonly profile: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
}

/**
 * The context keys a model may read: the placement the service itself puts into the context (from
 * the validated request fields). The caller's free-form context is not a model input: models are
 * trained on features, profile and placement only, so another context key could only replace, under
 * an input's name, a value from those sources by one the model never saw.
 */
export const CONTEXT_INPUTS: ReadonlySet<string> = new Set(["journey", "step", "channel"]);

function customerValue(src: RowSource, name: string): RawValue {
  const f = src.features[name];
  if (f !== undefined) return f;
  if (CONTEXT_INPUTS.has(name)) {
    const c = src.context[name];
    if (c !== undefined) return c as RawValue;
  }
  const p = src.profile[name];
  return typeof p === "string" || typeof p === "number" || typeof p === "boolean" ? p : undefined;
}

export function customerRow(src: RowSource): RawRow {
  return (name) => customerValue(src, name);
}

/** The inputs in which one customer's candidate rows differ: the action's own attributes. */
export const ACTION_INPUTS: readonly string[] = ["actionId", "businessUnit", "actionValue"];

/** The customer's row with every `ACTION_INPUTS` name answered for `action`. */
export function actionRow(src: RowSource, action: PolicyAction): RawRow {
  return (name) => {
    switch (name) {
      case "actionId":
        return action.id;
      case "businessUnit":
        return action.businessUnit;
      case "actionValue":
        return action.value;
      default:
        return customerValue(src, name);
    }
  };
}
