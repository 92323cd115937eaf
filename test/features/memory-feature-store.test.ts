import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { MemoryFeatureStore } from "../../src/features/memory-feature-store.js";
import { runFeatureStoreContract } from "./feature-store.contract.js";

runFeatureStoreContract("memory", async (options) => new MemoryFeatureStore(FEATURE_PLAN, options));
