/**
 * How customer state is spelled in Redis (see docs/redis-layout.md): updates become the ingest
 * script's arguments, and the read script's packed reply becomes a CustomerState.
 */
import type { BucketUpdate } from "./bucket-updates.js";
import { type CustomerState, emptyCustomerState } from "./customer-state.js";
import type { BehaviourEvent } from "./event-schema.js";
import { customerProfileSchema } from "./profile-schema.js";

const OP_CODE = { incr: "c", add: "a", max: "m", or: "o", last: "l" } as const;

export const LAST_FIELD_PREFIX = "L|";

/** Appends one event's ingest-script arguments: eventId, timestamp, update count, then op/field/value triples. */
export function appendEventArgs(
  args: (string | number)[],
  event: BehaviourEvent,
  updates: readonly BucketUpdate[],
): void {
  args.push(event.eventId, event.timestamp, updates.length);
  for (const u of updates) {
    const field =
      u.op === "last" ? `${LAST_FIELD_PREFIX}${u.seriesId}` : `${u.seriesId}|${u.tier}|${u.index}`;
    args.push(OP_CODE[u.op], field, u.value);
  }
}

/** Parses the read script's reply. Returns null when the customer has no data at all. */
export function decodeCustomerState(flat: string, profileJson: string | null): CustomerState | null {
  if (flat === "" && profileJson === null) return null;
  const state = emptyCustomerState();
  if (profileJson !== null) {
    // Written by this service after validation; a failed parse means the key was edited by hand.
    const parsed = customerProfileSchema.safeParse(JSON.parse(profileJson));
    state.profile = parsed.success ? parsed.data : null;
  }
  if (flat === "") return state;
  const parts = flat.split("\n");
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const field = parts[i]!;
    const raw = parts[i + 1]!;
    if (field.startsWith(LAST_FIELD_PREFIX)) {
      const a = raw.indexOf("|");
      const b = raw.indexOf("|", a + 1);
      state.last.set(field.slice(LAST_FIELD_PREFIX.length), {
        ts: Number(raw.slice(0, a)),
        eventId: raw.slice(a + 1, b),
        value: Number(raw.slice(b + 1)),
      });
    } else if (field === "_t") {
      state.lastEventAt = Number(raw);
    } else if (field.charCodeAt(0) !== 95 /* "_" */) {
      const cut = field.lastIndexOf("|");
      const key = field.slice(0, cut);
      let buckets = state.buckets.get(key);
      if (!buckets) {
        buckets = new Map();
        state.buckets.set(key, buckets);
      }
      buckets.set(Number(field.slice(cut + 1)), Number(raw));
    }
  }
  return state;
}
