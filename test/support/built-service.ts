/**
 * The service as `npm start` runs it, compiled into its own folder under .test-builds (not dist/,
 * which a service started from this checkout may be running), for tests that spawn it.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";

export function buildService(): { readonly mainJs: string; remove(): void } {
  const out = join(".test-builds", randomUUID().slice(0, 8));
  execFileSync(process.execPath, ["scripts/build.mjs", out], { stdio: "ignore" });
  return { mainJs: join(out, "src", "main.js"), remove: () => rmSync(out, { recursive: true, force: true }) };
}
