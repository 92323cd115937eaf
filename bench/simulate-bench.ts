/**
 * npm run bench:simulate: how long 10,000 simulated decisions take (a draft and the current policy,
 * 1,000 generated customers x 5 placements each), in process, as a product owner runs it.
 */
import { readFile } from "node:fs/promises";
import { pino } from "pino";
import { parse, stringify } from "yaml";
import { createServices } from "../src/composition-root.js";
import { loadConfig } from "../src/config.js";
import { runSimulation } from "../src/simulation/run-simulation.js";
import { generatedCustomers } from "../src/simulation/simulation-sample.js";
import { printTable } from "./support/stats.js";

const services = createServices(loadConfig({ ...process.env, REDIS_URL: undefined, LOG_LEVEL: "warn" }), {
  logger: pino({ level: "warn" }),
  collectDefaultMetrics: false,
});
await services.start();
const draft = parse(await readFile("data/policies/bank-policy.yaml", "utf8"));
draft.businessUnits.savings.weight = 2;
const placements = [
  { journey: "cross_sell", step: "browse", channel: "web" },
  { journey: "cross_sell", step: "product_page", channel: "app" },
  { journey: "servicing", step: "login", channel: "app" },
  { journey: "retention", step: "cancel_intent", channel: "call_centre" },
  { journey: "onboarding", step: "welcome", channel: "email" },
] as const;
const deps = {
  decisionService: services.decisionService,
  featureService: services.featureService,
  current: () => services.policyService.current().policy,
  now: Date.now,
};
const sampleStart = performance.now();
generatedCustomers(services.plan, { customers: 1_000, seed: 1, now: Date.now() });
const sampleSeconds = (performance.now() - sampleStart) / 1000;
// Warm-up (JIT, ONNX sessions), then the measured run.
await runSimulation(deps, {
  policy: stringify(draft),
  sample: { customers: 50, seed: 2 },
  placements: [...placements],
});
const report = await runSimulation(deps, {
  policy: stringify(draft),
  sample: { customers: 1_000, seed: 1 },
  placements: [...placements],
});
const decisionSeconds = report.seconds;
printTable(
  ["measure", "figure", "target"],
  [
    ["simulated decisions", report.decisions.toLocaleString(), ""],
    ["decision time (both policies)", `${decisionSeconds.toFixed(2)} s`, "10,000 in < 5 s"],
    [
      "per 10,000 decisions",
      `${((decisionSeconds * 10_000) / report.decisions).toFixed(2)} s ${(decisionSeconds * 10_000) / report.decisions < 5 ? "MET" : "MISSED"}`,
      "",
    ],
    ["building the 1,000-customer sample", `${sampleSeconds.toFixed(2)} s`, ""],
    ["models used", JSON.stringify(services.modelService.versions()), ""],
  ],
);
await services.close();
