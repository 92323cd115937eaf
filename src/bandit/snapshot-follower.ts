/**
 * A replica's view of the bandit: serves the latest valid snapshot from memory, polls the store's
 * version every 250 ms, and swaps in a new bandit (decoded and validated off the decision path)
 * when the version changes. A snapshot that fails validation, or was learned over another context
 * schema, is refused once (and reported); the bandit already serving keeps serving.
 */
import type { Bandit, BanditConfig } from "./bandit.js";
import { type DecodedSnapshot, decodeSnapshot } from "./bandit-snapshot.js";
import { createBandit, fromSnapshot } from "./create-bandit.js";
import type { SnapshotStore } from "./snapshot-store.js";

export interface SnapshotFollowerOptions {
  readonly pollIntervalMs?: number;
  /** Context schema this process encodes with; snapshots over another one are refused. */
  readonly contextSchema?: string;
  /**
   * Settings to serve a snapshot's arms with (e.g. the active policy's algorithm); default: the
   * snapshot's own. Must keep the snapshot's context schema and scorer.
   */
  readonly configure?: (snapshot: BanditConfig) => BanditConfig;
  readonly onSwap?: (version: string, previous: string | undefined) => void;
  readonly onRefused?: (version: string, reason: string) => void;
  /** A poll that could not reach the store (the current bandit keeps serving). */
  readonly onError?: (err: unknown) => void;
}

export class SnapshotFollower {
  private bandit: Bandit;
  private currentVersion: string | undefined;
  /** The serving snapshot's learned state, kept so new settings can be applied to it (`reconfigure`). */
  private state: DecodedSnapshot["state"] | undefined;
  private readonly refused = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  /** `initial` serves until a snapshot arrives (e.g. a cold bandit with the policy's settings). */
  constructor(
    private readonly store: SnapshotStore,
    initial: Bandit,
    private readonly options: SnapshotFollowerOptions = {},
  ) {
    this.bandit = initial;
  }

  /** The bandit to decide with now. No I/O. */
  current(): Bandit {
    return this.bandit;
  }

  /** Version of the snapshot serving, undefined before the first one. */
  version(): string | undefined {
    return this.currentVersion;
  }

  /**
   * Serves the current snapshot's arms under the settings `configure` gives now (e.g. after the policy
   * changed its algorithm or draws), or `cold()` before any snapshot. Settings that cannot apply to the
   * learned arms (another scorer or context schema) are reported and the bandit serving keeps serving.
   */
  reconfigure(cold: () => Bandit): void {
    try {
      this.bandit = this.state
        ? fromSnapshot(this.state, this.options.configure?.(this.state.config))
        : cold();
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  /**
   * The serving snapshot's arms under `config` (their scorer kept: it is what they were learned with),
   * or a cold bandit with `config` before any snapshot: what a draft policy would serve. No I/O.
   */
  withSettings(config: BanditConfig): Bandit {
    return this.state
      ? fromSnapshot(this.state, { ...config, scorer: this.state.config.scorer })
      : createBandit(config);
  }

  /** Loads the latest snapshot (awaited), then keeps polling in the background. */
  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.options.pollIntervalMs ?? 250);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One poll; true when a new snapshot was swapped in. Never throws. */
  async poll(): Promise<boolean> {
    if (this.polling) return false;
    this.polling = true;
    try {
      const latest = await this.store.latestVersion();
      if (latest === undefined || latest === this.currentVersion || this.refused.has(latest)) return false;
      const stored = await this.store.latest();
      if (!stored || stored.version === this.currentVersion || this.refused.has(stored.version)) return false;
      let decoded: DecodedSnapshot;
      let bandit: Bandit;
      try {
        decoded = decodeSnapshot(stored.text);
        this.check(decoded.state.config, stored.version, decoded.version);
        bandit = fromSnapshot(decoded.state, this.options.configure?.(decoded.state.config));
      } catch (err) {
        this.refused.add(stored.version);
        this.options.onRefused?.(stored.version, err instanceof Error ? err.message : String(err));
        return false;
      }
      const previous = this.currentVersion;
      this.bandit = bandit;
      this.state = decoded.state;
      this.currentVersion = decoded.version;
      this.options.onSwap?.(decoded.version, previous);
      return true;
    } catch (err) {
      this.options.onError?.(err);
      return false;
    } finally {
      this.polling = false;
    }
  }

  private check(config: BanditConfig, storedVersion: string, decodedVersion: string): void {
    if (storedVersion !== decodedVersion)
      throw new Error(`version key says ${storedVersion} but the snapshot is ${decodedVersion}`);
    const schema = this.options.contextSchema;
    if (schema !== undefined && config.contextSchema !== schema)
      throw new Error(
        `snapshot context schema ${config.contextSchema} differs from this process's ${schema}`,
      );
  }
}
