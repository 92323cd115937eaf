/**
 * The service as `npm start` runs it, compiled into its own folder under .test-builds (not dist/,
 * which a service started from this checkout may be running), for tests that spawn it.
 */
import { type ChildProcess, execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";

export function buildService(): { readonly mainJs: string; remove(): void } {
  const out = join(".test-builds", randomUUID().slice(0, 8));
  execFileSync(process.execPath, ["scripts/build.mjs", out], { stdio: "ignore" });
  return { mainJs: join(out, "src", "main.js"), remove: () => rmSync(out, { recursive: true, force: true }) };
}

/**
 * Waits until a spawned service prints its banner (and `until`, e.g. every worker listening); returns
 * its URL and all it printed so far. Throws with that output if it exits or does not start in time.
 */
export async function untilListening(
  child: ChildProcess,
  options: { readonly until?: RegExp; readonly timeoutMs?: number } = {},
): Promise<{ readonly url: string; output(): string }> {
  let out = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const url = out.match(/listening on (http:\/\/\S+)/)?.[1];
    if (url && (!options.until || options.until.test(out))) return { url, output: () => out };
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service did not start: ${out}`);
}
