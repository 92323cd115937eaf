/** Runs one of the project's scripts the way a user does (tsx, from the repository root). */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

export const ROOT = join(import.meta.dirname, "../..");

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `script` relative to the root, e.g. `scripts/ope.ts`; resolves with the exit code, never rejects. */
export function runScript(script: string, ...args: string[]): Promise<ScriptRun> {
  return runScriptWithEnv(process.env, script, ...args);
}

/** As `runScript`, in environment `env` (e.g. `{ ...process.env, REDIS_URL: undefined }`). */
export async function runScriptWithEnv(
  env: NodeJS.ProcessEnv,
  script: string,
  ...args: string[]
): Promise<ScriptRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      join(ROOT, "node_modules/.bin/tsx"),
      [join(ROOT, script), ...args],
      { cwd: ROOT, env },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
