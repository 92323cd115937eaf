/** Runs redis-benchmark against the same server, so our figures can be quoted as a ratio to its ceiling. */
import { spawnSync } from "node:child_process";

export interface CeilingResult {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export function redisBenchmark(url: string, args: readonly string[]): CeilingResult {
  const { hostname, port } = new URL(url);
  const res = spawnSync("redis-benchmark", ["-h", hostname, "-p", port || "6379", "-q", "--csv", ...args], {
    encoding: "utf8",
  });
  if (res.status !== 0 || !res.stdout) {
    throw new Error(
      `redis-benchmark failed (is it installed? apt-get install -y redis-tools): ${res.stderr || res.error?.message}`,
    );
  }
  const row = res.stdout
    .trim()
    .split("\n")
    .pop()!
    .split(",")
    .map((c) => c.replaceAll('"', ""));
  return { rps: Number(row[1]), p50Ms: Number(row[4]), p99Ms: Number(row[6]) };
}
