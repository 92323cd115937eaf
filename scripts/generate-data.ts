/**
 * CLI for the synthetic bank customer-journey generator: `npm run data:generate -- --help`.
 * Writes events, profiles, ground truth, offers and a manifest with hashes into --out.
 */
import cliProgress from "cli-progress";
import { type CliArgs, parseCliArgs, USAGE } from "../src/generator/cli-args.js";
import { writeDataset } from "../src/generator/write-dataset.js";

function run(args: CliArgs): void {
  const started = performance.now();
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: "{phase} [{bar}] {percentage}% | {value}/{total} | eta {eta}s" },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(args.customers, 0, { phase: "simulating customers" });
  let phase = "simulate";
  let written: ReturnType<typeof writeDataset>;
  try {
    written = writeDataset(args, args.out, (p) => {
      if (p.phase !== phase) {
        phase = p.phase;
        bar?.setTotal(p.total);
      }
      bar?.update(p.done, { phase: p.phase === "simulate" ? "simulating customers" : "sorting days" });
    });
  } finally {
    bar?.stop();
  }
  const { summary, outDir } = written;

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const accepted = summary.offers === 0 ? 0 : (100 * summary.acceptedOffers) / summary.offers;
  process.stderr.write(
    `generated ${summary.customers} customers, ${summary.events} events, ${summary.offers} offers ` +
      `(${accepted.toFixed(1)}% accepted), ${summary.churned} churned in ${seconds}s -> ${outDir}\n`,
  );
}

const parsed = parseCliArgs(process.argv.slice(2));
if (parsed.kind === "help") {
  process.stdout.write(`${USAGE}\n`);
} else if (parsed.kind === "error") {
  process.stderr.write(`generate-data: ${parsed.message}\n\n${USAGE}\n`);
  process.exitCode = 2;
} else {
  try {
    run(parsed.args);
  } catch (err) {
    // The file system refused (--out is a file, no permission, disk full): the user's to fix, so one line.
    if ((err as NodeJS.ErrnoException).code === undefined) throw err;
    process.stderr.write(`generate-data: cannot write --out ${parsed.args.out}: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
