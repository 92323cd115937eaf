/**
 * `npm run train:propensity -- --help`: trains, evaluates and exports the offer-propensity model
 * (one model for every action). Thin on purpose; the work is in src/training (see docs/models.md).
 */
import { trainCommand } from "../src/training/cli/train-command.js";

process.exitCode = await trainCommand("propensity", process.argv.slice(2));
