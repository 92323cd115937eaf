/**
 * The body of `npm run train:churn` and `npm run train:propensity`: parse flags, load the data,
 * train with a progress bar, print the comparison, write the version folder, optionally promote.
 * Returns the exit code: 0 done, 1 failed (bad data, refused promotion), 2 usage error.
 */
import { ModelRegistry } from "../../scoring/model-registry.js";
import { noComparisonReason, promoteRun } from "../artifact/promote.js";
import { ArtifactDirError, replaceProblem } from "../artifact/write-artifact.js";
import { CsvInputError } from "../data/csv-config.js";
import { DerivedColumnError } from "../data/derived-columns.js";
import type { GeneratedTask } from "../data/generated-source.js";
import { hasTimeSpread, loadTrainingData } from "../data/load-data.js";
import { runTraining } from "../pipeline/run-training.js";
import { selectBackend } from "../tf/backend.js";
import { epochProgress } from "./progress.js";
import { formatSummary } from "./summary.js";
import { parseTrainArgs } from "./train-args.js";
import { usage } from "./usage.js";

const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

/** Errors that are the user's input, reported as one line without a stack. */
const USER_ERRORS = [CsvInputError, DerivedColumnError, RangeError, ArtifactDirError];

export async function trainCommand(task: GeneratedTask, argv: readonly string[]): Promise<number> {
  const script = `train:${task}`;
  const parsed = parseTrainArgs(task, argv);
  if (parsed.kind === "help") {
    process.stdout.write(`${usage(task)}\n`);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`${script}: ${parsed.message}\n(npm run ${script} -- --help for usage)\n`);
    return 2;
  }
  const cmd = parsed.command;
  const log = (line: string) => cmd.progress !== "none" && process.stderr.write(`${line}\n`);
  const progress = epochProgress(cmd.progress);
  // Checked again when writing; here so a wrong --out costs no training.
  const outProblem = cmd.out === undefined ? undefined : replaceProblem(cmd.out);
  if (outProblem) {
    process.stderr.write(`${script}: --out ${outProblem}\n`);
    return 2;
  }
  try {
    // Refused before the (possibly long) training rather than after it: see promotionBlocker.
    if (cmd.promote && !cmd.compare) {
      const current = await new ModelRegistry(cmd.modelsDir).promoted(cmd.name);
      if (current !== undefined) {
        process.stderr.write(
          `${script}: --promote needs a check against the promoted model, but ${noComparisonReason(cmd.name, current, true)}, ` +
            "or leave out --promote and promote by hand after checking: npm run models -- promote\n",
        );
        return 2;
      }
    }
    const started = performance.now();
    // Churn rows all sit at one label time; a time split adds rows at earlier label times.
    const data =
      task === "churn" && cmd.train.split === "time" && cmd.data.kind !== "csv"
        ? { ...cmd.data, set: { ...cmd.data.set, churnHistory: true } }
        : cmd.data;
    const set = await loadTrainingData(data, progress.onData);
    progress.stop();
    const positives = set.labels.reduce((s, y) => s + y, 0);
    log(
      `${set.info.source}: ${set.labels.length} rows, ${positives} positive (${((100 * positives) / set.labels.length).toFixed(2)}%), loaded in ${((performance.now() - started) / 1000).toFixed(1)}s`,
    );
    const split = cmd.train.split ?? (hasTimeSpread(set) ? "time" : "stratified");
    const engine =
      cmd.train.kind === "gbdt"
        ? "in TypeScript (gradient-boosted trees)"
        : cmd.train.kind === "blend"
          ? `(trees in TypeScript, then the ${cmd.train.blendNetwork ?? "mlp"} on the ${await selectBackend(cmd.train.backend)} backend)`
          : `on the ${await selectBackend(cmd.train.backend)} backend`;
    log(`training ${cmd.name} (${cmd.train.kind}, ${split} split, seed ${cmd.train.seed}) ${engine}`);
    const run = await runTraining(set, {
      name: cmd.name,
      train: { ...cmd.train, split, onEpoch: progress.onEpoch },
      modelsDir: cmd.modelsDir,
      ...(cmd.out ? { out: cmd.out } : {}),
      command: `npm run ${script} -- ${argv.map(quote).join(" ")}`.trim(),
      compare: cmd.compare,
    });
    progress.stop();
    process.stdout.write(`${formatSummary(run)}\n`);
    if (run.parityMaxAbsDiff > 1e-4)
      process.stderr.write(
        `warning: ONNX and the trainer differ by ${run.parityMaxAbsDiff} on the held-out rows\n`,
      );
    if (cmd.promote) {
      const outcome = await promoteRun(run, cmd.modelsDir);
      process.stdout.write(`${outcome.message}\n`);
      return outcome.promoted ? 0 : 1;
    }
    if (!cmd.out)
      process.stdout.write(
        `promote with: npm run models -- promote ${run.metadata.name} ${run.metadata.version}\n`,
      );
    return 0;
  } catch (e) {
    progress.stop();
    const err = e as Error;
    const known =
      USER_ERRORS.some((E) => err instanceof E) || (err as { statusCode?: number }).statusCode !== undefined;
    process.stderr.write(`${script}: ${known ? err.message : (err.stack ?? String(err))}\n`);
    return 1;
  }
}
