/**
 * `widened-network`: ingress from the whole internet that no rule of the same group allowed before
 * (a new open source, or a wider port range on a rule that was open already; `ingress.ts`), and
 * settings that put resources on the internet: `publicly_accessible`, public IPs on launch, a
 * public EKS endpoint, internet-facing load balancers (the default when `internal` or `Scheme` is
 * left out), Elastic IPs attached to instances, internet gateways and routes through them (VPC
 * peering is in `shares.ts`). Every setting is judged by what it may be: a value cloudmend cannot
 * evaluate may be true.
 */
import { keyOf, mayBeFalse, mayBeTrue, optionsOf, Ref, refsIn, refText, shownVal, type Val } from '../iac/values.js';
import { added, violation, type Fact } from './facts.js';
import { openIngress, type OpenIngress } from './ingress.js';
import type { Resource, Side } from './side.js';
import type { GuardrailViolation } from './types.js';
import { entries, holderOf, namePath, shownPath } from './walk.js';

function reach(o: OpenIngress): string {
  return o.protocol === 'all' ? 'for all traffic' : o.from < 0 ? `for ${o.protocol}` : `on ${o.from}-${o.to}/${o.protocol}`;
}

function ingressChanges(before: readonly OpenIngress[], after: readonly OpenIngress[]): GuardrailViolation[] {
  const reported = new Set<string>();
  return after.flatMap((a) => {
    const was = before.filter((b) => b.holder.key === a.holder.key && b.family === a.family);
    if (was.some((b) => (b.protocol === 'all' || b.protocol === a.protocol) && b.from <= a.from && a.to <= b.to)) return [];
    const message = `${a.holder.id} gains ingress from ${a.cidr} ${reach(a)}${was.length > 0 ? ` (open before only ${[...new Set(was.map(reach))].join(', ')})` : ''}`;
    if (reported.has(message)) return [];
    reported.add(message);
    return [violation('widened-network', a.holder.file, message, a.line)];
  });
}

/** Settings that make a resource reachable from the internet when true. */
const PUBLIC_WHEN_TRUE = new Set([
  'publicly_accessible',
  'map_public_ip_on_launch',
  'associate_public_ip_address',
  'endpoint_public_access',
  'map_customer_owned_ip_on_launch',
  'PubliclyAccessible',
  'MapPublicIpOnLaunch',
  'AssociatePublicIpAddress',
  'EndpointPublicAccess',
]);

function settings(r: Resource): Fact[] {
  const holder = holderOf(r);
  return entries(r.props).flatMap((e): Fact[] =>
    PUBLIC_WHEN_TRUE.has(e.name) && mayBeTrue(e.value)
      ? [
          {
            holder,
            key: `on ${shownPath(e.path)}`,
            line: r.lineOf(e.path),
            message: `${r.id} sets ${namePath(e.path)} to ${shownVal(e.value)}: it may be reachable from the internet`,
          },
        ]
      : [],
  );
}

type Get = (name: string) => Val | undefined;

/** Whole resources that face the internet, by type. */
const REACH: Readonly<Record<string, readonly [string, (get: Get) => boolean]>> = {
  aws_lb: ['is an internet-facing load balancer', (get) => mayBeFalse(get('internal'))],
  aws_alb: ['is an internet-facing load balancer', (get) => mayBeFalse(get('internal'))],
  aws_elb: ['is an internet-facing load balancer', (get) => mayBeFalse(get('internal'))],
  aws_eip: ['is an Elastic IP: a fixed public address into the network', () => true],
  aws_eip_association: ['attaches an Elastic IP', () => true],
  aws_internet_gateway: ['attaches an internet gateway to the VPC', (get) => get('vpc_id') !== undefined],
  aws_internet_gateway_attachment: ['attaches an internet gateway', () => true],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': [
    'is an internet-facing load balancer',
    (get) => optionsOf(get('Scheme') ?? null).some((s) => s !== 'internal') && optionsOf(get('Type') ?? null).some((t) => t !== 'gateway'),
  ],
  'AWS::ElasticLoadBalancing::LoadBalancer': [
    'is an internet-facing load balancer',
    (get) => optionsOf(get('Scheme') ?? null).some((s) => s !== 'internal'),
  ],
  'AWS::EC2::EIP': ['is an Elastic IP: a fixed public address into the network', () => true],
  'AWS::EC2::EIPAssociation': ['attaches an Elastic IP', () => true],
  'AWS::EC2::VPCGatewayAttachment': ['attaches a gateway to the VPC', (get) => get('InternetGatewayId') !== undefined],
};

/** True when the only use of an Elastic IP is a NAT gateway's address: outbound traffic, nothing reachable. */
function natOnly(side: Side, eip: Resource): boolean {
  const users = side.resources.filter((r) => r.key !== eip.key && r.text.includes(eip.kind === 'terraform' ? `${eip.id}.` : `"${eip.id}"`));
  return users.length > 0 && users.every((u) => u.type === 'aws_nat_gateway' || u.type === 'AWS::EC2::NatGateway');
}

function facing(side: Side, r: Resource): Fact[] {
  const found = r.mode === 'resource' ? REACH[r.type] : undefined;
  if (!found?.[1]((name) => r.props[name])) return [];
  if ((r.type === 'aws_eip' || r.type === 'AWS::EC2::EIP') && natOnly(side, r)) return [];
  return [{ holder: holderOf(r), key: `reach ${found[0]}`, message: `${r.id} ${found[0]}` }];
}

/** Route resources (and route tables with inline routes), whose `gateway_id` / `GatewayId` is where traffic goes. */
const ROUTES = new Set(['aws_route', 'aws_route_table', 'aws_default_route_table', 'AWS::EC2::Route']);

/** Gateways that are not internet gateways, by the type of the resource a reference names. */
const OTHER_GATEWAYS = new Set(['aws_vpn_gateway', 'aws_ec2_transit_gateway', 'AWS::EC2::VPNGateway', 'AWS::EC2::TransitGateway']);

/**
 * Whether a route's gateway may be an internet gateway: an `igw-` id, a reference to one, or a
 * value cloudmend cannot tell (but `local`, `vgw-` ids and references to VPN or transit gateways).
 */
function mayBeInternetGateway(side: Side, v: Val): boolean {
  return optionsOf(v).some((o) => {
    if (o === null) return false;
    const text = o instanceof Ref ? refText(o.name) : typeof o === 'string' ? o : undefined;
    if (text === undefined) return true;
    const refs = refsIn(text);
    if (refs.length === 0) return !(text === 'local' || text.startsWith('vgw-'));
    // `aws_vpn_gateway.main.id` (Terraform) or `Vgw` (CloudFormation): the type of what it names.
    return refs.some((name) => {
      const named = side.resources.find((r) => r.id === name || name.startsWith(`${r.id}.`));
      return !named || !OTHER_GATEWAYS.has(named.type);
    });
  });
}

function internetRoutes(side: Side, r: Resource): Fact[] {
  if (r.mode !== 'resource' || !ROUTES.has(r.type)) return [];
  const holder = holderOf(r);
  return entries(r.props)
    .filter((e) => (e.name === 'gateway_id' || e.name === 'GatewayId') && mayBeInternetGateway(side, e.value))
    .map((e) => ({
      holder,
      key: `routes ${shownPath(e.path)} ${keyOf(e.value)}`,
      line: r.lineOf(e.path),
      message: `${r.id} routes traffic through ${shownVal(e.value)}, which may be an internet gateway: the subnets using the table face the internet`,
    }));
}

function facts(side: Side): Fact[] {
  return side.resources.flatMap((r) => [...settings(r), ...facing(side, r), ...internetRoutes(side, r)]);
}

/** Network exposure the patch adds. */
export function widenedNetwork(before: Side, after: Side): GuardrailViolation[] {
  return [...ingressChanges(openIngress(before), openIngress(after)), ...added('widened-network', facts(before), facts(after))];
}
