/**
 * The raw rows the ONNX models read: one per candidate, looking inputs up by name without copying
 * the feature vector (customer features, profile, request context, and the action's own attributes).
 */
import type { PolicyAction } from "../policy/index.js";
import type { RawRow, RawValue } from "../scoring/encode-inputs.js";

export interface RowSource {
  readonly features: Readonly<Record<string, number | null>>;
  readonly profile: Readonly<Record<string, unknown>>;
  readonly context: Readonly<Record<string, unknown>>;
}

function customerValue(src: RowSource, name: string): RawValue {
  const f = src.features[name];
  if (f !== undefined) return f;
  const c = src.context[name];
  if (c !== undefined) return c as RawValue;
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
