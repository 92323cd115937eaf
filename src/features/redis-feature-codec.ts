/**
 * How customer state is spelled in Redis (see docs/redis-layout.md): updates become the ingest
 * script's packed per-customer argument, and the read script's packed reply becomes a CustomerState.
 * Both sides are packed strings because ioredis spends far more per argument or reply element than
 * it does per byte.
 */
import type { BucketUpdate } from "./bucket-updates.js";
import { type CustomerState, emptyCustomerState } from "./customer-state.js";
import type { BehaviourEvent } from "./event-schema.js";
import { customerProfileSchema } from "./profile-schema.js";

const OP_CODE = { incr: "c", add: "a", max: "m", or: "o", last: "l" } as const;

export const LAST_FIELD_PREFIX = "L|";

/**
 * One event as ingest-script tokens: `e<eventId> <ts> ` then `<op><field> <value> ` per update, a
 * latest value already spelled as stored (`<ts>|<eventId>|<value>`). Ids, field names and numbers
 * never contain a space, so a space is a safe separator.
 */
export function encodeEvent(event: BehaviourEvent, updates: readonly BucketUpdate[]): string {
  let out = `e${event.eventId} ${event.timestamp} `;
  for (const u of updates) {
    out +=
      u.op === "last"
        ? `l${LAST_FIELD_PREFIX}${u.seriesId} ${event.timestamp}|${event.eventId}|${u.value} `
        : `${OP_CODE[u.op]}${u.seriesId}|${u.tier}|${u.index} ${u.value} `;
  }
  return out;
}

const UNDERSCORE = 95;
const CAPITAL_L = 76;
const BAR = 124;
const ZERO = 48;

/**
 * Parses the read script's reply: `field\nvalue\n...` (fields in any order) and the profile JSON.
 * Returns null when the customer has no data at all. Scans the string in place rather than splitting
 * it, so a read allocates little more than the state it returns.
 */
export function decodeCustomerState(flat: string, profileJson: string | null): CustomerState | null {
  if (flat === "" && profileJson === null) return null;
  const state = emptyCustomerState();
  if (profileJson !== null) {
    // Written by this service after validation; a failed parse means the key was edited by hand.
    const parsed = customerProfileSchema.safeParse(JSON.parse(profileJson));
    state.profile = parsed.success ? parsed.data : null;
  }
  const end = flat.length;
  let pos = 0;
  while (pos < end) {
    const fieldEnd = flat.indexOf("\n", pos);
    let valueEnd = flat.indexOf("\n", fieldEnd + 1);
    if (valueEnd < 0) valueEnd = end;
    const first = flat.charCodeAt(pos);
    if (first === CAPITAL_L && flat.charCodeAt(pos + 1) === BAR) {
      decodeLast(state, flat.slice(pos + 2, fieldEnd), flat.slice(fieldEnd + 1, valueEnd));
    } else if (first === UNDERSCORE) {
      if (fieldEnd === pos + 2 && flat.charCodeAt(pos + 1) === 116 /* t */) {
        state.lastEventAt = Number(flat.slice(fieldEnd + 1, valueEnd));
      }
    } else {
      decodeBucket(state, flat, pos, fieldEnd, valueEnd);
    }
    pos = valueEnd + 1;
  }
  return state;
}

/** `<seriesId>|<tier>|<index>` at [pos, fieldEnd), its value up to valueEnd. A field without `|` is skipped. */
function decodeBucket(state: CustomerState, flat: string, pos: number, fieldEnd: number, valueEnd: number) {
  const bar = flat.lastIndexOf("|", fieldEnd);
  if (bar < pos) return;
  const key = flat.slice(pos, bar);
  let index = 0;
  for (let i = bar + 1; i < fieldEnd; i++) index = index * 10 + flat.charCodeAt(i) - ZERO;
  let buckets = state.buckets.get(key);
  if (!buckets) {
    buckets = new Map();
    state.buckets.set(key, buckets);
  }
  buckets.set(index, Number(flat.slice(fieldEnd + 1, valueEnd)));
}

function decodeLast(state: CustomerState, seriesId: string, raw: string): void {
  const a = raw.indexOf("|");
  const b = raw.indexOf("|", a + 1);
  state.last.set(seriesId, {
    ts: Number(raw.slice(0, a)),
    eventId: raw.slice(a + 1, b),
    value: Number(raw.slice(b + 1)),
  });
}

/** The ingest script's reply: one '1' (accepted) or '0' (duplicate) per event. */
export function isAccepted(flags: string, i: number): boolean {
  return flags.charCodeAt(i) === 49 /* '1' */;
}
