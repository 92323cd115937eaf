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
});
