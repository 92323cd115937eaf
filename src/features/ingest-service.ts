/**
 * Ingest: validates each event on its own, checks its time against the horizon and the clock, and
 * writes the good ones in one store call. A bad event is reported by index and never costs a good one.
 */
import type { z } from "zod";
import { type BehaviourEvent, behaviourEventSchema } from "./event-schema.js";
import type { FeatureStore } from "./feature-store.js";

export const MAX_BATCH_EVENTS = 1000;
/**
 * How far ahead of the server clock an event may be dated (producer clock skew). Such an event is
 * accepted but stored at the server's time (`asIngested`).
 */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface RejectedEvent {
  readonly index: number;
  readonly eventId?: string;
  /** Path of the first problem, e.g. `timestamp` or `properties.amount`. */
  readonly field: string;
  readonly reason: string;
  /** Every problem with this event, when there is more than one. */
  readonly issues?: readonly { field: string; reason: string }[];
}

export interface IngestResult {
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: readonly RejectedEvent[];
}

function issuesOf(error: z.ZodError): { field: string; reason: string }[] {
  return error.issues.map((i) => ({ field: i.path.join(".") || "(event)", reason: i.message }));
}

/**
 * A batch's events as the stores keep them: dated no later than the clock that ingested them. A read
 * at time T then never sees an event dated after T, the rule the point-in-time builder applies, so a
 * log replayed at these times gives the online values. Events dated ahead of the clock move to just
 * before it, one millisecond apart in their own order, so the newest still wins "latest" features
 * (all at `now`, the winner would be the larger event id). Anything that keeps accepted events for
 * training must keep them in this form.
 */
export function asIngested(events: readonly BehaviourEvent[], now: number): BehaviourEvent[] {
  const ahead = events
    .map((event, index) => ({ event, index }))
    .filter(({ event }) => event.timestamp > now)
    .sort((a, b) => a.event.timestamp - b.event.timestamp || a.index - b.index);
  const out = [...events];
  ahead.forEach(({ event, index }, rank) => {
    out[index] = { ...event, timestamp: now - (ahead.length - 1 - rank) };
  });
  return out;
}

function eventIdOf(raw: unknown): string | undefined {
  const id = (raw as { eventId?: unknown } | null)?.eventId;
  return typeof id === "string" ? id.slice(0, 128) : undefined;
}

export class IngestService {
  constructor(
    private readonly store: FeatureStore,
    private readonly horizonMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Validates and stores a batch. Throws only when the store fails; part of the batch may then be
   * stored, and a retry of the whole batch reports that part as duplicates and stores the rest.
   */
  async ingest(rawEvents: readonly unknown[]): Promise<IngestResult> {
    const now = this.now();
    const valid: BehaviourEvent[] = [];
    const rejected: RejectedEvent[] = [];
    rawEvents.forEach((raw, index) => {
      const parsed = behaviourEventSchema.safeParse(raw);
      const eventId = eventIdOf(raw);
      if (!parsed.success) {
        const issues = issuesOf(parsed.error);
        rejected.push({
          index,
          ...(eventId ? { eventId } : {}),
          ...issues[0]!,
          ...(issues.length > 1 ? { issues } : {}),
        });
        return;
      }
      const reason = this.timeProblem(parsed.data.timestamp, now);
      if (reason) rejected.push({ index, eventId: parsed.data.eventId, field: "timestamp", reason });
      else valid.push(parsed.data);
    });
    const outcomes = await this.store.writeEvents(asIngested(valid, now));
    const duplicates = outcomes.filter((o) => o === "duplicate").length;
    return { accepted: outcomes.length - duplicates, duplicates, rejected };
  }

  private timeProblem(ts: number, now: number): string | undefined {
    if (ts < now - this.horizonMs) {
      return `is older than the ${this.horizonMs / 86_400_000}-day feature horizon (earliest accepted: ${new Date(now - this.horizonMs).toISOString()})`;
    }
    if (ts > now + FUTURE_TOLERANCE_MS) {
      return `is more than ${FUTURE_TOLERANCE_MS / 60_000} minutes in the future (server time ${new Date(now).toISOString()})`;
    }
    return undefined;
  }
}
