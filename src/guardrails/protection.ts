/**
 * `removed-resource`, continued: what stands between a resource and its destruction is not a fix's
 * to remove. A CloudFormation `DeletionPolicy` or `UpdateReplacePolicy` weakened (Retain → Snapshot
 * → Delete, absent meaning Delete), deletion or termination protection turned off, Terraform's
 * `lifecycle { prevent_destroy = true }` dropped, and, on resources that existed before,
 * `force_destroy` or `skip_final_snapshot` turned on: each makes a later destroy or replacement
 * take the data with it.
 */
import { valueOf } from '../iac/cloudformation/template.js';
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { cfnEntries, tfEntries, violation } from './facts.js';
import { cfnHolder, type Holder, type Side } from './side.js';
import type { GuardrailViolation } from './types.js';

/** How much of a resource a CloudFormation policy keeps when the resource goes. */
const KEEPS: Readonly<Record<string, number>> = { Retain: 3, RetainExceptOnCreate: 2, Snapshot: 1, Delete: 0 };

/** Settings that protect when true. */
const GUARDS = new Set(['prevent_destroy', 'deletion_protection', 'deletion_protection_enabled', 'enable_deletion_protection', 'disable_api_termination', 'DeletionProtection', 'DeletionProtectionEnabled', 'DisableApiTermination']);
/** Settings that remove a safeguard when true. */
const HAZARDS = new Set(['force_destroy', 'skip_final_snapshot']);

interface Setting {
  readonly holder: Holder;
  /** `lifecycle.prevent_destroy`, `DeletionPolicy`. */
  readonly path: string;
  readonly value: unknown;
}

const isTrue = (v: unknown): boolean => v === true || v === 'true';
/** A policy as written; absent is Delete, an intrinsic is shown as JSON (and keeps nothing). */
const policy = (v: unknown): string => (v === undefined ? 'Delete' : typeof v === 'string' ? v : JSON.stringify(v));

function settings(side: Side): { settings: Setting[]; holders: Set<string> } {
  if (side.kind === 'cloudformation') {
    const policies = side.templates.flatMap((t) =>
      t.resources.flatMap((r) => {
        const whole = valueOf(r.node);
        const get = (k: string): unknown => (whole !== null && typeof whole === 'object' && !Array.isArray(whole) ? whole[k] : undefined);
        return ['DeletionPolicy', 'UpdateReplacePolicy'].map((path) => ({ holder: cfnHolder(t, r), path, value: get(path) ?? 'Delete' }));
      }),
    );
    const guards = cfnEntries(side).flatMap((e) => (GUARDS.has(e.name) ? [{ holder: e.holder, path: e.path, value: e.value }] : []));
    return { settings: [...policies, ...guards], holders: new Set(policies.map((p) => p.holder.key)) };
  }
  const module = side.module;
  const found = tfEntries(module).flatMap((e) => (GUARDS.has(e.attr.name) || HAZARDS.has(e.attr.name) ? [{ holder: e.holder, path: e.path, value: staticValue(readHclValue(e.attr.expr), module.resolve) ?? e.attr.expr }] : []));
  return { settings: found, holders: new Set(module.resources.map((r) => r.address)) };
}

function weakened(s: Setting, now: Setting | undefined): string | undefined {
  const name = s.path.split('.').pop() ?? s.path;
  if (s.path === 'DeletionPolicy' || s.path === 'UpdateReplacePolicy') {
    const [was, is] = [policy(s.value), policy(now?.value)];
    const when = s.path === 'DeletionPolicy' ? 'removing it from the stack' : 'replacing it';
    return (KEEPS[is] ?? 0) < (KEEPS[was] ?? 0) ? `changes ${s.path} from ${was} to ${is}: ${when} now destroys it and its data` : undefined;
  }
  if (GUARDS.has(name)) return isTrue(s.value) && !isTrue(now?.value) ? `turns off ${s.path} (it was true): nothing stops its destruction any more` : undefined;
  return undefined;
}

/** Safeguards against destruction the patch removes from resources it keeps. */
export function weakenedProtection(before: Side, after: Side): GuardrailViolation[] {
  const [was, is] = [settings(before), settings(after)];
  const find = (list: readonly Setting[], s: Setting): Setting | undefined => list.find((x) => x.holder.key === s.holder.key && x.path === s.path);
  const lost = was.settings.flatMap((s) => {
    if (!is.holders.has(s.holder.key)) return [];
    const now = find(is.settings, s);
    const why = weakened(s, now);
    return why === undefined ? [] : [violation('removed-resource', (now ?? s).holder.file, `${s.holder.id} ${why}`)];
  });
  const hazards = is.settings.flatMap((s) => {
    const name = s.path.split('.').pop() ?? s.path;
    if (!HAZARDS.has(name) || !isTrue(s.value) || !was.holders.has(s.holder.key) || isTrue(find(was.settings, s)?.value)) return [];
    return [violation('removed-resource', s.holder.file, `${s.holder.id} sets ${s.path} to true: a later destroy takes its data with it`)];
  });
  return [...lost, ...hazards];
}
