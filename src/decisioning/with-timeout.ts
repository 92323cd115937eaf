/**
 * A decision's time budget. Every dependency call of one decision (feature store, contact history,
 * models, contact write) races the same timer, set once per decision: the answer comes within the
 * budget whatever fails, and a decision costs one timer rather than one per call. Late answers are
 * ignored, not awaited.
 */
export class TimeoutError extends Error {}

export interface Outcome<T> {
  readonly value: T;
  /** Why `value` is the fallback: the call failed or the budget ran out. */
  readonly failure?: string;
}

export class Deadline {
  private timer: NodeJS.Timeout | undefined;
  private expiry: Promise<never> | undefined;
  private expired = false;

  constructor(readonly ms: number) {}

  /** The value, or `fallback` with the reason when the call fails or the decision's budget runs out. */
  async orFallback<T>(promise: Promise<T>, what: string, fallback: T): Promise<Outcome<T>> {
    try {
      return { value: await Promise.race([promise, this.expires()]) };
    } catch (err) {
      if (err instanceof TimeoutError) {
        // The call may still settle later: keep its rejection from going unhandled.
        promise.catch(() => undefined);
        return { value: fallback, failure: `${what}: no answer within the decision's ${this.ms} ms budget` };
      }
      return { value: fallback, failure: `${what}: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  /** Stops the timer; call when the decision is done. */
  clear(): void {
    clearTimeout(this.timer);
  }

  private expires(): Promise<never> {
    if (!this.expiry) {
      this.expiry = this.expired
        ? Promise.reject(new TimeoutError())
        : new Promise<never>((_, reject) => {
            this.timer = setTimeout(() => {
              this.expired = true;
              reject(new TimeoutError());
            }, this.ms);
          });
      // Nobody may be racing it when it fires.
      this.expiry.catch(() => undefined);
    }
    return this.expiry;
  }
}
