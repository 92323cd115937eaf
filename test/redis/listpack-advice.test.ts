import { afterAll, describe, expect, it } from "vitest";
import { connectRedis } from "../../src/redis/connect.js";
import { adviceFor, listpackAdvice, RECOMMENDED_LISTPACK_VALUE } from "../../src/redis/listpack-advice.js";
import { createTestRedis } from "../support/test-redis.js";

const t = createTestRedis();
afterAll(() => t.cleanup());

describe("the hash-max-listpack-value advice logged at start-up", () => {
  it("names the server's value and the recommended one when the server's is smaller", () => {
    const advice = adviceFor(64);
    expect(advice).toContain("hash-max-listpack-value is 64");
    expect(advice).toContain(String(RECOMMENDED_LISTPACK_VALUE));
    expect(advice).toContain("docs/decision-log.md");
    expect(adviceFor(RECOMMENDED_LISTPACK_VALUE)).toBeUndefined();
    expect(adviceFor(Number.NaN)).toBeUndefined();
  });

  it("reads the real server's setting", async () => {
    const [, value] = (await t.redis.config("GET", "hash-max-listpack-value")) as string[];
    expect(await listpackAdvice(t.redis)).toBe(adviceFor(Number(value)));
  });

  it("stays silent, without throwing, when the server cannot be asked", async () => {
    const closed = connectRedis(t.url);
    closed.disconnect();
    await expect(listpackAdvice(closed)).resolves.toBeUndefined();
  });
});
