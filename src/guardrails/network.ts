/**
 * `widened-network`: ingress from the whole internet that no rule of the same group allowed before
 * (a new /0 source, or a wider port range on a rule that was already open), and settings that put
 * resources on the internet: `publicly_accessible`, public IPs on launch, and S3 Block Public Access
 * settings that end up off (set false, or left out of a public access block, where S3 reads them as
 * false).
 */
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { attribute } from '../iac/terraform/hcl-structure.js';
import { added, cfnEntries, tfEntries, violation, type Fact } from './facts.js';
import { openIngress, type OpenIngress } from './ingress.js';
import { tfHolder, type Side } from './side.js';
import type { GuardrailViolation } from './types.js';

function reach(o: OpenIngress): string {
  return o.protocol === 'all' ? 'for all traffic' : `on ${o.from}-${o.to}/${o.protocol}`;
}

function ingressChanges(before: readonly OpenIngress[], after: readonly OpenIngress[]): GuardrailViolation[] {
  const reported = new Set<string>();
  return after.flatMap((a) => {
    const was = before.filter((b) => b.holder.key === a.holder.key && b.family === a.family);
    if (was.some((b) => (b.protocol === 'all' || b.protocol === a.protocol) && b.from <= a.from && a.to <= b.to)) return [];
    const message = `${a.holder.id} gains ingress from ${a.cidr} ${reach(a)}${was.length > 0 ? ` (open before only ${[...new Set(was.map(reach))].join(', ')})` : ''}`;
    if (reported.has(message)) return [];
    reported.add(message);
    return [violation('widened-network', a.holder.file, message)];
  });
}

/** Settings that make a resource reachable from the internet when true. */
const PUBLIC_WHEN_TRUE = new Set(['publicly_accessible', 'map_public_ip_on_launch', 'associate_public_ip_address', 'PubliclyAccessible', 'MapPublicIpOnLaunch', 'AssociatePublicIpAddress']);
const BLOCK_PUBLIC_TF = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
const BLOCK_PUBLIC_CFN = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'];
/** Terraform resources whose Block Public Access settings default to false when left out. */
const TF_BLOCKS = new Set(['aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block']);

const isTrue = (v: unknown): boolean => v === true || v === 'true';
const isFalse = (v: unknown): boolean => v === false || v === 'false';

/**
 * A setting as a fact: on for public settings, off for Block Public Access. The key leaves out
 * whether an off setting is written false or left out: both read as false.
 */
function setting(name: string, path: string, value: unknown): { key: string; says: string } | undefined {
  if (PUBLIC_WHEN_TRUE.has(name) && isTrue(value)) return { key: `on ${path}`, says: `sets ${path} to true` };
  if ((BLOCK_PUBLIC_TF.includes(name) || BLOCK_PUBLIC_CFN.includes(name)) && isFalse(value)) return { key: `off ${path}`, says: `turns off Block Public Access setting ${path}` };
  return undefined;
}

function settings(side: Side): Fact[] {
  if (side.kind === 'cloudformation') {
    return cfnEntries(side).flatMap((e) => {
      const found = setting(e.name, e.path, e.value);
      const facts: Fact[] = found ? [{ holder: e.holder, key: found.key, message: `${e.holder.id} ${found.says}` }] : [];
      const config = e.value;
      if (e.name === 'PublicAccessBlockConfiguration' && config !== null && typeof config === 'object' && !Array.isArray(config)) {
        for (const name of BLOCK_PUBLIC_CFN.filter((n) => !(n in config))) {
          facts.push({ holder: e.holder, key: `off ${e.path}.${name}`, message: `${e.holder.id} leaves Block Public Access setting ${e.path}.${name} unset (false)` });
        }
      }
      return facts;
    });
  }
  const { module } = side;
  const written = tfEntries(module).flatMap((e): Fact[] => {
    const found = setting(e.attr.name, e.path, staticValue(readHclValue(e.attr.expr), module.resolve));
    return found ? [{ holder: e.holder, key: found.key, message: `${e.holder.id} ${found.says}` }] : [];
  });
  const unset = module.resources.flatMap((r): Fact[] =>
    r.mode === 'resource' && TF_BLOCKS.has(r.type)
      ? BLOCK_PUBLIC_TF.filter((n) => !attribute(r.block.body, n)).map((n) => ({ holder: tfHolder(r), key: `off ${n}`, message: `${r.address} leaves Block Public Access setting ${n} unset (false)` }))
      : [],
  );
  return [...written, ...unset];
}

/** Network exposure the patch adds. */
export function widenedNetwork(before: Side, after: Side): GuardrailViolation[] {
  return [...ingressChanges(openIngress(before), openIngress(after)), ...added('widened-network', settings(before), settings(after))];
}
