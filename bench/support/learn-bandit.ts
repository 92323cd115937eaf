/**
 * Gives the service under test a learned bandit, as production has, before anything is measured: a
 * cold arm's posterior is a sum of squares, a learned one a full quadratic form (~60 µs more per
 * decision for 20 arms), so a benchmark on cold arms flatters the decision path.
 *
 * It runs the real loop: decisions over HTTP, a reward for each decision's first action through
 * POST /v1/rewards, the real learner process (`dist/src/bandit/learner-main.js`) consuming them and
 * publishing snapshots, and the service's follower loading the last one. The reward is 1 with the
 * probability the offline propensity model gives the action (a stand-in for customers: what it
 * costs the service to decide with learned arms does not depend on what they learned).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRandom } from "../../src/random/seeded-random.js";

export interface LearnOptions {
  readonly serviceUrl: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
  readonly policyFile: string;
  readonly decisions: number;
  /** A decision request body for a fresh customer. */
  readonly body: () => string;
  readonly seed?: number;
  readonly concurrency?: number;
}

export interface LearnResult {
  readonly decisions: number;
  readonly rewards: number;
  readonly accepted: number;
  /** The snapshot the service decides with afterwards. */
  readonly snapshotVersion: string;
  readonly seconds: number;
}

interface DecisionAnswer {
  readonly decisionId: string;
  readonly banditSnapshotVersion: string;
  readonly fallback: boolean;
  readonly actions: readonly { readonly actionId: string; readonly propensity: number }[];
}

async function post(url: string, body: string): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
}

function stopLearner(learner: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (learner.exitCode !== null) return resolve(learner.exitCode);
    learner.once("exit", (code) => resolve(code));
    // SIGTERM: the learner publishes what it has applied, then acknowledges and exits.
    learner.kill("SIGTERM");
  });
}

export async function learnBandit(options: LearnOptions): Promise<LearnResult> {
  const started = performance.now();
  const rng = createRandom(options.seed ?? 11).fork("bench-learn-bandit");
  const learner = spawn(process.execPath, ["dist/src/bandit/learner-main.js"], {
    env: {
      ...process.env,
      REDIS_URL: options.redisUrl,
      REDIS_KEY_PREFIX: options.keyPrefix,
      POLICY_FILE: options.policyFile,
      LOG_LEVEL: "warn",
      LEARNER_PUBLISH_MS: "500",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  let decided = 0;
  let rewards = 0;
  let accepted = 0;
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency ?? 16 }, async () => {
        while (next < options.decisions) {
          next++;
          const res = await post(`${options.serviceUrl}/v1/decisions`, options.body());
          if (!res.ok) throw new Error(`a learning-phase decision failed: ${res.status} ${await res.text()}`);
          const answer = (await res.json()) as DecisionAnswer;
          decided++;
          const first = answer.actions[0];
          // A fallback answer's write may still be on its way (or lost): no reward for it.
          if (!first || answer.fallback) continue;
          const reward = rng.next() < first.propensity ? 1 : 0;
          const joined = await post(
            `${options.serviceUrl}/v1/rewards`,
            JSON.stringify({ decisionId: answer.decisionId, actionId: first.actionId, reward }),
          );
          if (!joined.ok) throw new Error(`a reward was refused: ${joined.status} ${await joined.text()}`);
          rewards++;
          accepted += reward;
        }
      }),
    );
    // Let the learner drain the stream (it publishes every 500 ms), then stop it: it publishes last.
    await new Promise((r) => setTimeout(r, 1_500));
  } catch (err) {
    await stopLearner(learner);
    throw err;
  }
  const code = await stopLearner(learner);
  if (code !== 0) throw new Error(`the bandit learner exited with code ${code}`);
  // The service's follower polls the snapshot store about once a second.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await post(`${options.serviceUrl}/v1/decisions`, options.body());
    const answer = (await res.json()) as DecisionAnswer;
    if (answer.banditSnapshotVersion !== "cold")
      return {
        decisions: decided,
        rewards,
        accepted,
        snapshotVersion: answer.banditSnapshotVersion,
        seconds: (performance.now() - started) / 1000,
      };
    if (Date.now() > deadline)
      throw new Error("the service still decides with a cold bandit 10 s after the learner published");
    await new Promise((r) => setTimeout(r, 250));
  }
}
