/** A short readable form of a compiled rule for explanations, computed once per rule object. */
import type { CompiledRule } from "../policy/policy-rules.js";

const cache = new WeakMap<CompiledRule, string>();
const MAX = 160;

export function ruleText(rule: CompiledRule): string {
  let text = cache.get(rule);
  if (text === undefined) {
    const logic = JSON.stringify(rule.logic);
    text = `${rule.source} ${logic.length > MAX ? `${logic.slice(0, MAX)}...` : logic}`;
    cache.set(rule, text);
  }
  return text;
}
