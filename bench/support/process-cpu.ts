/**
 * CPU time of other processes, the robust figure on a noisy machine: a process's utime + stime from
 * /proc/<pid>/stat (all its threads; the main JS thread alone from /proc/<pid>/task/<pid>/stat), and
 * Redis's own used_cpu_user + used_cpu_sys from INFO.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { Redis } from "ioredis";

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

function statCpuSeconds(path: string): number {
  try {
    const stat = readFileSync(path, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, i.e. 11 and 12 after the name.
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return Number.NaN;
  }
}

/** The pids whose parent is `pid` (e.g. the workers of a node:cluster primary). */
function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Field 4 (ppid) is the second after the command name.
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * CPU seconds (user + system) the process and its child processes (cluster workers) have used so
 * far: all their threads, and their main (JS) threads. Children are found anew each call, so a
 * worker that exited between two calls drops out of the second: compare calls over stable runs.
 */
export function processCpuSeconds(pid: number | undefined): { total: number; mainThread: number } {
  if (pid === undefined) return { total: Number.NaN, mainThread: Number.NaN };
  let total = 0;
  let mainThread = 0;
  for (const p of [pid, ...childPids(pid)]) {
    total += statCpuSeconds(`/proc/${p}/stat`);
    mainThread += statCpuSeconds(`/proc/${p}/task/${p}/stat`);
  }
  return { total, mainThread };
}

/** CPU seconds the Redis server has used so far (all its threads). */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const value = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? Number.NaN);
  return value("used_cpu_user") + value("used_cpu_sys");
}

/** CPU seconds the whole machine has been busy (all cores: user, nice, system, irq, softirq; steal apart). */
export function machineCpuSeconds(): { busy: number; steal: number } {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number) as number[];
    return {
      busy: (user! + nice! + system! + irq! + softirq!) / clockTicks(),
      steal: (steal ?? 0) / clockTicks(),
    };
  } catch {
    return { busy: Number.NaN, steal: Number.NaN };
  }
}
