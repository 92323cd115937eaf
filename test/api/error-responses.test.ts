/** Requests Express itself refuses before a route runs: a 400 naming the problem, never a 500. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, postJson, startTestApp, type TestApp } from "../support/test-app.js";

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

  it("says a JSON body that is not an object must be one, rather than that it is not JSON", async () => {
    for (const body of ["null", '"hello"', "42", "true"]) {
      const res = await postJson(`${app.url}/v1/decisions`, body);
      expect(res.status, body).toBe(400);
      expect(res.body.error, body).toEqual({
        code: "malformed_json",
        message:
          "The request body must be a JSON object, e.g. {...}; it is a JSON string, number, boolean or null",
      });
    }
    const broken = await postJson(`${app.url}/v1/decisions`, '{"customerId": ');
    expect(broken.body.error.message).toBe("The request body is not valid JSON");
  });
});
