/**
 * `npm run train:churn -- --help`: trains, evaluates and exports the churn model.
 * Thin on purpose; the work is in src/training (see docs/models.md).
 */
import { trainCommand } from "../src/training/cli/train-command.js";

process.exitCode = await trainCommand("churn", process.argv.slice(2));
