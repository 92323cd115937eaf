/**
 * Static checks of json-logic rules before they are ever run: only allowlisted operators (nothing that
 * can call code, log or iterate with a changed scope), literal variable names under the allowed roots,
 * sane arity and a bounded size. A rule that passes can be evaluated by json-logic-js safely.
 */
import { FEATURE_PLAN } from "../features/feature-plan.js";
import { customerProfileSchema } from "../features/profile-schema.js";
import { closest } from "./did-you-mean.js";

/** A json-logic rule: JSON data, never code. */
export type Rule = unknown;

export interface RuleProblem {
  /** Path inside the rule, e.g. `["and", 1, ">="]`. */
  readonly path: readonly (string | number)[];
  readonly reason: string;
}

/** Operator -> [min, max] argument count. Anything not listed is refused. */
const ARITY_TABLE: Readonly<Record<string, readonly [number, number]>> = {
  var: [1, 2],
  missing: [1, Number.POSITIVE_INFINITY],
  missing_some: [2, 2],
  if: [1, Number.POSITIVE_INFINITY],
  "?:": [3, 3],
  "==": [2, 2],
  "===": [2, 2],
  "!=": [2, 2],
  "!==": [2, 2],
  "!": [1, 1],
  "!!": [1, 1],
  and: [1, Number.POSITIVE_INFINITY],
  or: [1, Number.POSITIVE_INFINITY],
  ">": [2, 2],
  ">=": [2, 2],
  "<": [2, 3],
  "<=": [2, 3],
  max: [1, Number.POSITIVE_INFINITY],
  min: [1, Number.POSITIVE_INFINITY],
  "+": [1, Number.POSITIVE_INFINITY],
  "-": [1, 2],
  "*": [1, Number.POSITIVE_INFINITY],
  "/": [2, 2],
  "%": [2, 2],
  in: [2, 2],
  cat: [1, Number.POSITIVE_INFINITY],
  substr: [2, 3],
  merge: [0, Number.POSITIVE_INFINITY],
};

// Maps, not object lookups: an operator named "constructor" or "__proto__" must not find a prototype member.
const ARITY: ReadonlyMap<string, readonly [number, number]> = new Map(Object.entries(ARITY_TABLE));
export const ALLOWED_OPERATORS: readonly string[] = [...ARITY.keys()];

/** Refused with their own reason: they call code, write to the log, or rebind `var` to array items. */
const FORBIDDEN: ReadonlyMap<string, string> = new Map(
  Object.entries({
    method: "calls a JavaScript method, which a policy may never do",
    log: "writes to the service log",
    map: "iterates with a changed variable scope; test arrays with `in` instead",
    filter: "iterates with a changed variable scope; test arrays with `in` instead",
    reduce: "iterates with a changed variable scope; test arrays with `in` instead",
    all: "iterates with a changed variable scope; test arrays with `in` instead",
    none: "iterates with a changed variable scope; test arrays with `in` instead",
    some: "iterates with a changed variable scope; test arrays with `in` instead",
  }),
);

export const FEATURE_NAMES: ReadonlySet<string> = new Set(FEATURE_PLAN.names);
export const PROFILE_ATTRIBUTES: ReadonlySet<string> = new Set(Object.keys(customerProfileSchema.shape));
export const SCORE_NAMES: ReadonlySet<string> = new Set(["churn", "propensity"]);
const UNSAFE_SEGMENTS = new Set(["__proto__", "prototype", "constructor"]);
const MAX_DEPTH = 24;
const MAX_NODES = 2_000;

const EXPECTED_ROOTS =
  "expected features.<name>, profile.<attribute>, context.<field>, scores.churn or scores.propensity";

const suggest = (root: string, hit: string | undefined) =>
  hit === undefined ? "" : ` (did you mean "${root}.${hit}"?)`;

/** Why `name` may not be read by a rule, or undefined when it may. */
export function checkVariable(name: string): string | undefined {
  const [root, ...rest] = name.split(".");
  if (name.split(".").some((s) => s === "" || UNSAFE_SEGMENTS.has(s))) {
    return `variable "${name}" is not a valid path (${EXPECTED_ROOTS})`;
  }
  const leaf = rest.join(".");
  switch (root) {
    case "features":
      if (rest.length === 1 && FEATURE_NAMES.has(leaf)) return undefined;
      return `"${name}" is not a feature${suggest("features", closest(leaf, FEATURE_NAMES))}; features are listed in docs/policies.md`;
    case "profile":
      if (rest.length === 1 && PROFILE_ATTRIBUTES.has(leaf)) return undefined;
      return `"${name}" is not a profile attribute${suggest("profile", closest(leaf, PROFILE_ATTRIBUTES))} (expected one of: ${[...PROFILE_ATTRIBUTES].map((a) => `profile.${a}`).join(", ")})`;
    case "scores":
      if (rest.length === 1 && SCORE_NAMES.has(leaf)) return undefined;
      return `"${name}" is not a score (expected scores.churn or scores.propensity)`;
    case "context":
      return rest.length > 0 ? undefined : `"${name}" names no context field (expected context.<field>)`;
    default:
      return `variable "${name}" is outside the allowed variables (${EXPECTED_ROOTS})`;
  }
}

type Path = readonly (string | number)[];

/** Why operator `op` with `count` arguments is refused, or undefined when it is allowed. */
function operatorProblem(op: string, count: number): string | undefined {
  const forbidden = FORBIDDEN.get(op);
  if (forbidden !== undefined) return `operator "${op}" is not allowed: it ${forbidden}`;
  const arity = ARITY.get(op);
  if (arity === undefined) {
    const hit = closest(op, ALLOWED_OPERATORS);
    const guess = hit === undefined ? "" : ` (did you mean "${hit}"?)`;
    return `operator "${op}" is not allowed${guess} (allowed: ${ALLOWED_OPERATORS.join(" ")})`;
  }
  const [min, max] = arity;
  if (count >= min && count <= max) return undefined;
  const wanted =
    min === max ? `${min}` : max === Number.POSITIVE_INFINITY ? `at least ${min}` : `${min} to ${max}`;
  return `operator "${op}" takes ${wanted} argument(s), got ${count}`;
}

/** Every problem of `rule`, each at its path inside the rule; empty when the rule is safe to run. */
export function checkRule(rule: Rule): RuleProblem[] {
  const problems: RuleProblem[] = [];
  let nodes = 0;
  const add = (path: Path, reason: string): void => {
    problems.push({ path, reason });
  };

  const variableNames = (op: string, args: unknown[], path: Path): void => {
    const names =
      op === "missing_some" ? args[1] : args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    const base = op === "missing_some" ? [...path, 1] : path;
    if (!Array.isArray(names)) {
      add(base, `${op} needs a list of literal variable names`);
      return;
    }
    names.forEach((n, i) => {
      const reason =
        typeof n === "string" ? checkVariable(n) : `${op} needs literal variable names (strings)`;
      if (reason) add([...base, i], reason);
    });
  };

  const walk = (node: unknown, path: Path, depth: number): void => {
    nodes += 1;
    if (nodes === MAX_NODES + 1) add([], `rule is larger than ${MAX_NODES} parts`);
    if (nodes > MAX_NODES) return;
    if (depth > MAX_DEPTH) {
      add(path, `rule nests deeper than ${MAX_DEPTH} levels`);
      return;
    }
    if (node === null || typeof node !== "object") {
      if (node !== null && !["string", "number", "boolean"].includes(typeof node))
        add(path, `${typeof node} is not JSON`);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        walk(item, [...path, i], depth + 1);
      });
      return;
    }
    const keys = Object.keys(node);
    if (keys.length !== 1) {
      const found = `found ${keys.length}: ${keys.join(", ") || "none"}`;
      add(path, `an operation must have exactly one key, its operator (${found})`);
      return;
    }
    const op = keys[0]!;
    const raw = (node as Record<string, unknown>)[op];
    const args = Array.isArray(raw) ? raw : [raw];
    // `{"!": x}` is shorthand for `{"!": [x]}`: the argument then sits at the operator's own path.
    const argPath = (i: number): Path => (Array.isArray(raw) ? [...path, op, i] : [...path, op]);
    const problem = operatorProblem(op, args.length);
    if (problem !== undefined) {
      add([...path, op], problem);
      return;
    }
    if (op === "var") {
      const name = args[0];
      const reason =
        typeof name === "string"
          ? checkVariable(name)
          : `var needs a literal variable name such as "features.age"`;
      if (reason) add(argPath(0), reason);
      if (args.length === 2) walk(args[1], argPath(1), depth + 1);
      return;
    }
    if (op === "missing" || op === "missing_some") {
      // json-logic evaluates every argument, so missing_some's count must be checked too: a literal,
      // or it could carry any operation past every other check.
      if (op === "missing_some" && !(Number.isInteger(args[0]) && (args[0] as number) >= 0))
        add(argPath(0), "missing_some needs a literal whole number (how many of the names must be present)");
      variableNames(op, args, [...path, op]);
      return;
    }
    args.forEach((arg, i) => {
      walk(arg, argPath(i), depth + 1);
    });
  };

  walk(rule, [], 0);
  return problems;
}
