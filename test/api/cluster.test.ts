/**
 * WORKERS=2: the service as `npm start` runs it (compiled, into its own folder), two worker processes sharing one
 * port on real Redis, both answering decisions, and a SIGTERM to the primary stopping both cleanly.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { createTestRedis } from "../support/test-redis.js";

const shared = createTestRedis();
afterAll(() => shared.cleanup());

/** The URL, once every worker listens (the banner comes from the first one, before the others). */
async function started(child: ChildProcess): Promise<string> {
  let out = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const url = out.match(/listening on (http:\/\/\S+)/)?.[1];
    if (url && /all 2 workers listening/.test(out)) return url;
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service did not start: ${out}`);
}

describe("cluster mode", () => {
  it("runs WORKERS processes on one port, each deciding, and stops them all on SIGTERM", async () => {
    // Its own build, not dist/ (which a service started from this checkout may be running).
    const out = join(".test-builds", randomUUID().slice(0, 8));
    execFileSync(process.execPath, ["scripts/build.mjs", out], { stdio: "ignore" });
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));
    const child = spawn(process.execPath, [join(out, "src", "main.js")], {
      env: {
        ...process.env,
        WORKERS: "2",
        PORT: "0",
        REDIS_URL: shared.url,
        REDIS_KEY_PREFIX: shared.prefix,
        LOG_LEVEL: "warn",
        // A fresh worker's first decisions (JIT, first ONNX runs) may exceed the default 50 ms budget
        // on a busy machine; this test is about the workers, not the budget.
        DECISION_TIMEOUT_MS: "2000",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const url = await started(child);
      const pids = new Set<number>();
      for (let i = 0; i < 40 && pids.size < 2; i++) {
        // A new connection each time: the primary hands connections to the workers in turn.
        const res = await fetch(`${url}/healthz`, { headers: { connection: "close" } });
        pids.add(((await res.json()) as { pid: number }).pid);
      }
      expect(pids.size).toBe(2);
      expect(pids.has(child.pid!)).toBe(false);
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${url}/v1/decisions`, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify({
            customerId: `c-cluster-${i}`,
            journey: "cross_sell",
            step: "browse",
            channel: "web",
          }),
        });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { fallback: boolean }).fallback).toBe(false);
      }
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 90_000);
});
