/**
 * The policy a process without a PolicyService (the learner) should follow: the one active in the
 * shared store, which a PUT or rollback may have changed, or the file when none was ever activated.
 */

import type { Policy } from "./compiled-policy.js";
import { loadPolicy, loadPolicyFile } from "./load-policy.js";
import type { PolicyStore } from "./policy-store.js";

export async function activePolicyOrFile(store: PolicyStore, file: string): Promise<Policy> {
  const { activeVersion } = await store.state();
  const stored = activeVersion === undefined ? undefined : await store.get(activeVersion);
  return stored
    ? loadPolicy(stored.document, { fileName: `active policy ${activeVersion} (stored)` })
    : loadPolicyFile(file);
}
