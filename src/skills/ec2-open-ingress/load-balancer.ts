/**
 * Whether a security group fronts an internet-facing load balancer, and on which listener ports:
 * closing those to the internet would take the load balancer offline. Only load balancers are
 * recognised as public entry points (aws_lb/aws_alb/aws_elb, AWS::ElasticLoadBalancingV2 and
 * classic), linked to the group through their `security_groups` / `SecurityGroups`; a group in
 * front of anything else (an instance behind CloudFront, an API) is judged as any other.
 */
import { cfnResolver } from '../../iac/cloudformation/resolve.js';
import { propertyAt, refersToResource, type CfnResource, type CfnTemplate, type CfnValue } from '../../iac/cloudformation/template.js';
import { attribute, blocks, type HclBody } from '../../iac/terraform/hcl-structure.js';
import { attrValue, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { optionsOf } from '../../iac/values.js';
import { AUTHORIZED_TCP_PORTS, portOf } from './ports.js';

export interface PublicEntry {
  /** The load balancers in front of which the group stands (`aws_lb.web`, `WebLoadBalancer`). */
  readonly balancers: readonly string[];
  /** Their listener ports, or 80 and 443 when no listener port could be read. */
  readonly ports: readonly number[];
  /** Where the ports come from, for notes: `listeners aws_lb_listener.https` or why 80 and 443. */
  readonly from: string;
}

function entry(balancers: readonly string[], listeners: readonly { name: string; port: number | undefined }[]): PublicEntry | undefined {
  if (balancers.length === 0) return undefined;
  const read = listeners.filter((l) => l.port !== undefined);
  const ports = [...new Set(read.map((l) => l.port ?? 0))].sort((a, b) => a - b);
  if (ports.length > 0) return { balancers, ports, from: `listener(s) ${read.map((l) => l.name).join(', ')}` };
  const why = listeners.length === 0 ? 'no listener of it is in these files' : 'the ports of its listeners cannot be evaluated';
  return { balancers, ports: AUTHORIZED_TCP_PORTS, from: `${why}: the usual 80 and 443 were kept, check they are the ones it serves` };
}

/** `aws_security_group.web.id` as written in `expr` (a list, a reference, a function call). */
function mentions(expr: string | undefined, address: string): boolean {
  return expr !== undefined && new RegExp(`(^|[^\\w.-])${address.replace(/\./g, '\\.')}\\.id\\b`).test(expr);
}

/** The security group a Terraform ingress resource belongs to: itself, or the group its `security_group_id` names. */
function tfGroup(module: TfModule, resource: TfResource): TfResource | undefined {
  if (resource.type === 'aws_security_group') return resource;
  const id = attribute(resource.block.body, 'security_group_id')?.expr;
  return module.resources.find((r) => r.type === 'aws_security_group' && mentions(id, r.address));
}

function tfInternal(module: TfModule, body: HclBody): boolean {
  const v = attrValue(module, body, 'internal');
  return v === true || v === 'true';
}

/** The internet-facing load balancers (an `internal` that cannot be evaluated counts as internet-facing) in front of the group. */
export function tfPublicEntry(module: TfModule, resource: TfResource): PublicEntry | undefined {
  const group = tfGroup(module, resource);
  if (!group) return undefined;
  const balancers = module.resources.filter(
    (r) =>
      ['aws_lb', 'aws_alb', 'aws_elb'].includes(r.type) &&
      mentions(attribute(r.block.body, 'security_groups')?.expr, group.address) &&
      !tfInternal(module, r.block.body),
  );
  const listeners = balancers.flatMap((lb) =>
    lb.type === 'aws_elb'
      ? blocks(lb.block.body, 'listener').map((l, i) => ({
          name: `${lb.address} listener #${i + 1}`,
          port: portOf(attrValue(module, l.body, 'lb_port')),
        }))
      : module.resources
          .filter(
            (l) =>
              ['aws_lb_listener', 'aws_alb_listener'].includes(l.type) &&
              new RegExp(`(^|[^\\w.-])${lb.address.replace(/\./g, '\\.')}\\.`).test(
                attribute(l.block.body, 'load_balancer_arn')?.expr ?? '',
              ),
          )
          .map((l) => ({ name: l.address, port: portOf(attrValue(module, l.block.body, 'port')) })),
  );
  return entry(
    balancers.map((b) => b.address),
    listeners,
  );
}

const CFN_V2 = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const CFN_CLASSIC = 'AWS::ElasticLoadBalancing::LoadBalancer';

/** The one value an intrinsic takes without parameter overrides, if it has exactly one. */
function single(template: CfnTemplate, v: CfnValue | undefined): CfnValue | undefined {
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const resolved = cfnResolver(template).resolve(v);
  const options = resolved === undefined ? [] : optionsOf(resolved);
  const [only] = options;
  return options.length === 1 && (typeof only === 'string' || typeof only === 'number') ? only : undefined;
}

/** The internet-facing load balancers (a `Scheme` that cannot be evaluated counts as internet-facing) in front of the group. */
export function cfnPublicEntry(template: CfnTemplate, resource: CfnResource): PublicEntry | undefined {
  const groupId =
    resource.type === 'AWS::EC2::SecurityGroup'
      ? resource.logicalId
      : template.resources.find(
          (r) => r.type === 'AWS::EC2::SecurityGroup' && refersToResource(propertyAt(resource, ['Properties', 'GroupId']), r.logicalId),
        )?.logicalId;
  if (groupId === undefined) return undefined;
  const balancers = template.resources.filter((r) => {
    if (r.type !== CFN_V2 && r.type !== CFN_CLASSIC) return false;
    const groups = propertyAt(r, ['Properties', 'SecurityGroups']);
    const attached = Array.isArray(groups) && groups.some((g) => refersToResource(g, groupId));
    return attached && single(template, propertyAt(r, ['Properties', 'Scheme'])) !== 'internal';
  });
  const listeners = balancers.flatMap((lb) => {
    if (lb.type === CFN_CLASSIC) {
      const list = propertyAt(lb, ['Properties', 'Listeners']);
      return (Array.isArray(list) ? list : []).map((l, i) => ({
        name: `${lb.logicalId} Listeners #${i + 1}`,
        port: portOf(l && typeof l === 'object' && !Array.isArray(l) ? single(template, l.LoadBalancerPort) : undefined),
      }));
    }
    return template.resources
      .filter(
        (l) =>
          l.type === 'AWS::ElasticLoadBalancingV2::Listener' &&
          refersToResource(propertyAt(l, ['Properties', 'LoadBalancerArn']), lb.logicalId),
      )
      .map((l) => ({ name: l.logicalId, port: portOf(single(template, propertyAt(l, ['Properties', 'Port']))) }));
  });
  return entry(
    balancers.map((b) => b.logicalId),
    listeners,
  );
}
