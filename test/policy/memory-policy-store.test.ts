import { MemoryPolicyStore } from "../../src/policy/memory-policy-store.js";
import { runPolicyStoreContract } from "./policy-store.contract.js";

runPolicyStoreContract("memory", async (now) => new MemoryPolicyStore(now));
