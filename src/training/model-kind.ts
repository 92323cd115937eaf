/** The kinds of model the trainer makes: two tfjs networks and gradient-boosted trees. */
export const MODEL_KINDS = ["logistic", "mlp", "gbdt"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
/** The kinds trained as tfjs networks (dense layers, exported as Gemm graphs). */
export type NetworkKind = Exclude<ModelKind, "gbdt">;
export const isNetworkKind = (kind: ModelKind): kind is NetworkKind => kind !== "gbdt";
