/** Requests Express itself refuses before a route runs: a 400 naming the problem, never a 500. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ store: "memory" });
});
afterAll(() => app.close());

describe("error responses", () => {
  it("answers a path parameter that is not valid percent-encoding with 400", async () => {
    for (const path of ["/v1/policies/%E0", "/v1/customers/%E0%A4/features"]) {
      const res = await getJson(`${app.url}${path}`);
      expect(res.status, path).toBe(400);
      expect(res.body.error.code, path).toBe("bad_request");
      expect(res.body.error.message, path).toMatch(/^The request path is not valid percent-encoded UTF-8/);
    }
  });
});
