/**
 * Do no harm: an ingress fix never takes an internet-facing load balancer off the internet. An
 * all-traffic rule on its group keeps the listener ports open and closes the rest; an internal
 * load balancer, or a group in front of none, keeps the narrowing fix.
 */
import { describe, expect, it } from 'vitest';
import { fix } from '../../src/skills/engine.js';
import skill from '../../src/skills/ec2-open-ingress/index.js';
import type { IacKind } from '../../src/skills/types.js';
import { verifyFix } from '../../src/skills/verify.js';
import { CASE_OPTIONS } from './case-files.js';

async function fixed(kind: IacKind, path: string, text: string, focus: string) {
  const before = [{ path, text }];
  const result = await fix(skill, kind, before, CASE_OPTIONS, focus);
  const after = [{ path, text: result.files.get(path) ?? text }];
  const verification = await verifyFix({ skill, kind, before, after, options: CASE_OPTIONS, focus });
  return { text: after[0]?.text ?? '', notes: result.notes, verification };
}

const TF_GROUP = `resource "aws_security_group" "lb" {
  name   = "web-lb"
  vpc_id = "vpc-0a1b2c3d4e5f60718"

  ingress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }
}
`;

const TF_LB = (extra: string) => `
resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"
  security_groups    = [aws_security_group.lb.id]
  subnets            = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]${extra}
}
`;

const TF_LISTENER = `
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.web.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"

  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0a1b2c3d4e5f6071"
  }
}
`;

describe('an all-traffic rule on the group of an internet-facing load balancer (Terraform)', () => {
  it('opens only the listener port to the internet and closes the rest', async () => {
    const { text, notes, verification } = await fixed('terraform', 'lb.tf', TF_GROUP + TF_LB('') + TF_LISTENER, 'aws_security_group.lb');

    expect(text).toBe(
      TF_GROUP.replace(
        /from_port        = 0\n    to_port          = 0\n    protocol         = "-1"/,
        'from_port        = 443\n    to_port          = 443\n    protocol         = "tcp"',
      ) +
        TF_LB('') +
        TF_LISTENER,
    );
    expect(notes).toEqual([
      'aws_security_group.lb ingress #1 opened (all traffic) to 0.0.0.0/0; its group fronts internet-facing load balancer aws_lb.web, so the rule now opens only its listener port(s) TCP 443 (listener(s) aws_lb_listener.https) and closes every other port to the internet.',
      'aws_security_group.lb ingress #1 opened (all traffic) to ::/0; its group fronts internet-facing load balancer aws_lb.web, so the rule now opens only its listener port(s) TCP 443 (listener(s) aws_lb_listener.https) and closes every other port to the internet.',
    ]);
    expect(verification).toMatchObject({ passed: true, remaining: [] });
  });

  it('keeps 80 and 443 when no listener is in the files, one rule each, and says so', async () => {
    const { text, notes } = await fixed('terraform', 'lb.tf', TF_GROUP + TF_LB(''), 'aws_security_group.lb');

    expect(text).toContain(
      '  ingress {\n    from_port        = 80\n    to_port          = 80\n    protocol         = "tcp"\n    cidr_blocks      = ["0.0.0.0/0"]\n    ipv6_cidr_blocks = ["::/0"]\n  }\n\n  ingress {\n    from_port        = 443\n',
    );
    expect(notes[0]).toContain(
      'TCP 80, 443 (no listener of it is in these files: the usual 80 and 443 were kept, check they are the ones it serves)',
    );
  });

  it('narrows as before in front of an internal load balancer', async () => {
    const { text } = await fixed(
      'terraform',
      'lb.tf',
      TF_GROUP + TF_LB('\n  internal           = true') + TF_LISTENER,
      'aws_security_group.lb',
    );

    expect(text).toMatch(
      /ingress \{\n {4}from_port += 0\n {4}to_port += 0\n {4}protocol += "-1"\n {4}cidr_blocks = \["10\.0\.0\.0\/8"\]\n/,
    );
  });

  it('narrows as before when the group fronts no load balancer', async () => {
    const { text } = await fixed('terraform', 'sg.tf', TF_GROUP, 'aws_security_group.lb');

    expect(text).toMatch(/protocol += "-1"\n {4}cidr_blocks = \["10\.0\.0\.0\/8"\]\n/);
    expect(text).not.toContain('::/0');
  });

  it('leaves a listener port that the control flags for a person, and says the fix is partial', async () => {
    const group = TF_GROUP.replace(
      'from_port        = 0\n    to_port          = 0\n    protocol         = "-1"',
      'from_port        = 8443\n    to_port          = 8443\n    protocol         = "tcp"',
    );
    const input = group + TF_LB('') + TF_LISTENER.replace('port              = 443', 'port              = 8443');
    const { text, verification } = await fixed('terraform', 'lb.tf', input, 'aws_security_group.lb');

    expect(text).toBe(input);
    expect(verification.remaining).toEqual([
      expect.stringContaining(
        'TCP 8443 is a listener port of internet-facing load balancer aws_lb.web: closing it to the internet takes the load balancer offline',
      ),
      expect.stringContaining('TCP 8443 is a listener port'),
    ]);
  });
});

const CFN = (scheme: string) => `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  LoadBalancerGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Load balancer
      VpcId: vpc-0a1b2c3d4e5f60718
      SecurityGroupIngress:
        - IpProtocol: '-1'
          CidrIp: 0.0.0.0/0
  LoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:${scheme}
      SecurityGroups:
        - !GetAtt LoadBalancerGroup.GroupId
      Subnets:
        - subnet-0a1b2c3d4e5f60718
        - subnet-0f1e2d3c4b5a69788
  HttpsListener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref LoadBalancer
      Port: 443
      Protocol: HTTPS
      Certificates:
        - CertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666
      DefaultActions:
        - Type: fixed-response
          FixedResponseConfig:
            StatusCode: '404'
`;

describe('an all-traffic rule on the group of an internet-facing load balancer (CloudFormation)', () => {
  it('opens only the listener port to the internet and closes the rest', async () => {
    const { text, notes, verification } = await fixed('cloudformation', 'lb.yaml', CFN(''), 'LoadBalancerGroup');

    expect(text).toBe(
      CFN('').replace(
        "        - IpProtocol: '-1'\n          CidrIp: 0.0.0.0/0",
        '        - IpProtocol: tcp\n          CidrIp: 0.0.0.0/0\n          FromPort: 443\n          ToPort: 443',
      ),
    );
    expect(notes).toEqual([
      expect.stringContaining(
        'fronts internet-facing load balancer LoadBalancer, so the rule now opens only its listener port(s) TCP 443 (listener(s) HttpsListener)',
      ),
    ]);
    expect(verification).toMatchObject({ passed: true, remaining: [] });
  });

  it('narrows as before in front of an internal load balancer', async () => {
    const { text } = await fixed('cloudformation', 'lb.yaml', CFN('\n      Scheme: internal'), 'LoadBalancerGroup');

    expect(text).toContain("        - IpProtocol: '-1'\n          CidrIp: 10.0.0.0/8");
  });
});
