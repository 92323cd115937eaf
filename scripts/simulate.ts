/**
 * npm run simulate -- --policy draft.yaml [--customers N] [--seed S] [--placements j/step/channel,...]
 *                     [--limit K] [--json]
 * Runs a draft policy against the current one (POLICY_FILE) over a generated sample, in process,
 * without writing anything, and prints the action mix, removals and expected value.
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { createServices } from "../src/composition-root.js";
import { loadConfig } from "../src/config.js";
import { ValidationError } from "../src/errors/validation-error.js";
import { describePolicyErrors, tryLoadPolicy } from "../src/policy/index.js";
import { formatSimulation } from "../src/simulation/print-simulation.js";
import { runSimulation } from "../src/simulation/run-simulation.js";
import { simulationRequestSchema } from "../src/simulation/simulation-request.js";

const USAGE = `Usage: npm run simulate -- --policy FILE [--customers N] [--seed S] [--placements journey/step/channel,...] [--limit K] [--json]
  --policy      the draft policy (YAML or JSON)
  --customers   generated customers to decide for (default 1000)
  --seed        seed of the generated sample (default 1)
  --placements  where to decide (default: every journey step of the draft, on web)
  --limit       actions per decision (default: the policy's topK.defaultLimit)
  --json        print the report as JSON`;

/** Request fields as the flags that set them, so a problem names what to change on the command line. */
const FLAGS: Readonly<Record<string, string>> = {
  customers: "--customers",
  seed: "--seed",
  placements: "--placements",
  limit: "--limit",
};

async function main(): Promise<number> {
  let values: ReturnType<typeof parseArgs>["values"];
  try {
    ({ values } = parseArgs({
      options: {
        policy: { type: "string" },
        customers: { type: "string" },
        seed: { type: "string" },
        placements: { type: "string" },
        limit: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean" },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (typeof values.policy !== "string") {
    console.error(`--policy is required\n${USAGE}`);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(values.policy, "utf8");
  } catch {
    console.error(`cannot read policy file ${values.policy}`);
    return 2;
  }
  // Checked here, with the file's name, so its problems read one per line as the hot reload logs them
  // (not joined into one error message), and before the services take seconds to start.
  const draft = tryLoadPolicy(text, { fileName: values.policy });
  if (!draft.ok) {
    console.error(describePolicyErrors(draft.problems, `policy file ${values.policy}`));
    return 2;
  }
  const malformed =
    typeof values.placements === "string"
      ? values.placements.split(",").find((p) => p.split("/").length !== 3)
      : undefined;
  if (malformed !== undefined) {
    console.error(`--placements: "${malformed}" must be journey/step/channel, e.g. cross_sell/browse/web`);
    return 2;
  }
  const parsed = simulationRequestSchema.safeParse({
    policy: text,
    sample: { customers: Number(values.customers ?? 1000), seed: Number(values.seed ?? 1) },
    ...(typeof values.placements === "string"
      ? {
          placements: values.placements.split(",").map((p) => {
            const [journey, step, channel] = p.split("/");
            return { journey, step, channel };
          }),
        }
      : {}),
    ...(typeof values.limit === "string" ? { limit: Number(values.limit) } : {}),
  });
  if (!parsed.success) {
    const flag = (path: readonly PropertyKey[]) => FLAGS[String(path[0] === "sample" ? path[1] : path[0])];
    console.error(
      parsed.error.issues
        .map((i) => `${flag(i.path) ?? i.path.join(".")}: ${i.message.replace(/^[A-Z][a-z ]+: /, "")}`)
        .join("\n"),
    );
    return 2;
  }
  const config = loadConfig({
    ...process.env,
    REDIS_URL: undefined,
    SAMPLE_CUSTOMERS: "0",
    LOG_LEVEL: "warn",
  });
  const services = createServices(config, { logger: pino({ level: "warn" }), collectDefaultMetrics: false });
  try {
    await services.start();
    const report = await runSimulation(
      {
        decisionService: services.decisionService,
        featureService: services.featureService,
        current: () => services.policyService.current().policy,
        now: Date.now,
      },
      parsed.data,
    );
    console.log(values.json ? JSON.stringify(report, null, 2) : formatSimulation(report));
    return 0;
  } catch (err) {
    if (err instanceof ValidationError) {
      console.error(describePolicyErrors(err.problems, "simulation request"));
      return 2;
    }
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  } finally {
    await services.close();
  }
}

process.exitCode = await main();
