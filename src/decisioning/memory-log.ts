/**
 * An in-process stand-in for a capped Redis stream: entries with `<ms>-<seq>` ids on an injectable
 * clock, trimmed approximately like `MAXLEN ~`, read by range or by position, with a wait for the
 * next append (what XREADGROUP BLOCK gives the Redis reward source).
 */
import type { LogRangeOptions } from "./decision-log.js";

export interface MemoryLogEntry<T> {
  readonly id: string;
  readonly ms: number;
  /** Absolute position since the log was created; survives trimming. */
  readonly position: number;
  readonly value: T;
}

export class MemoryLog<T> {
  private entries: MemoryLogEntry<T>[] = [];
  private trimmed = 0;
  private lastMs = -1;
  private seq = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly maxLength: number,
    private readonly now: () => number = Date.now,
  ) {}

  append(value: T): string {
    let ms = Math.floor(this.now());
    if (ms <= this.lastMs) {
      ms = this.lastMs;
      this.seq++;
    } else {
      this.seq = 0;
    }
    this.lastMs = ms;
    const id = `${ms}-${this.seq}`;
    this.entries.push({ id, ms, position: this.trimmed + this.entries.length, value });
    // Trim in chunks (a tenth over the cap), like MAXLEN ~, so appends stay O(1) amortised.
    if (this.entries.length > this.maxLength + Math.ceil(this.maxLength / 10)) {
      const drop = this.entries.length - this.maxLength;
      this.entries = this.entries.slice(drop);
      this.trimmed += drop;
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
    return id;
  }

  /** Up to `max` entries from absolute `position` on (skipping trimmed ones). */
  from(position: number, max: number): MemoryLogEntry<T>[] {
    const start = Math.max(0, position - this.trimmed);
    return this.entries.slice(start, start + max);
  }

  /** The position the next append gets. */
  get end(): number {
    return this.trimmed + this.entries.length;
  }

  *range(options: LogRangeOptions = {}): Generator<MemoryLogEntry<T>> {
    const since = options.since ?? Number.NEGATIVE_INFINITY;
    const until = options.until ?? Number.POSITIVE_INFINITY;
    let position = this.trimmed + this.firstAtOrAfter(since);
    for (;;) {
      const [entry] = this.from(position, 1);
      if (!entry || entry.ms > until) return;
      yield entry;
      position = entry.position + 1;
    }
  }

  /** Resolves at the next append, or after `ms`. */
  waitForAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(wake);
    });
  }

  private firstAtOrAfter(ms: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.entries[mid]!.ms < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
