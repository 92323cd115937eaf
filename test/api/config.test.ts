import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("configuration", () => {
  it("defaults to port 8080 and the embedded store", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8080);
    expect(config.REDIS_URL).toBeUndefined();
  });

  it("reads an empty variable as unset (PORT= is not port 0), except REQUIRED_MODELS (none) and REDIS_URL (refused)", () => {
    const config = loadConfig({ PORT: "", SHUTDOWN_GRACE_SECONDS: "", REQUIRED_MODELS: "" });
    expect(config.PORT).toBe(8080);
    expect(config.SHUTDOWN_GRACE_SECONDS).toBe(loadConfig({}).SHUTDOWN_GRACE_SECONDS);
    expect(config.REQUIRED_MODELS).toEqual([]);
    expect(() => loadConfig({ REDIS_URL: "" })).toThrow(/REDIS_URL="": must start with redis:\/\//);
  });

  it("refuses an admin token a Bearer header cannot carry", () => {
    expect(() => loadConfig({ ADMIN_TOKEN: "correct horse battery staple" })).toThrow(
      /ADMIN_TOKEN=.*must not contain whitespace/,
    );
  });

  it("names every bad variable and its value", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", REDIS_URL: "localhost:6379", LOG_LEVEL: "loud" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT="eighty": must be a number');
    expect(message).toContain('REDIS_URL="localhost:6379": must start with redis:// or rediss://');
    expect(message).toContain('LOG_LEVEL="loud"');
  });

  it("reads DECISION_HASH_KEEPS_RECORD as a boolean, off by default, and names a value that is not one", () => {
    expect(loadConfig({}).DECISION_HASH_KEEPS_RECORD).toBe(false);
    expect(loadConfig({ DECISION_HASH_KEEPS_RECORD: "true" }).DECISION_HASH_KEEPS_RECORD).toBe(true);
    expect(loadConfig({ DECISION_HASH_KEEPS_RECORD: "0" }).DECISION_HASH_KEEPS_RECORD).toBe(false);
    expect(() => loadConfig({ DECISION_HASH_KEEPS_RECORD: "maybe" })).toThrow(
      /DECISION_HASH_KEEPS_RECORD="maybe"/,
    );
  });

  it("refuses more than one worker on the embedded store, which lives in one process", () => {
    expect(() => loadConfig({ WORKERS: "2" })).toThrow(
      'WORKERS="2": more than 1 worker needs REDIS_URL (the embedded in-memory store lives in one process)',
    );
    expect(loadConfig({ WORKERS: "2", REDIS_URL: "redis://127.0.0.1:6379" }).WORKERS).toBe(2);
    expect(loadConfig({}).WORKERS).toBe(1);
  });
});
