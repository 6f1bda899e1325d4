/**
 * `widened-network`: ingress from the whole internet that no rule of the same group allowed before
 * (a new /0 source or one nearly as wide, or a wider port range on a rule that was already open),
 * and settings that put resources on the internet: `publicly_accessible`, public IPs on launch, a
 * public EKS endpoint, internet-facing load balancers (the default when `internal` or `Scheme` is
 * left out), Elastic IPs attached to instances, S3 Block Public Access settings that end up off (set
 * false, or left out of a public access block, where S3 reads them as false) and the account's Block
 * Public Access for AMIs and EBS snapshots unblocked.
 */
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { propertyAt } from '../iac/cloudformation/template.js';
import { attribute } from '../iac/terraform/hcl-structure.js';
import { attrValue } from '../iac/terraform/module.js';
import { added, cfnEntries, tfEntries, violation, type Fact } from './facts.js';
import { openIngress, type OpenIngress } from './ingress.js';
import { cfnHolder, tfHolder, type Side } from './side.js';
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
const PUBLIC_WHEN_TRUE = new Set([
  'publicly_accessible', 'map_public_ip_on_launch', 'associate_public_ip_address', 'endpoint_public_access',
  'PubliclyAccessible', 'MapPublicIpOnLaunch', 'AssociatePublicIpAddress', 'EndpointPublicAccess',
]);
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

/** Whole resources that face the internet, by type: `[says, when]`, `when` reading an argument or property. */
const TF_REACH: Readonly<Record<string, readonly [string, (get: (name: string) => unknown) => boolean]>> = {
  aws_lb: ['is an internet-facing load balancer', (get) => !isTrue(get('internal'))],
  aws_alb: ['is an internet-facing load balancer', (get) => !isTrue(get('internal'))],
  aws_elb: ['is an internet-facing load balancer', (get) => !isTrue(get('internal'))],
  aws_eip: ['attaches an Elastic IP to an instance or interface', (get) => get('instance') !== undefined || get('network_interface') !== undefined],
  aws_eip_association: ['attaches an Elastic IP', () => true],
  aws_ec2_image_block_public_access: ['turns off Block Public Access for AMIs', (get) => get('state') === 'unblocked'],
  aws_ebs_snapshot_block_public_access: ['turns off Block Public Access for EBS snapshots', (get) => get('state') === 'unblocked'],
};
const CFN_REACH: Readonly<Record<string, readonly [string, (get: (name: string) => unknown) => boolean]>> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['is an internet-facing load balancer', (get) => get('Scheme') !== 'internal' && get('Type') !== 'gateway'],
  'AWS::ElasticLoadBalancing::LoadBalancer': ['is an internet-facing load balancer', (get) => get('Scheme') !== 'internal'],
  'AWS::EC2::EIP': ['attaches an Elastic IP to an instance', (get) => get('InstanceId') !== undefined],
  'AWS::EC2::EIPAssociation': ['attaches an Elastic IP', () => true],
};

function facing(side: Side): Fact[] {
  if (side.kind === 'cloudformation') {
    return side.templates.flatMap((t) =>
      t.resources.flatMap((r): Fact[] => {
        const found = CFN_REACH[r.type];
        return found?.[1]((name) => propertyAt(r, ['Properties', name])) ? [{ holder: cfnHolder(t, r), key: 'reach', message: `${r.logicalId} ${found[0]}` }] : [];
      }),
    );
  }
  const { module } = side;
  return module.resources.flatMap((r): Fact[] => {
    const found = r.mode === 'resource' ? TF_REACH[r.type] : undefined;
    return found?.[1]((name) => attrValue(module, r.block.body, name) ?? attribute(r.block.body, name)?.expr) ? [{ holder: tfHolder(r), key: 'reach', message: `${r.address} ${found[0]}` }] : [];
  });
}

/** Network exposure the patch adds. */
export function widenedNetwork(before: Side, after: Side): GuardrailViolation[] {
  return [
    ...ingressChanges(openIngress(before), openIngress(after)),
    ...added('widened-network', settings(before), settings(after)),
    ...added('widened-network', facing(before), facing(after)),
  ];
}
