import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FEATURE_PLAN } from "../../src/features/feature-plan.js";
import { ALLOWED_OPERATORS } from "../../src/policy/rule-checks.js";

const docs = readFileSync(new URL("../../docs/policies.md", import.meta.url), "utf8");

describe("docs/policies.md", () => {
  it("lists exactly the features a rule may read", () => {
    const listed = [...docs.matchAll(/^\| `features\.([a-z0-9_]+)` +\|/gm)].map((m) => m[1]);
    expect(listed).toEqual([...FEATURE_PLAN.names]);
  });

  it("lists exactly the allowed operators", () => {
    const line = /\*\*Operators allowed\*\*: `([^`]+)`/.exec(docs)?.[1];
    expect(line?.split(" ")).toEqual([...ALLOWED_OPERATORS]);
  });
});
