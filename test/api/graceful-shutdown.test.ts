import { Agent, request } from "node:http";
import express from "express";
import { describe, expect, it } from "vitest";
import { listen } from "../../src/http-server.js";

describe("graceful shutdown", () => {
  it("stops accepting new connections but lets an in-flight request finish", async () => {
    const app = express();
    app.get("/slow", async (_req, res) => {
      await new Promise((r) => setTimeout(r, 300));
      res.json({ done: true });
    });
    const running = await listen(app, 0, "127.0.0.1");
    const inFlight = fetch(`${running.url}/slow`).then((r) => r.json());
    await new Promise((r) => setTimeout(r, 50));
    const closed = running.close(5_000);
    await expect(fetch(`${running.url}/slow`)).rejects.toThrow();
    expect(await inFlight).toEqual({ done: true });
    await closed;
  });

  it("closes a busy keep-alive connection after its current answer instead of cutting it at the grace", async () => {
    const app = express();
    let busy = 0;
    app.get("/busy", async (_req, res) => {
      busy += 1;
      await new Promise((r) => setTimeout(r, 30));
      busy -= 1;
      res.json({ ok: true });
    });
    app.get("/readyz", (_req, res) => {
      res.json({ status: "ready" });
    });
    const running = await listen(app, 0, "127.0.0.1");
    // Keep-alive connections used back to back, as a journey engine's HTTP client does: at the moment
    // of close each is busy, so closing idle connections does not reach them.
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const get = (path: string) =>
      new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        request(`${running.url}${path}`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode!, connection: res.headers.connection }));
        })
          .on("error", reject)
          .end();
      });
    const errors: string[] = [];
    const answers: { status: number; connection: string | undefined }[] = [];
    let closed = false;
    const loops = Array.from({ length: 4 }, async () => {
      while (!closed) {
        try {
          answers.push(await get("/busy"));
        } catch (err) {
          errors.push((err as NodeJS.ErrnoException).code ?? String(err));
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 100));
    // Close while all four connections are mid-request (an idle one is simply closed, racing the
    // client's next request on it: not what this test is about).
    while (busy < 4) await new Promise((r) => setImmediate(r));
    const started = performance.now();
    await running.close(5_000);
    const seconds = (performance.now() - started) / 1000;
    closed = true;
    await Promise.all(loops);
    agent.destroy();
    expect(seconds).toBeLessThan(1);
    // The client was told to close, and then found the server gone: nothing cut mid-request.
    expect(answers.filter((a) => a.connection === "close").length).toBeGreaterThan(0);
    expect(errors.every((e) => e === "ECONNREFUSED")).toBe(true);
  });
});
