/**
 * `npm run ope -- --log FILE (--target-probabilities FILE | --bandit ALG | --policy FILE) [options]`:
 * off-policy evaluation of a target policy on a decision log. See docs/ope.md.
 * Exit codes: 0 done, 1 the log, a target file or the evaluation failed, 2 bad arguments.
 */
import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import {
  evaluate,
  formatReport,
  loadTarget,
  OPE_USAGE,
  type OpeArgs,
  parseOpeArgs,
  readLogFile,
  reportHtml,
} from "../src/ope/index.js";

async function run(args: OpeArgs): Promise<void> {
  const log = await readLogFile(args.log, args.format ? { format: args.format } : {});
  const target = await loadTarget(args.target, log);
  const report = evaluate(log, target, args.options);
  const name = basename(args.log);
  if (args.html) {
    try {
      await writeFile(args.html, await reportHtml(report, name));
    } catch (err) {
      throw new Error(`cannot write ${args.html}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report, name));
  process.stderr.write(
    `ope: ${report.log.evaluated} of ${report.log.read} rows evaluated` +
      `${report.log.malformed.length ? `, ${report.log.malformed.length} malformed rows skipped` : ""}` +
      `${args.html ? `; report written to ${args.html}` : ""}\n`,
  );
}

const parsed = parseOpeArgs(process.argv.slice(2));
if (parsed.kind === "help") {
  process.stdout.write(`${OPE_USAGE}\n`);
} else if (parsed.kind === "error") {
  process.stderr.write(`ope: ${parsed.message}\n\n${OPE_USAGE}\n`);
  process.exitCode = 2;
} else {
  run(parsed.args).catch((err: unknown) => {
    process.stderr.write(`ope: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
