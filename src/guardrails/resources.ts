/**
 * `removed-resource`: a patch that fixes a finding never deletes infrastructure. A resource whose
 * address (or logical id) is gone after the patch is destroyed on apply, unless a Terraform
 * `moved` block carries it to its new address. Meta-arguments that decide how many instances exist
 * count too: a `count` or `for_each` that changes in a way that cannot be shown to keep every
 * instance, or a CloudFormation `Condition` that appears or changes, or a changed `Type`.
 */
import { valueOf, type CfnResource, type CfnTemplate } from '../iac/cloudformation/template.js';
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { attribute, blocks, type HclBody } from '../iac/terraform/hcl-structure.js';
import { attrExpr, attrValue, type TfModule, type TfResource } from '../iac/terraform/module.js';
import { squash, violation } from './facts.js';
import type { Side } from './side.js';
import type { GuardrailViolation } from './types.js';

/** `moved { from = a, to = b }` blocks of the module, from → to. */
function movedTo(module: TfModule): Map<string, string> {
  const moves = new Map<string, string>();
  for (const file of module.files) {
    for (const block of blocks(file.body, 'moved')) {
      const [from, to] = ['from', 'to'].map((n) => {
        const attr = attribute(block.body, n);
        const value = attr ? readHclValue(attr.expr) : undefined;
        return value?.type === 'reference' ? value.path : undefined;
      });
      if (from !== undefined && to !== undefined) moves.set(from, to);
    }
  }
  return moves;
}

function keysOf(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? value : undefined;
  return value !== null && typeof value === 'object' ? Object.keys(value) : undefined;
}

/** True when the static values show that every instance `before` had is still there. */
function keepsInstances(name: 'count' | 'for_each', before: unknown, after: unknown): boolean {
  // Terraform moves a resource without `count` to index 0 and back by itself: absent counts as 1.
  if (name === 'count') return typeof (before ?? 1) === 'number' && typeof (after ?? 1) === 'number' && Number(after ?? 1) >= Number(before ?? 1);
  const [b, a] = [keysOf(before), keysOf(after)];
  return b !== undefined && a !== undefined && b.every((k) => a.includes(k));
}

/** A meta-argument's static value; `toset([...])` and friends read as their argument, whose keys they keep. */
function metaValue(module: TfModule, body: HclBody, name: string): unknown {
  const expr = attrExpr(body, name);
  const [arg] = expr?.type === 'call' && ['toset', 'tolist', 'tomap'].includes(expr.name) && expr.args.length === 1 ? expr.args : [];
  return arg ? staticValue(arg, module.resolve) : attrValue(module, body, name);
}

function shown(expr: string): string {
  const text = squash(expr);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function instanceChanges(before: TfModule, b: TfResource, after: TfModule, a: TfResource): GuardrailViolation[] {
  return (['count', 'for_each'] as const).flatMap((name) => {
    const [was, now] = [attribute(b.block.body, name), attribute(a.block.body, name)];
    if ((!was && !now) || (was && now && squash(was.expr) === squash(now.expr))) return [];
    if (keepsInstances(name, metaValue(before, b.block.body, name), metaValue(after, a.block.body, name))) return [];
    const change = was ? (now ? `changes ${name} from ${shown(was.expr)} to ${shown(now.expr)}` : `drops ${name} = ${shown(was.expr)}`) : `adds ${name} = ${shown(now?.expr ?? '')}`;
    return [violation('removed-resource', a.file.path, `${a.address} ${change}, which can destroy instances it has now`)];
  });
}

function terraform(before: TfModule, after: TfModule): GuardrailViolation[] {
  const now = new Map(after.resources.map((r) => [r.address, r]));
  const moves = movedTo(after);
  return before.resources.flatMap((b) => {
    const a = now.get(b.address);
    if (a) return instanceChanges(before, b, after, a);
    const to = moves.get(b.address);
    if (to !== undefined && now.has(to)) return [];
    return [violation('removed-resource', b.file.path, `${b.address} is removed: applying the patch destroys it`)];
  });
}

function condition(r: CfnResource): string | undefined {
  const whole = valueOf(r.node);
  const value = whole && typeof whole === 'object' && !Array.isArray(whole) ? whole.Condition : undefined;
  return value === undefined ? undefined : JSON.stringify(value);
}

function cloudformation(before: readonly CfnTemplate[], after: readonly CfnTemplate[]): GuardrailViolation[] {
  return before.flatMap((t) => {
    const now = new Map((after.find((x) => x.path === t.path)?.resources ?? []).map((r) => [r.logicalId, r]));
    return t.resources.flatMap((b): GuardrailViolation[] => {
      const a = now.get(b.logicalId);
      const v = (message: string): GuardrailViolation[] => [violation('removed-resource', t.path, `${b.logicalId} ${message}`)];
      if (!a) return v('is removed: updating the stack deletes it');
      if (a.type !== b.type) return v(`changes Type from ${b.type} to ${a.type}: updating the stack replaces it`);
      const [was, is] = [condition(b), condition(a)];
      if (is === undefined || is === was) return [];
      return v(`${was === undefined ? `gets Condition ${is}` : `changes Condition from ${was} to ${is}`}, which deletes it where the condition is false`);
    });
  });
}

/** Resources (and instances) present before the patch that it can destroy. */
export function removedResources(before: Side, after: Side): GuardrailViolation[] {
  if (before.kind === 'terraform' && after.kind === 'terraform') return terraform(before.module, after.module);
  if (before.kind === 'cloudformation' && after.kind === 'cloudformation') return cloudformation(before.templates, after.templates);
  return [];
}
