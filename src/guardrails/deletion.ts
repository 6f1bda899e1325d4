/**
 * `removed-resource`: a patch that fixes a finding never destroys infrastructure. A resource whose
 * address (or logical id) is gone after the patch is destroyed on apply, unless a Terraform `moved`
 * block carries it to an address that exists. What decides how many instances exist counts too,
 * judged on evaluated values, so that a changed variable default or local is seen as well as a
 * changed expression: a `count` or `for_each` that cannot be shown to keep every instance it had,
 * a CloudFormation `Condition` that may now be false (a new condition, another one, or a changed
 * definition or parameter default), a changed `Type`. And what stands between a resource and its
 * destruction: `DeletionPolicy` / `UpdateReplacePolicy` weakened, deletion or termination
 * protection or `prevent_destroy` no longer true, `force_destroy` / `skip_final_snapshot` possibly
 * true on a resource that existed.
 */
import { instanceKeys } from '../iac/terraform/config.js';
import { keyOf, mayBeFalse, mayBeTrue, optionsOf, Ref, shownVal, truth, type Val } from '../iac/values.js';
import { violation } from './facts.js';
import type { Resource, Side } from './side.js';
import type { GuardrailViolation } from './types.js';
import { byKey, dirOf, entries, namePath } from './walk.js';

/** `moved { from = a, to = b }` of the after side, as keys: from → to. */
function moves(after: Side): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of after.settings) {
    if (s.kind !== 'moved') continue;
    const props = s.value as { from?: Val; to?: Val };
    const [from, to] = [props.from, props.to].map((v) => (v instanceof Ref ? `${dirOf(s.key)}${v.name}` : undefined));
    if (from !== undefined && to !== undefined) out.set(from, to);
  }
  return out;
}

function instances(b: Resource, a: Resource): GuardrailViolation[] {
  return (['count', 'for_each'] as const).flatMap((name) => {
    const [was, is] = [b.meta[name], a.meta[name]];
    if (was === undefined && is === undefined) return [];
    if (was !== undefined && is !== undefined && keyOf(was) === keyOf(is)) return [];
    const [before, after] = [instanceKeys(name, was), instanceKeys(name, is)];
    const lost = before && after ? before.filter((k) => !after.includes(k)) : undefined;
    if (lost && lost.length === 0) return [];
    const what = lost
      ? `drops instance${lost.length === 1 ? '' : 's'} ${lost.slice(0, 5).join(', ')}`
      : 'can no longer be shown to keep every instance it has';
    const change = `${name} ${was === undefined ? 'absent' : shownVal(was)} → ${is === undefined ? 'absent' : shownVal(is)}`;
    return [violation('removed-resource', a.file, `${a.id} ${what} (${change}): applying the patch can destroy them`, a.lineOf([name]))];
  });
}

function condition(b: Resource, a: Resource): GuardrailViolation[] {
  const [was, is] = [b.meta.Condition, a.meta.Condition];
  if (is === undefined) return [];
  const named = typeof a.meta.ConditionName === 'string' ? a.meta.ConditionName : 'a condition';
  const sameName = b.meta.ConditionName === a.meta.ConditionName;
  // A condition where there was none, or another one: other deployments (other parameter values) may delete it.
  if (was === undefined || !sameName) {
    const why = was === undefined ? `gets Condition ${named}` : `changes its Condition to ${named}`;
    return [violation('removed-resource', a.file, `${a.id} ${why}: every deployment where it is false deletes it`, a.line)];
  }
  if (keyOf(was) === keyOf(is) || !mayBeFalse(is)) return [];
  return [
    violation(
      'removed-resource',
      a.file,
      `${a.id} has Condition ${named} changed to ${shownVal(is)}, which may be false: the stack then deletes it`,
      a.line,
    ),
  ];
}

/** How much of a resource a CloudFormation policy keeps when the resource goes. */
const KEEPS: Readonly<Record<string, number>> = { Retain: 3, RetainExceptOnCreate: 2, Snapshot: 1, Delete: 0 };
/** Settings that protect when true. */
const GUARDS = new Set([
  'prevent_destroy',
  'deletion_protection',
  'deletion_protection_enabled',
  'enable_deletion_protection',
  'disable_api_termination',
  'DeletionProtection',
  'DeletionProtectionEnabled',
  'DisableApiTermination',
  'TerminationProtection',
]);
/** Settings that remove a safeguard when true. */
const HAZARDS = new Set(['force_destroy', 'skip_final_snapshot', 'DeleteAutomatedBackups']);

/** The least a policy may keep: absent is Delete, unknown keeps nothing. */
function keeps(v: Val | undefined): number {
  if (v === undefined) return 0;
  return Math.min(...optionsOf(v).map((o) => (typeof o === 'string' ? (KEEPS[o] ?? 0) : 0)));
}

function protection(b: Resource, a: Resource): GuardrailViolation[] {
  const out: GuardrailViolation[] = [];
  for (const name of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
    if (b.kind !== 'cloudformation') break;
    const [was, is] = [keeps(b.meta[name]), keeps(a.meta[name])];
    const when = name === 'DeletionPolicy' ? 'removing it from the stack' : 'replacing it';
    const shown = (v: Val | undefined): string => (v === undefined ? 'Delete' : typeof v === 'string' ? v : shownVal(v));
    if (is < was)
      out.push(
        violation(
          'removed-resource',
          a.file,
          `${a.id} changes ${name} from ${shown(b.meta[name])} to ${shown(a.meta[name])}: ${when} now destroys it and its data`,
          a.line,
        ),
      );
  }
  // Paths without list indexes: a resource has one lifecycle block, one set of protections.
  const settings = (r: Resource) => [...entries(r.props), ...entries(r.meta)].map((e) => [namePath(e.path), e] as const);
  const after = new Map(settings(a));
  for (const [path, e] of settings(b)) {
    if (!GUARDS.has(e.name) || truth(e.value) !== true) continue;
    const now = after.get(path)?.value;
    if (mayBeFalse(now))
      out.push(
        violation(
          'removed-resource',
          a.file,
          `${a.id} turns off ${path} (it was true)${now === undefined ? ', removing it' : ''}: nothing stops its destruction any more`,
          a.lineOf(e.path),
        ),
      );
  }
  const before = new Map(settings(b));
  for (const [path, e] of after) {
    if (!HAZARDS.has(e.name) || !mayBeTrue(e.value) || truth(before.get(path)?.value ?? false) === true) continue;
    out.push(
      violation(
        'removed-resource',
        a.file,
        `${a.id} sets ${path} to ${shownVal(e.value)}: a later destroy takes its data with it`,
        a.lineOf(e.path),
      ),
    );
  }
  return out;
}

/** Resources (and instances) present before the patch that it can destroy, and safeguards it removes. */
export function removedResources(before: Side, after: Side): GuardrailViolation[] {
  const now = byKey(after.resources);
  const moved = moves(after);
  return before.resources.flatMap((b) => {
    // A data source or ephemeral resource holds nothing that a destroy would lose.
    if (b.mode === 'data' || b.mode === 'ephemeral') return [];
    const a = now.get(b.key);
    if (!a) {
      const to = moved.get(b.key);
      if (to !== undefined && now.has(to)) return [];
      return [
        violation(
          'removed-resource',
          b.file,
          `${b.id} is removed: ${b.kind === 'cloudformation' ? 'updating the stack deletes it' : 'applying the patch destroys it'}`,
          b.line,
        ),
      ];
    }
    // A module's type is its source: another source is code-execution's to judge.
    if (a.type !== b.type && a.mode !== 'module')
      return [
        violation('removed-resource', a.file, `${a.id} changes Type from ${b.type} to ${a.type}: updating the stack replaces it`, a.line),
      ];
    return [...instances(b, a), ...condition(b, a), ...protection(b, a)];
  });
}
