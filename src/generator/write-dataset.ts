/**
 * Writes a dataset to a directory without holding it in memory. Customers are simulated one at a time
 * (fast, and their profile/truth rows stream straight out); their events and offers go to one temp
 * file per day with a sortable key in front; each day file is then sorted and appended in turn, which
 * gives events.jsonl in global (timestamp, eventId) order with memory bounded by the largest day.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { DAY_MS } from "../features/windows.js";
import {
  customerSimulator,
  type DatasetSummary,
  GENERATOR_VERSION,
  type GenerateOptions,
  type Progress,
  reportSimulated,
  timelineOf,
} from "./dataset.js";
import { CHURN_HORIZON_DAYS } from "./ground-truth.js";
import { JsonlFile, type WrittenFile } from "./jsonl-file.js";
import { encodeEvent } from "./records.js";

export const DATASET_FILES = ["events.jsonl", "profiles.jsonl", "customers.jsonl", "offers.jsonl"] as const;
export type DatasetFile = (typeof DATASET_FILES)[number];

export interface WrittenDataset {
  readonly outDir: string;
  readonly summary: DatasetSummary;
  readonly files: Readonly<Record<DatasetFile, WrittenFile>>;
  readonly manifest: Manifest;
}

export interface Manifest {
  readonly generator: string;
  readonly version: string;
  readonly args: { customers: number; days: number; seed: number; end: string };
  readonly seed: number;
  readonly window: Record<string, string | number>;
  readonly counts: Omit<DatasetSummary, "start" | "end" | "labelTime">;
  readonly files: Readonly<Record<DatasetFile, WrittenFile>>;
}

const PARTITION_BUFFER = 1 << 18;

/**
 * Lines of one day, encoded into a fixed buffer (off the JS heap, so it costs the GC nothing) and
 * appended to the day's temp file whenever it fills. Each line is `<kind><timestamp, 16 digits>
 * <eventId>\t<json>`, so the sort reads the time at a fixed offset and, for the rare lines sharing a
 * millisecond, plain string order is eventId order (the tab sorts below every character of an id).
 */
class DayPartition {
  private readonly buffer = Buffer.allocUnsafe(PARTITION_BUFFER);
  private used = 0;
  private fd: number | undefined;

  constructor(
    private readonly path: string,
    private readonly dayStart: number,
  ) {}

  add(kind: "E" | "O", ts: number, id: string, json: string): void {
    const line = `${kind}${String(ts).padStart(16, "0")} ${id}\t${json}\n`;
    // Every character here is ASCII, so a line takes exactly line.length bytes.
    if (this.used + line.length > PARTITION_BUFFER) this.spill();
    if (line.length > PARTITION_BUFFER) {
      this.fd ??= openSync(this.path, "w");
      writeSync(this.fd, line, null, "latin1");
      return;
    }
    this.used += this.buffer.write(line, this.used, "latin1");
  }

  private spill(): void {
    this.fd ??= openSync(this.path, "w");
    for (let off = 0; off < this.used; ) off += writeSync(this.fd, this.buffer, off, this.used - off);
    this.used = 0;
  }

  /** Appends the day's events and offers, each sorted, to the output files; then forgets the day. */
  drainInto(events: JsonlFile, offers: JsonlFile): void {
    let text: string;
    if (this.fd === undefined) {
      text = this.buffer.toString("latin1", 0, this.used);
    } else {
      this.spill();
      closeSync(this.fd);
      text = readFileSync(this.path, "latin1");
    }
    this.used = 0;
    const lines = text.split("\n");
    lines.pop();
    for (const i of sortedOrder(lines, this.dayStart)) {
      const line = lines[i]!;
      const json = line.slice(line.indexOf("\t") + 1);
      if (line.charCodeAt(0) === KIND_EVENT) events.write(json);
      else offers.write(json);
    }
  }
}

const KIND_EVENT = 69; // "E"
const TIMESTAMP = { from: 1, to: 17 };

/**
 * Line indexes in (kind, timestamp, eventId) order. Sorting strings directly is ~3x slower, so each line
 * becomes one exact float key (kind, ms into the day, index) for a native numeric sort; only the rare
 * lines sharing a kind and millisecond are then ordered by their text, i.e. by eventId.
 */
function sortedOrder(lines: readonly string[], dayStart: number): Uint32Array {
  const n = lines.length;
  let slots = 1;
  while (slots < n) slots *= 2;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const line = lines[i]!;
    const kind = line.charCodeAt(0) === KIND_EVENT ? 0 : 1;
    const ms = Number(line.slice(TIMESTAMP.from, TIMESTAMP.to)) - dayStart;
    keys[i] = (kind * DAY_MS + ms) * slots + i;
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i]! % slots;
  for (let i = 0; i < n; ) {
    const group = Math.floor(keys[i]! / slots);
    let j = i + 1;
    while (j < n && Math.floor(keys[j]! / slots) === group) j++;
    if (j - i > 1) {
      const tied = Array.from(order.subarray(i, j)).sort((a, b) => (lines[a]! < lines[b]! ? -1 : 1));
      order.set(tied, i);
    }
    i = j;
  }
  return order;
}

export function writeDataset(
  options: GenerateOptions,
  outDir: string,
  onProgress?: (p: Progress) => void,
): WrittenDataset {
  const simulate = customerSimulator(options);
  const timeline = timelineOf(options);
  const dir = resolve(outDir);
  const tmp = join(dir, `.days-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  try {
    const out = Object.fromEntries(DATASET_FILES.map((f) => [f, new JsonlFile(join(dir, f))])) as Record<
      DatasetFile,
      JsonlFile
    >;
    const days = Array.from(
      { length: options.days },
      (_, d) => new DayPartition(join(tmp, `day-${d}.txt`), timeline.start + d * DAY_MS),
    );
    const dayOf = (ts: number): DayPartition => days[Math.floor((ts - timeline.start) / DAY_MS)]!;
    const counts = { events: 0, offers: 0, acceptedOffers: 0, churned: 0, churnedInLabelWindow: 0 };

    for (let i = 0; i < options.customers; i++) {
      const h = simulate(i);
      out["profiles.jsonl"].write(JSON.stringify({ customerId: h.customerId, profile: h.profile }));
      out["customers.jsonl"].write(JSON.stringify(h.truth));
      for (const e of h.events) dayOf(e.timestamp).add("E", e.timestamp, e.eventId, encodeEvent(e));
      for (const o of h.offers) {
        dayOf(o.timestamp).add("O", o.timestamp, o.eventId, JSON.stringify(o));
        if (o.accepted) counts.acceptedOffers++;
      }
      counts.events += h.events.length;
      counts.offers += h.offers.length;
      if (h.truth.churned) counts.churned++;
      if (h.truth.churnedInLabelWindow) counts.churnedInLabelWindow++;
      reportSimulated(onProgress, i + 1, options.customers);
    }
    for (let d = 0; d < days.length; d++) {
      days[d]!.drainInto(out["events.jsonl"], out["offers.jsonl"]);
      onProgress?.({ phase: "sort", done: d + 1, total: days.length });
    }

    const files = Object.fromEntries(DATASET_FILES.map((f) => [f, out[f].close()])) as Record<
      DatasetFile,
      WrittenFile
    >;
    const summary: DatasetSummary = { customers: options.customers, ...counts, ...timeline };
    const manifest = manifestOf(options, summary, files);
    writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    return { outDir: dir, summary, files, manifest };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** No wall-clock fields and no output path: the same options must give a byte-identical manifest. */
function manifestOf(
  options: GenerateOptions,
  summary: DatasetSummary,
  files: Record<DatasetFile, WrittenFile>,
): Manifest {
  const iso = (ms: number): string => new Date(ms).toISOString();
  const { start, end, labelTime, ...counts } = summary;
  return {
    generator: "bank-customer-journey",
    version: GENERATOR_VERSION,
    args: { customers: options.customers, days: options.days, seed: options.seed, end: iso(options.end) },
    seed: options.seed,
    window: {
      start: iso(start),
      end: iso(end),
      labelTime: iso(labelTime),
      startMs: start,
      endMs: end,
      labelTimeMs: labelTime,
      churnHorizonDays: Math.min(CHURN_HORIZON_DAYS, options.days),
    },
    counts,
    files,
  };
}
