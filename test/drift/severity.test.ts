/** The security rules that raise a drift's severity: each with its reason; everything else keeps the finding's own. */
import { describe, expect, it } from 'vitest';
import { driftSeverity } from '../../src/drift/severity.js';
import { type Difference, type DriftReport, withVerdict } from '../../src/drift/types.js';
import type { Json } from '../../src/drift/partial.js';

const diff = (path: string, live: Json, extra: Partial<Difference> = {}): Difference => ({
  path,
  declared: null,
  live,
  class: 'security',
  category: 'network',
  weakens: true,
  why: '',
  ...extra,
});

const report = (...differences: Difference[]): DriftReport => ({
  resourceType: 'AWS::EC2::SecurityGroup',
  resourceId: 'sg-1',
  kind: 'terraform',
  address: 'aws_security_group.app',
  ...withVerdict(differences),
});

const rule = (from: number | null, to: number | null, peer: string) => ({
  protocol: from === null ? 'all' : 'tcp',
  from,
  to,
  kind: 'cidr',
  peer,
});

describe('driftSeverity', () => {
  it.each([
    ['world-open SSH', diff('ingress[tcp 22 0.0.0.0/0]', rule(22, 22, '0.0.0.0/0')), 'CRITICAL'],
    ['world-open IPv6 RDP', diff('ingress[tcp 3389 ::/0]', rule(3389, 3389, '::/0')), 'CRITICAL'],
    ['a range holding PostgreSQL', diff('ingress[tcp 5000-6000 0.0.0.0/0]', rule(5000, 6000, '0.0.0.0/0')), 'CRITICAL'],
    ['all traffic from anywhere', diff('ingress[all 0.0.0.0/0]', rule(null, null, '0.0.0.0/0')), 'CRITICAL'],
    ['world-open 8080', diff('ingress[tcp 8080 0.0.0.0/0]', rule(8080, 8080, '0.0.0.0/0')), 'HIGH'],
    [
      'world-open SSH as CloudFormation drift detection reports it',
      diff('/SecurityGroupIngress/2', '{"CidrIp":"0.0.0.0/0","FromPort":22,"IpProtocol":"tcp","ToPort":22}'),
      'CRITICAL',
    ],
    ['public access block off', diff('publicAccessBlock.blockPublicAcls', false, { declared: true, category: 'exposure' }), 'HIGH'],
    [
      'AdministratorAccess attached',
      diff('managedPolicyArns[arn:aws:iam::aws:policy/AdministratorAccess]', 'arn:aws:iam::aws:policy/AdministratorAccess', {
        category: 'iam',
      }),
      'CRITICAL',
    ],
    [
      'another managed policy attached',
      diff('managedPolicyArns[x]', 'arn:aws:iam::aws:policy/ReadOnlyAccess', { category: 'iam' }),
      'HIGH',
    ],
    [
      'Action *',
      diff('document.Statement[Allow *]', { Effect: 'Allow', Action: ['*'], Resource: ['arn:aws:s3:::b'] }, { category: 'iam' }),
      'CRITICAL',
    ],
    [
      'Principal *',
      diff('bucketPolicy.Statement[x]', { Effect: 'Allow', Principal: '*', Action: ['s3:getobject'] }, { category: 'exposure' }),
      'CRITICAL',
    ],
  ])('%s is %s', (_name, d, label) => {
    const severity = driftSeverity(report(d));
    expect(severity?.label).toBe(label);
    expect(severity?.reasons[0]).toMatch(new RegExp(`^${label}: .+ \\(.+\\)$`));
  });

  it('leaves the severity alone for an ingress from a private network, a benign change, or a change that secures', () => {
    expect(driftSeverity(report(diff('ingress[tcp 22 10.0.0.0/8]', rule(22, 22, '10.0.0.0/8'))))).toBeUndefined();
    expect(driftSeverity(report(diff('tags.team', 'x', { class: 'benign', category: undefined, weakens: false })))).toBeUndefined();
    expect(
      driftSeverity(report(diff('ingress[tcp 22 0.0.0.0/0]', null, { declared: rule(22, 22, '0.0.0.0/0'), weakens: false }))),
    ).toBeUndefined();
  });
});
