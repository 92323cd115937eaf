/**
 * Starts the real service in its own process (so the load generator does not share its CPU), as
 * `npm start` runs it: compiled to dist/ first (scripts/build.mjs), then plain node. Waits until ready.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { freePort } from "../../test/support/free-port.js";

export { freePort };

export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: ["ignore", "ignore", "inherit"] });
  // The flags of `npm start` (package.json).
  const child = spawn(
    process.execPath,
    ["--enable-source-maps", "--max-semi-space-size=64", "dist/src/main.js"],
    {
      env: { ...process.env, LOG_LEVEL: "warn", HOST: "127.0.0.1", PORT: String(port), ...env },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  // With several workers, one that is ready does not mean all are: the primary says when every one listens.
  const workers = Number(env.WORKERS ?? process.env.WORKERS ?? 1);
  let stdout = "";
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  const allListening = () => workers <= 1 || stdout.includes(`all ${workers} workers listening`);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok && allListening()) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
