import { createMemoryDecisionStores } from "../../src/decisioning/memory-decision-stores.js";
import { MemoryRewardStore } from "../../src/decisioning/memory-reward-store.js";
import { runDecisionLogContract } from "./decision-log.contract.js";
import type { DecisionStoresFactory } from "./decision-stores.js";
import { runRewardSourceContract } from "./reward-source.contract.js";
import { runRewardStoreContract } from "./reward-store.contract.js";

const makeStores: DecisionStoresFactory = (options = {}) => {
  const stores = createMemoryDecisionStores(options);
  return {
    log: stores.decisionLog,
    rewards: stores.rewardStore,
    rewardsElsewhere: new MemoryRewardStore(stores.decisionLog, stores.rewardLog),
    source: (o) => stores.rewardSource(o),
  };
};

runDecisionLogContract("memory", makeStores);
runRewardStoreContract("memory", makeStores);
runRewardSourceContract("memory", makeStores);
