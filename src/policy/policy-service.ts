/**
 * Holds the active compiled policy in memory for the hot path (`current()` does no I/O) and changes it
 * safely: validate first, then activate in the store, then swap. Invalid input never replaces a working
 * policy. Other replicas' activations are picked up by polling the store's revision; a policy file
 * can be watched and is re-applied when its content changes.
 */
import { readFile } from "node:fs/promises";
import type { Logger } from "pino";
import { ServiceUnavailableError } from "../errors/http-errors.js";
import { PolicyVersionNotFoundError } from "../errors/policy-version-not-found-error.js";
import { ValidationError } from "../errors/validation-error.js";
import type { Policy } from "./compiled-policy.js";
import { loadPolicy, type PolicyTextOptions, tryLoadPolicy, validatePolicy } from "./load-policy.js";
import { type PolicyFileWatch, watchPolicyFile } from "./policy-file-watcher.js";
import { describePolicyErrors } from "./policy-problems.js";
import type {
  PolicyActivation,
  PolicySource,
  PolicyStore,
  PolicyVersionInfo,
  StoredPolicy,
} from "./policy-store.js";

/** The policy decisions use right now, with how it became active. */
export interface ActivePolicy {
  readonly policy: Policy;
  readonly activatedAt: number;
  readonly source: PolicySource;
}

/** The answer to put/rollback. `changed` is false when the content already was the active policy. */
export interface PolicyChange extends PolicyActivation {
  readonly previousVersion: string | undefined;
  readonly changed: boolean;
}

export interface PolicyServiceOptions {
  readonly logger: Logger;
  /** How often to look for activations made by other replicas, ms (default 500). */
  readonly pollIntervalMs?: number;
  /** Quiet period after a policy file changes before it is read, ms (default 150). */
  readonly debounceMs?: number;
}

export class PolicyService {
  private active: ActivePolicy | undefined;
  private appliedRevision = -1;
  // Bumped by every local swap, so a poll that started before it cannot swap in an older policy.
  private generation = 0;
  private polling = false;
  private poller: NodeJS.Timeout | undefined;
  private watch: PolicyFileWatch | undefined;
  private lastFileText: string | undefined;
  private fileQueue: Promise<void> = Promise.resolve();
  private rejectedVersion: string | undefined;
  private lastPollWarning = 0;
  private fileToRetry: { path: string; activeAtFailure: string | undefined } | undefined;
  private lastFileFailureLog = 0;
  private readonly listeners = new Set<(active: ActivePolicy) => void>();
  private readonly logger: Logger;

  /** The service owns `store`: `close()` closes it. */
  constructor(
    private readonly store: PolicyStore,
    private readonly options: PolicyServiceOptions,
  ) {
    this.logger = options.logger;
  }

  /** Loads the store's active policy (if any) and starts watching the store for other replicas' changes. */
  async start(): Promise<void> {
    await this.poll();
    this.poller = setInterval(() => {
      void this.poll();
      // A file edit the store could not take is tried again until it lands: no further edit may come.
      // Unless another policy was activated meanwhile (a PUT, a rollback): the edit must not undo it.
      const retry = this.fileToRetry;
      this.fileToRetry = undefined;
      if (retry !== undefined && this.active?.policy.version === retry.activeAtFailure)
        this.queueFileSync(retry.path);
    }, this.options.pollIntervalMs ?? 500);
    this.poller.unref();
  }

  /** The active policy, from memory. Throws 503 until a policy has been activated. */
  current(): ActivePolicy {
    if (this.active === undefined) {
      throw new ServiceUnavailableError("No policy is active yet: set POLICY_FILE or PUT /v1/policies");
    }
    return this.active;
  }

  hasPolicy(): boolean {
    return this.active !== undefined;
  }

  /** Calls `listener` after every swap (local or from another replica); returns an unsubscribe function. */
  onChange(listener: (active: ActivePolicy) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  versions(): Promise<PolicyVersionInfo[]> {
    return this.store.versions();
  }

  async get(version: string): Promise<StoredPolicy> {
    const stored = await this.store.get(version);
    if (stored === undefined) throw new PolicyVersionNotFoundError(version);
    return stored;
  }

  /** Validates `input` (YAML/JSON text or parsed data) and activates it. Throws ValidationError listing every problem. */
  async put(
    input: unknown,
    source: PolicySource = "api",
    options: PolicyTextOptions = {},
  ): Promise<PolicyChange> {
    return this.activate(loadPolicy(input, options), source);
  }

  /** Re-activates a stored version. Throws PolicyVersionNotFoundError, or ValidationError if this code rejects it. */
  async rollback(version: string): Promise<PolicyChange> {
    const stored = await this.get(version);
    const result = validatePolicy(stored.document);
    if (!result.ok) throw new ValidationError(result.problems, `stored policy ${version}`);
    const previousVersion = this.active?.policy.version;
    const outcome = await this.store.rollback(version);
    this.swap(result.policy, outcome.activation, outcome.revision);
    return { ...outcome.activation, previousVersion, changed: previousVersion !== version };
  }

  /**
   * Applies the file now (throws if it is unreadable or invalid while no policy is active), then
   * re-applies it whenever its content changes. An invalid edit is logged and the current policy stays.
   * At start-up a file already applied before does not override a later API change or rollback.
   */
  async watchFile(path: string): Promise<void> {
    await this.poll(); // know the store's active policy before deciding whether the file overrides it
    await this.syncFile(path, true);
    this.watch?.close();
    this.watch = watchPolicyFile(path, {
      debounceMs: this.options.debounceMs ?? 150,
      onChange: () => this.queueFileSync(path),
      onError: (err) => this.logger.error({ err, file: path }, "policy file watch failed"),
    });
  }

  private queueFileSync(path: string): void {
    this.fileQueue = this.fileQueue
      .then(() => this.syncFile(path, false))
      .catch((err: unknown) => {
        // Retried every poll while the store is down: one line per 10 s says it all.
        if (Date.now() - this.lastFileFailureLog < 10_000) return;
        this.lastFileFailureLog = Date.now();
        this.logger.error({ err, file: path }, "policy file could not be applied; retrying");
      });
  }

  async close(): Promise<void> {
    clearInterval(this.poller);
    this.watch?.close();
    await this.fileQueue;
    await this.store.close();
  }

  private async activate(policy: Policy, source: PolicySource): Promise<PolicyChange> {
    const previous = this.active;
    // Compare with the store too: this replica may not have seen another replica's change yet.
    if (
      previous?.policy.version === policy.version &&
      (await this.store.state()).activeVersion === policy.version
    ) {
      return {
        version: policy.version,
        activatedAt: previous.activatedAt,
        source: previous.source,
        previousVersion: policy.version,
        changed: false,
      };
    }
    const outcome = await this.store.activate(policy.version, policy.document, source);
    this.swap(policy, outcome.activation, outcome.revision);
    this.logger.info(
      { version: policy.version, previous: previous?.policy.version, source },
      "policy activated",
    );
    return { ...outcome.activation, previousVersion: previous?.policy.version, changed: true };
  }

  private swap(policy: Policy, activation: PolicyActivation, revision: number): void {
    this.generation += 1;
    this.appliedRevision = revision;
    this.active = { policy, activatedAt: activation.activatedAt, source: activation.source };
    for (const listener of this.listeners) {
      try {
        listener(this.active);
      } catch (err) {
        this.logger.error({ err }, "policy change listener failed");
      }
    }
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    const generation = this.generation;
    try {
      const state = await this.store.state();
      if (state.revision === this.appliedRevision || state.activeVersion === undefined) return;
      const version = state.activeVersion;
      if (version === this.active?.policy.version || version === this.rejectedVersion) {
        this.appliedRevision = state.revision;
        return;
      }
      const stored = await this.store.get(version);
      if (stored === undefined || generation !== this.generation) return;
      const result = validatePolicy(stored.document);
      if (!result.ok) {
        this.rejectedVersion = version;
        this.logger.error(
          { version, problems: result.problems },
          `${describePolicyErrors(result.problems, `stored policy ${version}`)}\nkeeping the current policy`,
        );
        return;
      }
      const first = this.active === undefined;
      this.swap(result.policy, stored, state.revision);
      this.logger.info(
        { version, source: stored.source },
        first ? "policy loaded from the store" : "policy changed in the store; now active here",
      );
    } catch (err) {
      if (Date.now() - this.lastPollWarning > 10_000) {
        this.lastPollWarning = Date.now();
        this.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          this.active === undefined
            ? "policy store poll failed; no policy is active yet, decisions answer 503 until one loads"
            : "policy store poll failed; keeping the current policy",
        );
      }
    } finally {
      this.polling = false;
    }
  }

  private async syncFile(path: string, startup: boolean): Promise<void> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if (startup && this.active === undefined) throw err;
      this.logger.warn(
        { file: path, err: (err as Error).message },
        "policy file unreadable; keeping the current policy",
      );
      return;
    }
    if (text === this.lastFileText) return;
    this.lastFileText = text;
    const result = tryLoadPolicy(text, { fileName: path });
    if (!result.ok) {
      if (startup && this.active === undefined)
        throw new ValidationError(result.problems, `policy file ${path}`);
      const keeping = this.active ? `keeping version ${this.active.policy.version}` : "no policy is active";
      this.logger.error(
        { file: path, problems: result.problems },
        `${describePolicyErrors(result.problems, `policy file ${path}`)}\n${keeping}`,
      );
      return;
    }
    const { policy } = result;
    if (policy.version === this.active?.policy.version) return;
    try {
      if (this.active !== undefined) {
        const lastFromFile = (await this.store.history()).find((a) => a.source === "file");
        if (lastFromFile?.version === policy.version) {
          this.logger.info(
            { file: path, version: policy.version, active: this.active.policy.version },
            "policy file unchanged since it was last applied; keeping the active policy set through the API",
          );
          return;
        }
      }
      await this.activate(policy, "file");
    } catch (err) {
      // The store did not take it: nothing changed. Retry on the next poll, even with the same text.
      this.lastFileText = undefined;
      this.fileToRetry = { path, activeAtFailure: this.active?.policy.version };
      throw err;
    }
  }
}
