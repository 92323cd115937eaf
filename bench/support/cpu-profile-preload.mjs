/**
 * Preloaded into the service by bench:decide (NODE_OPTIONS="--import <this file>"; --cpu-prof is not
 * allowed in NODE_OPTIONS): the first SIGUSR2 starts the V8 CPU profiler, the next one stops it and
 * writes CPU_PROFILE_FILE (via a temporary file and a rename, so a reader never sees half a profile).
 * Without CPU_PROFILE_FILE it does nothing.
 */
import { renameSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const file = process.env.CPU_PROFILE_FILE;
const intervalUs = Number(process.env.CPU_PROFILE_INTERVAL_US ?? 500);

if (file) {
  const session = new Session();
  session.connect();
  let running = false;
  process.on("SIGUSR2", () => {
    if (!running) {
      running = true;
      session.post("Profiler.enable", () =>
        session.post("Profiler.setSamplingInterval", { interval: intervalUs }, () =>
          session.post("Profiler.start"),
        ),
      );
      return;
    }
    running = false;
    session.post("Profiler.stop", (err, result) => {
      if (err) {
        process.stderr.write(`cpu profile failed: ${err.message}\n`);
        return;
      }
      writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      renameSync(`${file}.tmp`, file);
    });
  });
}
