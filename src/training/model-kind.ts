/**
 * The kinds of model the trainer makes: two tfjs networks, gradient-boosted trees, and a blend of
 * gradient-boosted trees with an MLP (their logits averaged in one graph).
 */
export const MODEL_KINDS = ["logistic", "mlp", "gbdt", "blend"] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
/** The kinds trained as tfjs networks (dense layers, exported as Gemm graphs). */
export type NetworkKind = "logistic" | "mlp";
export const isNetworkKind = (kind: ModelKind): kind is NetworkKind => kind === "logistic" || kind === "mlp";
/** The kinds with a tfjs network in them (the network kinds and the blend's MLP part). */
export const usesNetwork = (kind: ModelKind): boolean => kind !== "gbdt";
