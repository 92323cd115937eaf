/**
 * The service's garbage-collection pauses over a load phase, from the histogram prom-client keeps on
 * /metrics (`nba_nodejs_gc_duration_seconds`, by kind): a scavenge stops the event loop, so at a fixed
 * rate every request that arrives during one waits for it, which is what a p99 feels.
 */

export interface GcTotals {
  /** Pauses and their summed duration (s), by kind (minor, major, incremental, weakcb). */
  readonly byKind: ReadonlyMap<string, { readonly count: number; readonly seconds: number }>;
}

export interface GcPhase {
  readonly minorCount: number;
  readonly minorMeanMs: number;
  readonly majorCount: number;
  /** Every kind's pauses together, ms per second of the phase. */
  readonly pauseMsPerSecond: number;
}

/** The totals a /metrics text reports (all zero when the metric is absent). */
export function gcTotals(metrics: string): GcTotals {
  const byKind = new Map<string, { count: number; seconds: number }>();
  for (const m of metrics.matchAll(
    /nodejs_gc_duration_seconds_(sum|count)\{kind="([^"]+)"\} ([\d.eE+-]+)/g,
  )) {
    const entry = byKind.get(m[2]!) ?? { count: 0, seconds: 0 };
    if (m[1] === "sum") entry.seconds = Number(m[3]);
    else entry.count = Number(m[3]);
    byKind.set(m[2]!, entry);
  }
  return { byKind };
}

export async function readGcTotals(serviceUrl: string): Promise<GcTotals> {
  return gcTotals(await (await fetch(`${serviceUrl}/metrics`)).text());
}

/** What happened between two readings over `seconds`. */
export function gcPhase(before: GcTotals, after: GcTotals, seconds: number): GcPhase {
  const delta = (kind: string) => {
    const a = after.byKind.get(kind) ?? { count: 0, seconds: 0 };
    const b = before.byKind.get(kind) ?? { count: 0, seconds: 0 };
    return { count: a.count - b.count, seconds: a.seconds - b.seconds };
  };
  const minor = delta("minor");
  let pauseSeconds = 0;
  for (const kind of after.byKind.keys()) pauseSeconds += delta(kind).seconds;
  return {
    minorCount: minor.count,
    minorMeanMs: minor.count > 0 ? (1000 * minor.seconds) / minor.count : 0,
    majorCount: delta("major").count,
    pauseMsPerSecond: (1000 * pauseSeconds) / seconds,
  };
}
