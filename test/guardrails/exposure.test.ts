/** `widened-network` beyond /0 ingress: near-/0 sources, load balancers, Elastic IPs, public endpoints, AMI and snapshot Block Public Access. */
import { describe, it } from 'vitest';
import { edit, expectVerdict, type Row } from './judge.js';

const GROUP = `resource "aws_security_group" "db" {
  name = "db"

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`;

const LB =
  'resource "aws_lb" "api" {\n  name               = "api"\n  load_balancer_type = "application"\n  internal           = true\n  subnets            = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]\n}\n';
const CLUSTER =
  'resource "aws_eks_cluster" "main" {\n  name     = "main"\n  role_arn = "arn:aws:iam::111122223333:role/eks"\n\n  vpc_config {\n    subnet_ids              = ["subnet-0a1b2c3d"]\n    endpoint_private_access = true\n    endpoint_public_access  = false\n  }\n}\n';

const CFN_GROUP = `Resources:
  DbGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: 10.0.0.0/8
`;

const CFN_LB =
  'Resources:\n  Api:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      Scheme: internal\n      Subnets: [subnet-0a1b2c3d, subnet-4e5f6a7b]\n';

const violations: Row[] = [
  {
    name: 'a rule opens to the internet in two halves',
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, '["10.0.0.0/8"]', '["0.0.0.0/1", "128.0.0.0/1"]'),
    expected: [
      ['widened-network', 'main.tf: aws_security_group.db gains ingress from 0.0.0.0/1 on 5432-5432/tcp'],
      ['widened-network', 'aws_security_group.db gains ingress from 128.0.0.0/1 on 5432-5432/tcp'],
    ],
  },
  {
    name: 'a rule opens to all global IPv6 addresses',
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, '["10.0.0.0/8"]', '["10.0.0.0/8"]\n    ipv6_cidr_blocks = ["2000::/3"]'),
    expected: [['widened-network', 'gains ingress from 2000::/3 on 5432-5432/tcp']],
  },
  {
    name: 'a rule hides 0.0.0.0/0 in a function call',
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, '["10.0.0.0/8"]', 'concat(["10.0.0.0/8"], split(",", "0.0.0.0/0"))'),
    expected: [['widened-network', 'aws_security_group.db gains ingress from 0.0.0.0/0 on 5432-5432/tcp']],
  },
  {
    name: 'a dynamic rule takes its sources from its iterator',
    kind: 'terraform',
    before: GROUP,
    after: edit(
      GROUP,
      '  ingress {\n    from_port   = 5432',
      '  dynamic "ingress" {\n    for_each = [["0.0.0.0/0"]]\n    content {\n      from_port   = 22\n      to_port     = 22\n      protocol    = "tcp"\n      cidr_blocks = ingress.value\n    }\n  }\n\n  ingress {\n    from_port   = 5432',
    ),
    expected: [['widened-network', 'aws_security_group.db gains ingress from 0.0.0.0/0 on 22-22/tcp']],
  },
  {
    name: 'an ingress argument cannot be read',
    kind: 'terraform',
    before: GROUP,
    after: edit(
      GROUP,
      '  ingress {\n',
      '  ingress = [for c in ["0.0.0.0/0"] : { from_port = 0, to_port = 0, protocol = "-1", cidr_blocks = [c], ipv6_cidr_blocks = [], prefix_list_ids = [], security_groups = [], self = false, description = "" }]\n\n  egress {\n',
    ),
    expected: [['widened-network', 'aws_security_group.db gains ingress from 0.0.0.0/0 for all traffic']],
  },
  {
    name: 'a rule (YAML) takes a parameter that defaults to the internet',
    kind: 'cloudformation',
    before: CFN_GROUP,
    after: `Parameters:\n  AdminCidr:\n    Type: String\n    Default: 0.0.0.0/0\n${edit(CFN_GROUP, 'CidrIp: 10.0.0.0/8', 'CidrIp: !Ref AdminCidr')}`,
    expected: [['widened-network', 'DbGroup gains ingress from 0.0.0.0/0 on 5432-5432/tcp']],
  },
  {
    name: 'a rule (YAML) picks its source with !Select',
    kind: 'cloudformation',
    before: CFN_GROUP,
    after: edit(CFN_GROUP, 'CidrIp: 10.0.0.0/8', "CidrIp: !Select [1, ['10.0.0.0/8', '0.0.0.0/0']]"),
    expected: [['widened-network', 'DbGroup gains ingress from 0.0.0.0/0 on 5432-5432/tcp']],
  },
  {
    name: 'a load balancer turns internet-facing',
    kind: 'terraform',
    before: LB,
    after: edit(LB, 'internal           = true', 'internal           = false'),
    expected: [
      ['replacement', 'aws_lb.api changes internal (true → false)'],
      ['widened-network', 'aws_lb.api is an internet-facing load balancer'],
    ],
  },
  {
    name: 'a load balancer appears without internal',
    kind: 'terraform',
    before: '',
    after: edit(LB, '  internal           = true\n', ''),
    expected: [['widened-network', 'aws_lb.api is an internet-facing load balancer']],
  },
  {
    name: 'an Elastic IP is attached to an instance',
    kind: 'terraform',
    before: '',
    after: 'resource "aws_eip" "bastion" {\n  domain   = "vpc"\n  instance = "i-0123456789abcdef0"\n}\n',
    expected: [['widened-network', 'aws_eip.bastion is an Elastic IP: a fixed public address into the network']],
  },
  {
    name: 'an EKS endpoint becomes public',
    kind: 'terraform',
    before: CLUSTER,
    after: edit(CLUSTER, 'endpoint_public_access  = false', 'endpoint_public_access  = true'),
    expected: [['widened-network', 'aws_eks_cluster.main sets vpc_config.endpoint_public_access to true']],
  },
  {
    name: 'Block Public Access for AMIs is turned off',
    kind: 'terraform',
    before: 'resource "aws_ec2_image_block_public_access" "this" {\n  state = "block-new-sharing"\n}\n',
    after: 'resource "aws_ec2_image_block_public_access" "this" {\n  state = "unblocked"\n}\n',
    expected: [
      ['public-access', 'aws_ec2_image_block_public_access.this turns off the account\'s Block Public Access (state "unblocked")'],
    ],
  },
  {
    name: 'a VPC is peered with another account',
    kind: 'terraform',
    before: '',
    after:
      'resource "aws_vpc_peering_connection" "vendor" {\n  vpc_id        = "vpc-0a1b2c3d4e5f6a7b8"\n  peer_vpc_id   = "vpc-0123456789abcdef0"\n  peer_owner_id = "999988887777"\n}\n',
    expected: [
      [
        'widened-network',
        'aws_vpc_peering_connection.vendor peers the VPC with vpc-0123456789abcdef0 (peer_vpc_id, new); peers the VPC with 999988887777 (peer_owner_id, new)',
      ],
    ],
  },
  {
    name: 'a rule (YAML) opens to half the internet',
    kind: 'cloudformation',
    before: CFN_GROUP,
    after: edit(CFN_GROUP, 'CidrIp: 10.0.0.0/8', 'CidrIp: 0.0.0.0/1'),
    expected: [['widened-network', 'template.yaml: DbGroup gains ingress from 0.0.0.0/1 on 5432-5432/tcp']],
  },
  {
    name: 'a load balancer (YAML) drops its internal scheme',
    kind: 'cloudformation',
    before: CFN_LB,
    after: edit(CFN_LB, '      Scheme: internal\n', ''),
    expected: [
      ['replacement', 'Api changes Scheme ("internal" → unset)'],
      ['widened-network', 'Api is an internet-facing load balancer'],
    ],
  },
  {
    name: 'an Elastic IP (YAML) is associated',
    kind: 'cloudformation',
    before: CFN_LB,
    after: `${CFN_LB}  Ip:\n    Type: AWS::EC2::EIPAssociation\n    Properties:\n      AllocationId: eipalloc-0123456789abcdef0\n      InstanceId: i-0123456789abcdef0\n`,
    expected: [['widened-network', 'Ip attaches an Elastic IP']],
  },
  {
    name: 'an EKS endpoint (JSON) becomes public',
    kind: 'cloudformation',
    before:
      '{"Resources": {"Cluster": {"Type": "AWS::EKS::Cluster", "Properties": {"ResourcesVpcConfig": {"EndpointPublicAccess": false}}}}}',
    after:
      '{"Resources": {"Cluster": {"Type": "AWS::EKS::Cluster", "Properties": {"ResourcesVpcConfig": {"EndpointPublicAccess": true}}}}}',
    expected: [['widened-network', 'Cluster sets ResourcesVpcConfig.EndpointPublicAccess to true']],
  },
  {
    name: "a rule admits the VPC's own range",
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, '["10.0.0.0/8"]', '[aws_vpc.main.cidr_block, var.office_cidr]'),
    expected: [['widened-network', 'aws_security_group.db gains ingress from a cidr_blocks cloudmend cannot evaluate on 5432-5432/tcp']],
  },
  {
    name: 'a rule (YAML) takes a parameter without a default',
    kind: 'cloudformation',
    before: CFN_GROUP,
    after: `Parameters:\n  OfficeCidr:\n    Type: String\n${edit(CFN_GROUP, 'CidrIp: 10.0.0.0/8', 'CidrIp: !Ref OfficeCidr')}`,
    expected: [['widened-network', 'DbGroup gains ingress from a CidrIp cloudmend cannot evaluate on 5432-5432/tcp']],
  },
  {
    name: 'an internet-facing load balancer stays while its name changes',
    kind: 'terraform',
    before: edit(LB, 'true', 'false'),
    after: edit(edit(LB, 'true', 'false'), 'name               = "api"', 'name               = "api-v2"'),
    expected: [['replacement', 'aws_lb.api changes name ("api" → "api-v2")']],
  },
  {
    name: 'a load balancer (YAML) becomes internal',
    kind: 'cloudformation',
    before: edit(CFN_LB, 'Scheme: internal', 'Scheme: internet-facing'),
    after: CFN_LB,
    expected: [['replacement', 'Api changes Scheme ("internet-facing" → "internal")']],
  },
  {
    name: 'an Elastic IP is allocated for nothing yet',
    kind: 'terraform',
    before: '',
    after: 'resource "aws_eip" "spare" {\n  domain = "vpc"\n}\n',
    expected: [['widened-network', 'aws_eip.spare is an Elastic IP: a fixed public address into the network']],
  },
];

const allowed: Row[] = [
  {
    name: 'a rule is narrowed to a /16',
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, '["10.0.0.0/8"]', '["10.20.0.0/16"]'),
    expected: [],
  },
  {
    name: 'a rule (YAML) takes the VPC range',
    kind: 'cloudformation',
    before: CFN_GROUP,
    after: edit(CFN_GROUP, 'CidrIp: 10.0.0.0/8', 'CidrIp: !GetAtt Vpc.CidrBlock'),
    expected: [],
  },
  {
    name: 'a rule admits a wide private range',
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, '["10.0.0.0/8"]', '["10.0.0.0/8", "172.16.0.0/12"]'),
    expected: [],
  },
  { name: 'an internal load balancer appears', kind: 'terraform', before: '', after: LB, expected: [] },
  {
    name: 'an EKS endpoint becomes private',
    kind: 'terraform',
    before: edit(CLUSTER, 'endpoint_public_access  = false', 'endpoint_public_access  = true'),
    after: CLUSTER,
    expected: [],
  },
  {
    name: 'an Elastic IP is allocated for a NAT gateway',
    kind: 'terraform',
    before: '',
    after:
      'resource "aws_eip" "nat" {\n  domain = "vpc"\n}\n\nresource "aws_nat_gateway" "main" {\n  allocation_id = aws_eip.nat.id\n  subnet_id     = "subnet-0a1b2c3d"\n}\n',
    expected: [],
  },
];

describe('checkPatch: widened-network beyond /0 ingress', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);
});

const POOL =
  'resource "aws_cognito_identity_pool" "app" {\n  identity_pool_name               = "app"\n  allow_unauthenticated_identities = false\n}\n';

const switches: Row[] = [
  {
    name: 'an identity pool lets unauthenticated users in',
    kind: 'terraform',
    before: POOL,
    after: edit(POOL, 'allow_unauthenticated_identities = false', 'allow_unauthenticated_identities = true'),
    expected: [
      [
        'public-access',
        'aws_cognito_identity_pool.app sets allow_unauthenticated_identities to true: it gives AWS credentials of its unauthenticated role to anyone who asks',
      ],
    ],
  },
  {
    name: 'an identity pool (YAML) lets unauthenticated users in with a YAML 1.1 boolean',
    kind: 'cloudformation',
    before: 'Resources:\n  Pool:\n    Type: AWS::Cognito::IdentityPool\n    Properties:\n      AllowUnauthenticatedIdentities: false\n',
    after: 'Resources:\n  Pool:\n    Type: AWS::Cognito::IdentityPool\n    Properties:\n      AllowUnauthenticatedIdentities: yes\n',
    expected: [['public-access', 'Pool sets AllowUnauthenticatedIdentities to true']],
  },
  {
    name: 'EMR block public access is turned off',
    kind: 'terraform',
    before: 'resource "aws_emr_block_public_access_configuration" "account" {\n  block_public_security_group_rules = true\n}\n',
    after: 'resource "aws_emr_block_public_access_configuration" "account" {\n  block_public_security_group_rules = false\n}\n',
    expected: [
      ['replacement', 'changes block_public_security_group_rules'],
      [
        'public-access',
        'aws_emr_block_public_access_configuration.account sets block_public_security_group_rules to false: EMR clusters may open ports to the internet',
      ],
    ],
  },
];

const closedSwitches: Row[] = [
  {
    name: 'an identity pool is renamed in its tags only',
    kind: 'terraform',
    before: POOL,
    after: edit(
      POOL,
      '  allow_unauthenticated_identities = false\n',
      '  allow_unauthenticated_identities = false\n  tags                             = { Team = "auth" }\n',
    ),
    expected: [],
  },
];

describe('checkPatch: public-access by service switches', () => {
  it.each(switches)('reports it when $name', expectVerdict);
  it.each(closedSwitches)('lets the patch pass when $name', expectVerdict);
});
