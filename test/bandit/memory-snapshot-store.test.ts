import { MemorySnapshotStore } from "../../src/bandit/memory-snapshot-store.js";
import { runSnapshotStoreContract } from "./snapshot-store.contract.js";

runSnapshotStoreContract("memory", async () => new MemorySnapshotStore());
