/**
 * The contract between a trained model and the service: `metadata.json` beside `model.onnx`.
 * Training writes it, the registry validates it before a model may serve, and any ONNX model with a
 * float input [N, F] and a probability output that ships a valid one loads the same way (so models
 * trained elsewhere, e.g. scikit-learn or XGBoost exports, can be served).
 *
 * Registry layout: models/<name>/<version>/{model.onnx, metadata.json, metrics.json, report.html};
 * which version serves is recorded in models/registry.json (see src/scoring/model-registry.ts).
 */
import { z } from "zod";
import { compileFormula, FormulaError, formulaType } from "./encode-inputs.js";

const name = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, "must be lower-case letters, digits, _ or -, starting with a letter");

/**
 * Optional on every input: how to compute it from the row's raw values, e.g.
 * `log1p(min(complaints_30d,3))` or `mul(eq(businessUnit,'cards'),log1p(card_product_views_7d))`
 * (functions in src/scoring/encode-inputs.ts). The encoder always computes it, never reading a value
 * under the input's name. Absent: the input is the raw value of that name (models written before this
 * field, whose names are formulas, are still computed from their names).
 */
const formula = z.string().min(1).optional();

/** A numeric input: missing -> `fill` (raw units), then (x - mean) / scale. */
export const numericInputSchema = z.strictObject({
  type: z.literal("numeric"),
  name: z.string().min(1),
  formula,
  mean: z.number().finite(),
  scale: z.number().finite().positive("must be positive (use 1 for no scaling)"),
  fill: z.number().finite(),
});

/**
 * A categorical input, one-hot encoded over `vocabulary` plus one trailing "unseen" column that
 * catches values not seen in training (a new action, a new segment). Missing -> `fill` if given,
 * else the unseen column.
 */
export const categoricalInputSchema = z.strictObject({
  type: z.literal("categorical"),
  name: z.string().min(1),
  formula,
  vocabulary: z
    .array(z.string())
    .min(1)
    .refine((v) => new Set(v).size === v.length, "must not repeat a value"),
  fill: z.string().optional(),
});

export const modelInputSchema = z.discriminatedUnion("type", [numericInputSchema, categoricalInputSchema]);

export const modelMetadataSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    name,
    kind: z.enum(["logistic", "mlp", "gbdt", "blend", "external"]),
    /** Content hash (hex) of model.onnx and this file's other fields; names the artifact folder. */
    version: z.string().regex(/^[0-9a-f]{12,64}$/, "must be 12-64 lower-case hex characters"),
    task: z.literal("binary_classification"),
    onnx: z.strictObject({
      file: z.string().default("model.onnx"),
      inputName: z.string().min(1),
      outputName: z.string().min(1),
      /** `probability`: the output is P(positive); `logit`: the service applies the sigmoid. */
      outputKind: z.enum(["probability", "logit"]).default("probability"),
      /** For [N, 2] outputs (class probabilities), the column of the positive class. */
      outputColumn: z.number().int().min(0).default(0),
    }),
    /** Raw inputs in the order their encoded columns appear in the model's input. */
    inputs: z.array(modelInputSchema).min(1),
    /** Columns after encoding: numeric 1 each, categorical vocabulary + 1 each. Must match the ONNX input. */
    inputWidth: z.number().int().positive(),
    metrics: z.record(z.string(), z.number()).default({}),
    training: z.strictObject({
      createdAt: z.iso.datetime(),
      command: z.string(),
      seed: z.number().int().optional(),
      rows: z.number().int().nonnegative().optional(),
      dataHash: z.string().optional(),
      target: z.string().optional(),
      positiveValue: z.union([z.string(), z.number(), z.boolean()]).optional(),
      source: z.string().optional(),
    }),
  })
  .superRefine((m, ctx) => {
    const width = m.inputs.reduce((w, i) => w + (i.type === "numeric" ? 1 : i.vocabulary.length + 1), 0);
    if (width !== m.inputWidth) {
      ctx.addIssue({
        code: "custom",
        path: ["inputWidth"],
        message: `is ${m.inputWidth} but the inputs encode to ${width} columns`,
      });
    }
    const seen = new Set<string>();
    m.inputs.forEach((input, i) => {
      if (seen.has(input.name))
        ctx.addIssue({ code: "custom", path: ["inputs", i, "name"], message: `repeats input ${input.name}` });
      seen.add(input.name);
      if (input.formula === undefined) return;
      try {
        compileFormula(input.formula);
        const kind = formulaType(input.formula);
        if (kind !== input.type)
          ctx.addIssue({
            code: "custom",
            path: ["inputs", i, "formula"],
            message: `gives ${kind} values but the input is ${input.type}`,
          });
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
        ctx.addIssue({ code: "custom", path: ["inputs", i, "formula"], message: e.message });
      }
    });
  });

export type ModelMetadata = z.output<typeof modelMetadataSchema>;
export type ModelInput = z.output<typeof modelInputSchema>;
