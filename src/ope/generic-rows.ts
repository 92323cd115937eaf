/**
 * The generic log row, from a JSONL object or a CSV record: `action`, `propensity`, `reward`,
 * optional `id`, `candidates` and `priors`, and context features as named fields (or a `features`
 * object). Numbers and booleans are features as they are; a string value becomes a one-hot feature
 * `name=value`; null or an empty CSV cell is missing (0).
 */
import { describeIssues } from "../errors/describe-issues.js";
import { GENERIC_ALIASES, type GenericRow, genericRowSchema } from "./log-schemas.js";

/** A validated generic row; its candidate set and feature vector are completed once the whole log is read. */
export interface GenericParsed {
  readonly line: number;
  readonly id: string | undefined;
  readonly action: string;
  readonly propensity: number;
  readonly reward: number;
  readonly candidates: readonly string[] | undefined;
  readonly logging: Readonly<Record<string, number>> | undefined;
  readonly priors: Readonly<Record<string, number>> | undefined;
  readonly features: ReadonlyMap<string, number>;
}

export type GenericOutcome =
  | { readonly ok: true; readonly row: GenericParsed }
  | { readonly ok: false; readonly reason: string };

const SUM_TOLERANCE = 1e-3;
const MATCH_TOLERANCE = 1e-4;

function encodeFeatures(features: GenericRow["features"]): Map<string, number> | string {
  const out = new Map<string, number>();
  for (const [name, v] of Object.entries(features)) {
    if (v === null) continue;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return `feature ${name} is not a finite number`;
      out.set(name, v);
    } else if (typeof v === "boolean") out.set(name, v ? 1 : 0);
    else out.set(`${name}=${v}`, 1);
  }
  return out;
}

/** Validates one generic row given as an object (JSONL, or a CSV record already split into fields). */
export function parseGenericObject(raw: Record<string, unknown>, line: number): GenericOutcome {
  const canonical: Record<string, unknown> = {};
  const features: Record<string, unknown> = {};
  const from: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = GENERIC_ALIASES[key];
    if (field === undefined) {
      features[key] = value;
      continue;
    }
    if (from[field] !== undefined) return { ok: false, reason: `both ${from[field]} and ${key} given` };
    from[field] = key;
    canonical[field] = value;
  }
  if (canonical.features !== undefined) {
    if (
      typeof canonical.features !== "object" ||
      canonical.features === null ||
      Array.isArray(canonical.features)
    )
      return { ok: false, reason: "features: must be an object of named values" };
    for (const [k, v] of Object.entries(canonical.features)) {
      if (k in features) return { ok: false, reason: `feature ${k} given twice (top level and in features)` };
      features[k] = v;
    }
  }
  canonical.features = features;
  const parsed = genericRowSchema.safeParse(canonical);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) };
  const r = parsed.data;
  const encoded = encodeFeatures(r.features);
  if (typeof encoded === "string") return { ok: false, reason: encoded };

  let candidates: string[] | undefined;
  let logging: Record<string, number> | undefined;
  if (Array.isArray(r.candidates)) {
    candidates = r.candidates;
    if (new Set(candidates).size !== candidates.length)
      return { ok: false, reason: "candidates repeat an action" };
  } else if (r.candidates) {
    logging = r.candidates;
    candidates = Object.keys(logging);
    const total = candidates.reduce((s, a) => s + logging![a]!, 0);
    if (Math.abs(total - 1) > SUM_TOLERANCE)
      return { ok: false, reason: `candidates' logging probabilities sum to ${total.toFixed(6)}, not 1` };
    const logged = logging[r.action];
    if (logged !== undefined && Math.abs(logged - r.propensity) > MATCH_TOLERANCE)
      return {
        ok: false,
        reason: `candidates.${r.action} (${logged}) differs from propensity (${r.propensity})`,
      };
  }
  if (candidates && !candidates.includes(r.action))
    return { ok: false, reason: `action ${r.action} is not among the candidates` };
  return {
    ok: true,
    row: {
      line,
      id: r.id,
      action: r.action,
      propensity: r.propensity,
      reward: r.reward,
      candidates,
      logging,
      priors: r.priors,
      features: encoded,
    },
  };
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A CSV cell as a JSON-like value: number, boolean, null (empty) or string. */
export function csvCell(text: string): number | boolean | string | null {
  const t = text.trim();
  if (t === "") return null;
  if (NUMBER.test(t)) return Number(t);
  if (t === "true" || t === "TRUE") return true;
  if (t === "false" || t === "FALSE") return false;
  return t;
}

/** A CSV record as the object `parseGenericObject` takes: `candidates` split on `|`, ids kept as text. */
export function csvObject(header: readonly string[], fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const text = fields[i] ?? "";
    const field = GENERIC_ALIASES[name];
    if (field === "candidates") {
      const list = text
        .split("|")
        .map((s) => s.trim())
        .filter((s) => s !== "");
      if (list.length > 0) out[name] = list;
    } else if (field === "id" || field === "action") {
      if (text.trim() !== "") out[name] = text.trim();
    } else if (field === "propensity" || field === "reward") {
      const v = csvCell(text);
      if (v !== null) out[name] = v;
    } else {
      out[name] = csvCell(text);
    }
  });
  return out;
}
