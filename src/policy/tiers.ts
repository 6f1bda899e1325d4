/** Which autonomy tier applies to a finding: the first matching policy rule, else the default. */
import type { Config, PolicyRuleConfig, Tier } from '../config/schema.js';
import type { Finding } from '../findings/finding.js';
import { atLeast } from '../findings/severity.js';

export interface TierChoice {
  readonly tier: Tier;
  /** The rule that chose it; undefined when the default applied. */
  readonly rule?: string | undefined;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

function ruleMatches(rule: PolicyRuleConfig, finding: Finding): boolean {
  const m = rule.match;
  if (m.controls && !(finding.controlId !== undefined && m.controls.some((c) => globToRegExp(c).test(finding.controlId ?? ''))))
    return false;
  if (m.minSeverity && !atLeast(finding.severity.label, m.minSeverity)) return false;
  if (m.accounts && !m.accounts.includes(finding.account)) return false;
  if (m.regions && !m.regions.includes(finding.region)) return false;
  if (m.sources && !m.sources.includes(finding.source)) return false;
  return true;
}

/** Rules are ordered: the first whose every condition holds decides, as in a firewall. */
export function chooseTier(finding: Finding, policy: Config['policy']): TierChoice {
  const rule = policy.rules.find((r) => ruleMatches(r, finding));
  return rule ? { tier: rule.tier, rule: rule.name } : { tier: policy.default };
}
