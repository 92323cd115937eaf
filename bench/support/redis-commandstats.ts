/**
 * Where Redis's time goes, from INFO commandstats before and after a phase (no CONFIG RESETSTAT: the
 * server may be shared). Commands a Lua script calls are counted under their own names too, and
 * their time is also inside the script's EVALSHA time.
 */
import type { Redis } from "ioredis";

export type CommandStats = Map<string, { calls: number; usec: number }>;

export async function commandStats(redis: Redis): Promise<CommandStats> {
  const info = await redis.info("commandstats");
  const stats: CommandStats = new Map();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    stats.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return stats;
}

/** Per-command calls and server time between two snapshots, largest time first. */
export function commandStatsDelta(
  before: CommandStats,
  after: CommandStats,
): { command: string; calls: number; usec: number }[] {
  const rows: { command: string; calls: number; usec: number }[] = [];
  for (const [command, a] of after) {
    const b = before.get(command) ?? { calls: 0, usec: 0 };
    if (a.calls > b.calls) rows.push({ command, calls: a.calls - b.calls, usec: a.usec - b.usec });
  }
  return rows.sort((x, y) => y.usec - x.usec);
}
