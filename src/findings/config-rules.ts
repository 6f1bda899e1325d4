/**
 * AWS Config rule name → Security Hub control. Security Hub deploys its rules as service-linked
 * rules named `securityhub-<rule identifier>-<8 hex>`; conformance packs append
 * `-conformance-pack-<id>`; a rule deployed by hand usually keeps the managed rule's identifier.
 */
import { CONTROLS } from './controls.js';

export type RuleResolution =
  | { readonly controlId: string; readonly identifier: string }
  | { readonly controlId?: undefined; readonly identifier: string; readonly candidates: readonly string[] };

const SERVICE_LINKED = /^securityhub-(.+)-[0-9a-f]{8}$/;
const CONFORMANCE_PACK = /-conformance-pack-[a-z0-9]+$/;

const CONTROLS_BY_RULE: ReadonlyMap<string, readonly string[]> = (() => {
  const index = new Map<string, string[]>();
  for (const control of CONTROLS.values()) {
    for (const rule of control.configRules) index.set(rule, [...(index.get(rule) ?? []), control.id]);
  }
  return index;
})();

/** The rule identifier inside a deployed rule's name (lower-kebab, as the control table keys it). */
export function ruleIdentifier(ruleName: string): string {
  const lower = ruleName.toLowerCase().replace(/_/g, '-');
  return (SERVICE_LINKED.exec(lower)?.[1] ?? lower).replace(CONFORMANCE_PACK, '');
}

/**
 * Whether a rule is one Security Hub deployed for its own controls: Security Hub imports every
 * evaluation of it as that control's finding, so the Config event says nothing the finding does not.
 */
export function isSecurityHubRule(ruleName: string): boolean {
  return SERVICE_LINKED.test(ruleName.toLowerCase().replace(/_/g, '-').replace(CONFORMANCE_PACK, ''));
}

/**
 * The control a Config rule evaluates. When several controls share one rule (the IAM password
 * policy family) the answer is ambiguous: no control, and the candidates, rather than a guess.
 */
export function resolveConfigRule(ruleName: string): RuleResolution {
  const identifier = ruleIdentifier(ruleName);
  const controls = CONTROLS_BY_RULE.get(identifier) ?? [];
  const [only] = controls;
  return controls.length === 1 && only !== undefined ? { controlId: only, identifier } : { identifier, candidates: controls };
}
