/**
 * What a new user sees when a process cannot start: one message naming what is wrong and what to do,
 * no stack trace. Real processes, started the way npm scripts start them.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { printableRedisUrl } from "../../src/redis/redis-url-text.js";
import { untilListening } from "../support/built-service.js";
import { freePort } from "../support/free-port.js";
import { ROOT, runScriptWithEnv } from "../support/run-script.js";

describe("start-up errors", () => {
  it("the service on a Redis that does not answer: exits 1 naming the URL (password hidden) and the two ways on", async () => {
    const port = await freePort(); // nothing listens there
    const run = await runScriptWithEnv(
      { ...process.env, REDIS_URL: `redis://user:s3cret@127.0.0.1:${port}`, PORT: "0", LOG_LEVEL: "silent" },
      "src/main.ts",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("next-best-action could not start: The policy store (Redis) did not answer");
    expect(run.stderr).toContain(`Is Redis running at redis://user:***@127.0.0.1:${port}`);
    expect(run.stderr).toContain("unset REDIS_URL to run on the embedded in-memory store");
    expect(run.stderr).not.toContain("s3cret");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("the service with no models where MODELS_DIR points: warns, naming the models and the folder, then listens", async () => {
    // node itself with tsx's loader (not the tsx CLI, whose child would outlive a SIGKILL).
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/main.ts")], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL: undefined,
        MODELS_DIR: "/nonexistent/models-folder",
        SAMPLE_CUSTOMERS: "0",
        PORT: "0",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const out = (await untilListening(child, { timeoutMs: 30_000 })).output();
      const warning = out
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { msg: string; missing?: string[]; modelsDir?: string })
        .find((line) => line.msg.startsWith("required models are not serving"));
      expect(warning).toMatchObject({
        missing: ["churn", "propensity"],
        modelsDir: "/nonexistent/models-folder",
      });
      expect(warning?.msg).toContain("/readyz answers 503");
      expect(out).toContain("listening on");
    } finally {
      child.kill("SIGKILL");
    }
  }, 40_000);

  it("the learner without REDIS_URL: exits 2 saying it is required and how to give it", async () => {
    const run = await runScriptWithEnv(
      { ...process.env, REDIS_URL: undefined },
      "src/bandit/learner-main.ts",
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("REDIS_URL: is required");
    expect(run.stderr).toContain("REDIS_URL=redis://127.0.0.1:6379 npm run learner");
  });

  it("the learner on a Redis that does not answer: exits 1 naming the URL (password hidden), no stack trace", async () => {
    const port = await freePort(); // nothing listens there
    const run = await runScriptWithEnv(
      { ...process.env, REDIS_URL: `redis://user:s3cret@127.0.0.1:${port}`, LOG_LEVEL: "silent" },
      "src/bandit/learner-main.ts",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("bandit learner could not start: Redis did not answer");
    expect(run.stderr).toContain(`Is Redis running at redis://user:***@127.0.0.1:${port}`);
    expect(run.stderr).not.toContain("s3cret");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("the learner with a REDIS_URL that is not one: names the expected form", async () => {
    const run = await runScriptWithEnv(
      { ...process.env, REDIS_URL: "localhost:6379" },
      "src/bandit/learner-main.ts",
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("REDIS_URL: must start with redis:// or rediss://");
  });
});

describe("printableRedisUrl", () => {
  it("hides a password and keeps the rest", () => {
    expect(printableRedisUrl("redis://user:pw@cache.internal:6380/2")).toBe(
      "redis://user:***@cache.internal:6380/2",
    );
    expect(printableRedisUrl("rediss://:pw@host:6379")).toBe("rediss://:***@host:6379");
  });

  it("hides a password that breaks URL parsing (/, #, ?, @ in it)", () => {
    expect(printableRedisUrl("redis://:pa/ss@host:6379")).toBe("redis://:***@host:6379");
    expect(printableRedisUrl("redis://app:p#w?x@y@host")).toBe("redis://app:***@host");
  });

  it("leaves a URL without a password, or one that does not parse, as given", () => {
    expect(printableRedisUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
    expect(printableRedisUrl("not a url")).toBe("not a url");
  });
});
