/**
 * The embedded policy store: versions and history in process memory, for one process (and tests).
 * Every method finishes its change synchronously, so each call is atomic with respect to the others.
 */
import { PolicyVersionNotFoundError } from "../errors/policy-version-not-found-error.js";
import {
  type ActivationOutcome,
  POLICY_HISTORY_LIMIT,
  type PolicyActivation,
  type PolicySource,
  type PolicyStore,
  type PolicyStoreState,
  type PolicyVersionInfo,
  type StoredPolicy,
  versionsFromHistory,
} from "./policy-store.js";

export class MemoryPolicyStore implements PolicyStore {
  readonly kind = "memory";
  // Documents are kept as JSON text, as Redis keeps them, so callers never share mutable objects.
  private readonly documents = new Map<string, string>();
  private readonly latest = new Map<string, PolicyActivation>();
  private history_: PolicyActivation[] = [];
  private active: string | undefined;
  private revision = 0;

  constructor(private readonly now: () => number = Date.now) {}

  private record(version: string, source: PolicySource): ActivationOutcome {
    const activation = { version, activatedAt: this.now(), source };
    this.active = version;
    this.latest.set(version, activation);
    this.history_.unshift(activation);
    if (this.history_.length > POLICY_HISTORY_LIMIT) this.history_.length = POLICY_HISTORY_LIMIT;
    this.revision += 1;
    return { revision: this.revision, activation };
  }

  async activate(version: string, document: unknown, source: PolicySource): Promise<ActivationOutcome> {
    if (!this.documents.has(version)) this.documents.set(version, JSON.stringify(document));
    return this.record(version, source);
  }

  async rollback(version: string): Promise<ActivationOutcome> {
    if (!this.documents.has(version)) throw new PolicyVersionNotFoundError(version);
    return this.record(version, "rollback");
  }

  async state(): Promise<PolicyStoreState> {
    return { revision: this.revision, activeVersion: this.active };
  }

  async get(version: string): Promise<StoredPolicy | undefined> {
    const text = this.documents.get(version);
    const activation = this.latest.get(version);
    if (text === undefined || activation === undefined) return undefined;
    return { ...activation, active: version === this.active, document: JSON.parse(text) };
  }

  async history(): Promise<PolicyActivation[]> {
    return [...this.history_];
  }

  async versions(): Promise<PolicyVersionInfo[]> {
    return versionsFromHistory(this.history_, this.active);
  }

  async close(): Promise<void> {}
}
