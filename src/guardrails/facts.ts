/**
 * Most rules compare sets of facts: each side of the patch is reduced to facts ("this group admits
 * 0.0.0.0/0 on 22/tcp", "this resource has a local-exec provisioner"), and a fact the after side
 * has that the before side lacks is the patch's doing. Walkers list every attribute or property
 * of every resource, so a fact is found wherever in a resource it is written.
 */
import { valueOf, type CfnResource, type CfnValue } from '../iac/cloudformation/template.js';
import type { HclAttribute, HclBody } from '../iac/terraform/hcl-structure.js';
import type { TfModule, TfResource } from '../iac/terraform/module.js';
import { printable } from '../printable.js';
import { cfnHolder, tfHolder, type Holder, type Side } from './side.js';
import type { GuardrailRule, GuardrailViolation } from './types.js';

export interface Fact {
  readonly holder: Holder;
  /** What the fact is, unique within its holder. */
  readonly key: string;
  /** The sentence after `<file>: ` in the violation. */
  readonly message: string;
}

/**
 * A violation whose message starts with the file, as reviewers read them. Both are printable: what
 * they quote from the patch (paths, values) cannot move a cursor or reverse the reading order
 * wherever the verdict is shown.
 */
export function violation(rule: GuardrailRule, file: string, message: string): GuardrailViolation {
  const shown = printable(file);
  return { rule, file: shown, message: `${shown}: ${printable(message)}` };
}

/** One violation per fact of `after` that `before` does not have. */
export function added(rule: GuardrailRule, before: readonly Fact[], after: readonly Fact[]): GuardrailViolation[] {
  const id = (f: Fact): string => `${f.holder.key}\u0000${f.key}`;
  const seen = new Set(before.map(id));
  return after.flatMap((f) => {
    if (seen.has(id(f))) return [];
    seen.add(id(f));
    return [violation(rule, f.holder.file, f.message)];
  });
}

/** Text with runs of whitespace collapsed: re-indentation and `terraform fmt` alignment are no change. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export interface TfEntry {
  readonly holder: Holder;
  readonly resource: TfResource;
  /** `ingress.cidr_blocks`: nested block types, then the attribute name. */
  readonly path: string;
  readonly attr: HclAttribute;
  /** The body the attribute is in. */
  readonly body: HclBody;
}

/** Every attribute of every resource, data source and module call, nested blocks included. */
export function tfEntries(module: TfModule): TfEntry[] {
  const entries: TfEntry[] = [];
  const walk = (resource: TfResource, holder: Holder, body: HclBody, prefix: string): void => {
    for (const item of body.items) {
      if (item.kind === 'attribute') entries.push({ holder, resource, path: `${prefix}${item.name}`, attr: item, body });
      else walk(resource, holder, item.body, `${prefix}${item.type}.`);
    }
  };
  for (const r of module.resources) walk(r, tfHolder(r), r.block.body, '');
  return entries;
}

export interface CfnEntry {
  readonly holder: Holder;
  readonly resource: CfnResource;
  /** `NetworkInterfaces[0].AssociatePublicIpAddress`, under `Properties`. */
  readonly path: string;
  /** The key the value is under; empty for a list item. */
  readonly name: string;
  readonly value: CfnValue;
}

/** Every value under the `Properties` of every resource, intrinsics in long form. */
export function cfnEntries(side: Side): CfnEntry[] {
  if (side.kind !== 'cloudformation') return [];
  const entries: CfnEntry[] = [];
  const walk = (resource: CfnResource, holder: Holder, value: CfnValue, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        entries.push({ holder, resource, path: `${path}[${i}]`, name: '', value: v });
        walk(resource, holder, v, `${path}[${i}]`);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const at = path === '' ? k : `${path}.${k}`;
        entries.push({ holder, resource, path: at, name: k, value: v });
        walk(resource, holder, v, at);
      }
    }
  };
  for (const t of side.templates) {
    for (const r of t.resources) {
      const whole = valueOf(r.node);
      const properties = whole && typeof whole === 'object' && !Array.isArray(whole) ? whole.Properties : undefined;
      if (properties !== undefined) walk(r, cfnHolder(t, r), properties, '');
    }
  }
  return entries;
}
