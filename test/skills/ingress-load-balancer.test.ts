/**
 * Do no harm: an ingress fix never takes an internet-facing load balancer off the internet. An
 * all-traffic rule on its group keeps the listener ports open and closes the rest; an internal
 * load balancer, or a group in front of none, keeps the narrowing fix. The variants are cut from
 * the skill's `internet-facing-alb` cases (a public ALB with an HTTPS listener, an internal one).
 */
import { describe, expect, it } from 'vitest';
import skill from '../../src/skills/ec2-open-ingress/index.js';
import { fix } from '../../src/skills/engine.js';
import type { IacKind } from '../../src/skills/types.js';
import { verifyFix } from '../../src/skills/verify.js';
import { CASE_OPTIONS, caseFiles } from './case-files.js';

const cases = caseFiles('ec2-open-ingress');

function caseText(file: string): string {
  const found = cases.find((c) => c.file === file);
  if (!found) throw new Error(`no case ${file}`);
  return found.text;
}

async function fixed(kind: IacKind, path: string, text: string, focus: string) {
  const before = [{ path, text }];
  const result = await fix(skill, kind, before, CASE_OPTIONS, focus);
  const after = [{ path, text: result.files.get(path) ?? text }];
  const verification = await verifyFix({ skill, kind, before, after, options: CASE_OPTIONS, focus });
  return { text: after[0]?.text ?? '', notes: result.notes, verification };
}

const TF = caseText('internet-facing-alb.input.tf');
const LISTENER = TF.slice(TF.indexOf('resource "aws_lb_listener" "https"'), TF.indexOf('# The internal API tier'));
/** Only the public group, the load balancer and its listener. */
const PUBLIC = TF.slice(0, TF.indexOf('# The internal API tier'));

describe('an all-traffic rule on the group of an internet-facing load balancer (Terraform)', () => {
  it('opens only the listener port to the internet and closes the rest; an internal one is narrowed as before', async () => {
    const { text, notes, verification } = await fixed('terraform', 'lb.tf', TF, 'aws_security_group.web_lb');
    const internal = await fixed('terraform', 'lb.tf', TF, 'aws_security_group.api_lb');

    expect(text).toBe(
      PUBLIC.replace(
        /from_port {8}= 0\n {4}to_port {10}= 0\n {4}protocol {9}= "-1"/,
        'from_port        = 443\n    to_port          = 443\n    protocol         = "tcp"',
      ) + TF.slice(PUBLIC.length),
    );
    const note = (from: string) =>
      `aws_security_group.web_lb ingress #1 opened (all traffic) to ${from}; its group fronts internet-facing load balancer aws_lb.web, so the rule now opens only its listener port(s) TCP 443 (listener(s) aws_lb_listener.https) and closes every other port to the internet.`;
    expect(notes).toEqual([note('0.0.0.0/0'), note('::/0')]);
    expect(verification).toMatchObject({ passed: true, remaining: [] });
    expect(internal.text).toMatch(/protocol += "-1"\n {4}cidr_blocks = \["10\.0\.0\.0\/8"\]\n {2}\}\n\}\n\nresource "aws_lb" "api"/);
  });

  it('keeps 80 and 443 when no listener is in the files, one rule each, and says so', async () => {
    const { text, notes } = await fixed('terraform', 'lb.tf', PUBLIC.replace(LISTENER, ''), 'aws_security_group.web_lb');

    expect(text).toMatch(
      /from_port {8}= 80\n {4}to_port {10}= 80\n {4}protocol {9}= "tcp"\n.*\n.*\n {2}\}\n\n {2}ingress \{\n {4}description {6}= "Everything, set up in a hurry"\n {4}from_port {8}= 443\n/,
    );
    expect(notes[0]).toContain(
      'TCP 80, 443 (no listener of it is in these files: the usual 80 and 443 were kept, check they are the ones it serves)',
    );
  });

  it('narrows as before when the group fronts no load balancer', async () => {
    const { text } = await fixed(
      'terraform',
      'sg.tf',
      PUBLIC.slice(0, PUBLIC.indexOf('resource "aws_lb" "web"')),
      'aws_security_group.web_lb',
    );

    expect(text).toMatch(/protocol += "-1"\n {4}cidr_blocks = \["10\.0\.0\.0\/8"\]\n {2}\}/);
    expect(text).not.toContain('::/0');
  });

  it('leaves a listener port that the control flags for a person, and says the fix is partial', async () => {
    const input = PUBLIC.replace(
      /from_port {8}= 0\n {4}to_port {10}= 0\n {4}protocol {9}= "-1"/,
      'from_port        = 8443\n    to_port          = 8443\n    protocol         = "tcp"',
    ).replace('port              = 443', 'port              = 8443');
    const { text, verification } = await fixed('terraform', 'lb.tf', input, 'aws_security_group.web_lb');

    expect(text).toBe(input);
    const left =
      'TCP 8443 is a listener port of internet-facing load balancer aws_lb.web: closing it to the internet takes the load balancer offline';
    expect(verification.remaining).toEqual([expect.stringContaining(left), expect.stringContaining(left)]);
  });
});

describe('an all-traffic rule on the group of an internet-facing load balancer (CloudFormation)', () => {
  const CFN = caseText('internet-facing-alb.input.yaml');

  it('opens only the listener ports to the internet, says so, and is clean', async () => {
    const { text, notes, verification } = await fixed('cloudformation', 'lb.yaml', CFN, 'LoadBalancerGroup');

    expect(text).toBe(caseText('internet-facing-alb.output.yaml'));
    expect(notes).toEqual([
      expect.stringContaining(
        'fronts internet-facing load balancer LoadBalancer, so the rule now opens only its listener port(s) TCP 80, 443 (listener(s) HttpListener, HttpsListener)',
      ),
    ]);
    expect(verification).toMatchObject({ passed: true, remaining: [] });
  });

  it('narrows as before in front of an internal load balancer', async () => {
    const { text } = await fixed(
      'cloudformation',
      'lb.yaml',
      CFN.replace('Scheme: internet-facing', 'Scheme: internal'),
      'LoadBalancerGroup',
    );

    expect(text).toContain("        - IpProtocol: '-1'\n          CidrIp: 10.0.0.0/8");
  });
});
