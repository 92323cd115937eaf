import { describe, expect, it } from "vitest";
import { behaviourEventSchema } from "../../src/features/event-schema.js";

const base = { eventId: "e1", customerId: "c1", type: "login", channel: "web" };

function timestampProblems(timestamp: unknown) {
  const parsed = behaviourEventSchema.safeParse({ ...base, timestamp });
  return parsed.success
    ? []
    : parsed.error.issues.map((i) => ({ field: i.path.join("."), reason: i.message }));
}

describe("event timestamps", () => {
  it("accepts a zoned ISO-8601 date-time or whole epoch milliseconds, as epoch milliseconds", () => {
    const at = Date.UTC(2026, 0, 31, 12);
    for (const timestamp of ["2026-01-31T12:00:00Z", "2026-01-31T13:00:00+01:00", at]) {
      expect(behaviourEventSchema.parse({ ...base, timestamp }).timestamp).toBe(at);
    }
  });

  it.each([
    ["yesterday", /ISO-8601 date-time with a zone/],
    ["2026-01-31T12:00:00+0100", /ISO-8601 date-time with a zone .*\+01:00/],
    ["2026-01-31T12:00:00", /ISO-8601 date-time with a zone/],
    ["1700000000000", /epoch milliseconds as a JSON number.*\(not a string\)/],
    [1.5, /must be whole epoch milliseconds/],
    [-1, /at or after 1970-01-01/],
    [null, /ISO-8601 date-time with a zone .*, or whole epoch milliseconds/],
    [undefined, /is required: an ISO-8601 date-time/],
  ])("refuses %j saying what is expected", (timestamp, reason) => {
    const problems = timestampProblems(timestamp);
    expect(problems[0]?.field).toBe("timestamp");
    expect(problems[0]?.reason).toMatch(reason);
  });
});
