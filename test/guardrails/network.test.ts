import { describe, it } from 'vitest';
import { edit, expectVerdict, type Row } from './judge.js';

const GROUP = `resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`;

const SSH_OPEN = edit(GROUP, '["10.0.0.0/8"]', '["10.0.0.0/8", "0.0.0.0/0"]');

const STANDALONE = `resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
`;

const DATABASE = `resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  publicly_accessible = false
}
`;

const BLOCK = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`;

const BUCKET_ONLY = BLOCK.slice(0, BLOCK.indexOf('\nresource "aws_s3_bucket_public_access_block"'));

const CFN_GROUP = `Resources:
  WebGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: 10.0.0.0/8
`;

const CFN_BUCKET = JSON.stringify(
  {
    Resources: {
      Bucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        },
      },
    },
  },
  null,
  2,
);

const ARGUMENT_RULES = `resource "aws_security_group" "api" {
  name = "api"
  ingress = [{
    from_port        = 8080
    to_port          = 8080
    protocol         = "tcp"
    cidr_blocks      = ["10.0.0.0/8"]
    ipv6_cidr_blocks = []
    prefix_list_ids  = []
    security_groups  = [aws_security_group.web.id]
    self             = false
    description      = "api"
  }]
}
`;

const LAUNCH_TEMPLATE = `Resources:
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        NetworkInterfaces:
          - DeviceIndex: 0
            AssociatePublicIpAddress: false
`;

const violations: Row[] = [
  {
    name: 'an SSH rule opens to 0.0.0.0/0',
    kind: 'terraform',
    before: GROUP,
    after: SSH_OPEN,
    expected: [
      ['widened-network', 'main.tf: aws_security_group.web gains ingress from 0.0.0.0/0 on 22-22/tcp (open before only on 443-443/tcp)'],
    ],
  },
  {
    name: 'a rule gains ::/0',
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, 'cidr_blocks = ["10.0.0.0/8"]', 'cidr_blocks = ["10.0.0.0/8"]\n    ipv6_cidr_blocks = ["::/0"]'),
    expected: [['widened-network', 'aws_security_group.web gains ingress from ::/0 on 22-22/tcp']],
  },
  {
    name: 'an open rule widens its ports',
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, 'from_port   = 443', 'from_port   = 0'),
    expected: [['widened-network', 'gains ingress from 0.0.0.0/0 on 0-443/tcp (open before only on 443-443/tcp)']],
  },
  {
    name: 'an open rule opens every protocol',
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, 'protocol    = "tcp"', 'protocol    = "-1"'),
    expected: [['widened-network', 'gains ingress from 0.0.0.0/0 for all traffic']],
  },
  {
    name: 'a standalone rule appears with a public source',
    kind: 'terraform',
    before: GROUP,
    after: `${GROUP}\n${STANDALONE}`,
    expected: [['widened-network', 'aws_security_group.web gains ingress from 0.0.0.0/0 on 22-22/tcp']],
  },
  {
    name: 'a VPC ingress rule appears with a /0 source',
    kind: 'terraform',
    before: GROUP,
    after: `${GROUP}\nresource "aws_vpc_security_group_ingress_rule" "rdp" {\n  security_group_id = aws_security_group.web.id\n  ip_protocol       = "tcp"\n  from_port         = 3389\n  to_port           = 3389\n  cidr_ipv4         = "10.1.2.3/0"\n}\n`,
    expected: [['widened-network', 'aws_security_group.web gains ingress from 10.1.2.3/0 on 3389-3389/tcp']],
  },
  {
    name: 'an ingress = [...] argument opens to 0.0.0.0/0',
    kind: 'terraform',
    before: ARGUMENT_RULES,
    after: edit(ARGUMENT_RULES, '["10.0.0.0/8"]', '["0.0.0.0/0"]'),
    expected: [['widened-network', 'aws_security_group.api gains ingress from 0.0.0.0/0 on 8080-8080/tcp']],
  },
  {
    name: 'publicly_accessible turns true',
    kind: 'terraform',
    before: DATABASE,
    after: edit(DATABASE, 'publicly_accessible = false', 'publicly_accessible = true'),
    expected: [['widened-network', 'aws_db_instance.orders sets publicly_accessible to true']],
  },
  {
    name: 'a subnet maps public IPs on launch',
    kind: 'terraform',
    before: 'resource "aws_subnet" "a" {\n  vpc_id     = "vpc-1"\n  cidr_block = "10.0.1.0/24"\n}\n',
    after:
      'resource "aws_subnet" "a" {\n  vpc_id                  = "vpc-1"\n  cidr_block              = "10.0.1.0/24"\n  map_public_ip_on_launch = true\n}\n',
    expected: [['widened-network', 'aws_subnet.a sets map_public_ip_on_launch to true']],
  },
  {
    name: 'a Block Public Access setting turns false',
    kind: 'terraform',
    before: BLOCK,
    after: edit(BLOCK, 'block_public_policy     = true', 'block_public_policy     = false'),
    expected: [['public-access', 'aws_s3_bucket_public_access_block.logs turns off Block Public Access setting block_public_policy']],
  },
  {
    name: 'a Block Public Access setting is removed',
    kind: 'terraform',
    before: BLOCK,
    after: edit(BLOCK, '  ignore_public_acls      = true\n', ''),
    expected: [['public-access', 'turns off Block Public Access setting ignore_public_acls: it leaves it unset (S3 reads false)']],
  },
  {
    name: 'an SSH item (YAML) opens to 0.0.0.0/0',
    kind: 'cloudformation',
    before: CFN_GROUP,
    after: edit(CFN_GROUP, 'CidrIp: 10.0.0.0/8', 'CidrIp: 0.0.0.0/0'),
    expected: [['widened-network', 'template.yaml: WebGroup gains ingress from 0.0.0.0/0 on 22-22/tcp']],
  },
  {
    name: 'a standalone ingress (YAML) appears with ::/0',
    kind: 'cloudformation',
    before: CFN_GROUP,
    after: `${CFN_GROUP}  Rdp:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      GroupId: !GetAtt WebGroup.GroupId\n      IpProtocol: tcp\n      FromPort: 3389\n      ToPort: 3389\n      CidrIpv6: ::/0\n`,
    expected: [['widened-network', 'WebGroup gains ingress from ::/0 on 3389-3389/tcp']],
  },
  {
    name: 'a database (JSON) becomes publicly accessible',
    kind: 'cloudformation',
    before: '{"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres"}}}}',
    after: '{"Resources": {"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": "postgres", "PubliclyAccessible": true}}}}',
    expected: [['widened-network', 'template.json: Db sets PubliclyAccessible to true']],
  },
  {
    name: 'a launch template (YAML) associates public IPs',
    kind: 'cloudformation',
    before: LAUNCH_TEMPLATE,
    after: edit(LAUNCH_TEMPLATE, 'AssociatePublicIpAddress: false', 'AssociatePublicIpAddress: true'),
    expected: [
      [
        'widened-network',
        'Template sets LaunchTemplateData.NetworkInterfaces.AssociatePublicIpAddress to true: it may be reachable from the internet',
      ],
    ],
  },
  {
    name: 'a Block Public Access setting (JSON) turns false',
    kind: 'cloudformation',
    before: CFN_BUCKET,
    after: edit(CFN_BUCKET, '"BlockPublicPolicy": true', '"BlockPublicPolicy": false'),
    expected: [['public-access', 'Bucket turns off Block Public Access setting PublicAccessBlockConfiguration.BlockPublicPolicy']],
  },
  {
    name: 'a group is renamed (which replaces it; its open rule was there before)',
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, 'name   = "web"', 'name   = "web-tier"'),
    expected: [['replacement', 'aws_security_group.web changes name ("web" → "web-tier")']],
  },
];

const allowed: Row[] = [
  { name: 'an open port is closed to a private range', kind: 'terraform', before: SSH_OPEN, after: GROUP, expected: [] },
  {
    name: 'an open rule narrows its ports',
    kind: 'terraform',
    before: edit(GROUP, 'from_port   = 443', 'from_port   = 0'),
    after: GROUP,
    expected: [],
  },
  {
    name: 'a pre-existing open rule stays while the group changes',
    kind: 'terraform',
    before: GROUP,
    after: edit(GROUP, 'name   = "web"', 'name   = "web"\n  tags   = { tier = "web" }'),
    expected: [],
  },
  {
    name: 'an open inline rule moves to a standalone rule of the same group',
    kind: 'terraform',
    before: SSH_OPEN,
    after: `${GROUP}\n${STANDALONE}`,
    expected: [],
  },
  {
    name: 'an egress rule opens to 0.0.0.0/0',
    kind: 'terraform',
    before: GROUP,
    after: edit(
      GROUP,
      '  ingress {\n    from_port   = 22',
      '  egress {\n    from_port   = 0\n    to_port     = 0\n    protocol    = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }\n\n  ingress {\n    from_port   = 22',
    ),
    expected: [],
  },
  {
    name: 'a public database is made private',
    kind: 'terraform',
    before: edit(DATABASE, 'publicly_accessible = false', 'publicly_accessible = true'),
    after: DATABASE,
    expected: [],
  },
  { name: 'a public access block is added', kind: 'terraform', before: BUCKET_ONLY, after: BLOCK, expected: [] },
  {
    name: 'a bucket gets default encryption',
    kind: 'terraform',
    before: BLOCK,
    after: `${BLOCK}\nresource "aws_s3_bucket_server_side_encryption_configuration" "logs" {\n  bucket = aws_s3_bucket.logs.id\n\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm = "AES256"\n    }\n  }\n}\n`,
    expected: [],
  },
  {
    name: 'an open item (YAML) is narrowed',
    kind: 'cloudformation',
    before: edit(CFN_GROUP, 'CidrIp: 10.0.0.0/8', 'CidrIp: 0.0.0.0/0'),
    after: CFN_GROUP,
    expected: [],
  },
  {
    name: 'a bucket (JSON) gains a public access configuration',
    kind: 'cloudformation',
    before: '{"Resources": {"Bucket": {"Type": "AWS::S3::Bucket"}}}',
    after: CFN_BUCKET,
    expected: [],
  },
];

describe('checkPatch: widened-network', () => {
  it.each(violations)('reports it when $name', expectVerdict);
  it.each(allowed)('lets the patch pass when $name', expectVerdict);
});

const ROUTE_TABLE =
  'resource "aws_route_table" "private" {\n  vpc_id = "vpc-0123456789abcdef0"\n\n  route {\n    cidr_block     = "0.0.0.0/0"\n    nat_gateway_id = "nat-0123456789abcdef0"\n  }\n}\n';
const CFN_ROUTES =
  'Resources:\n  Gateway:\n    Type: AWS::EC2::VPNGateway\n    Properties:\n      Type: ipsec.1\n  Igw:\n    Type: AWS::EC2::InternetGateway\n';

const routes: Row[] = [
  {
    name: 'a private route table sends its default route to an internet gateway',
    kind: 'terraform',
    before: ROUTE_TABLE,
    after: edit(ROUTE_TABLE, 'nat_gateway_id = "nat-0123456789abcdef0"', 'gateway_id     = "igw-0123456789abcdef0"'),
    expected: [
      ['widened-network', 'aws_route_table.private routes traffic through "igw-0123456789abcdef0", which may be an internet gateway'],
    ],
  },
  {
    name: 'a route goes through a gateway given by a variable',
    kind: 'terraform',
    before: '',
    after:
      'variable "gateway" {\n  type = string\n}\n\nresource "aws_route" "out" {\n  route_table_id         = "rtb-0123456789abcdef0"\n  destination_cidr_block = "0.0.0.0/0"\n  gateway_id             = var.gateway\n}\n',
    expected: [['widened-network', 'aws_route.out routes traffic through']],
  },
  {
    name: 'an internet gateway is created in a VPC',
    kind: 'terraform',
    before: '',
    after: 'resource "aws_internet_gateway" "main" {\n  vpc_id = "vpc-0123456789abcdef0"\n}\n',
    expected: [['widened-network', 'aws_internet_gateway.main attaches an internet gateway to the VPC']],
  },
  {
    name: 'a route (YAML) goes through the template’s internet gateway',
    kind: 'cloudformation',
    before: CFN_ROUTES,
    after: `${CFN_ROUTES}  Out:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: rtb-0123456789abcdef0\n      DestinationCidrBlock: 0.0.0.0/0\n      GatewayId: !Ref Igw\n`,
    expected: [['widened-network', 'Out routes traffic through']],
  },
];

const notRoutes: Row[] = [
  {
    name: 'a route table gains a route to a VPN gateway',
    kind: 'terraform',
    before: ROUTE_TABLE,
    after: `resource "aws_vpn_gateway" "office" {\n  vpc_id = "vpc-0123456789abcdef0"\n}\n\n${edit(ROUTE_TABLE, '  route {\n', '  route {\n    cidr_block = "192.168.0.0/16"\n    gateway_id = aws_vpn_gateway.office.id\n  }\n\n  route {\n')}`,
    expected: [],
  },
  {
    name: 'a route (YAML) goes through the template’s VPN gateway',
    kind: 'cloudformation',
    before: CFN_ROUTES,
    after: `${CFN_ROUTES}  Office:\n    Type: AWS::EC2::Route\n    Properties:\n      RouteTableId: rtb-0123456789abcdef0\n      DestinationCidrBlock: 192.168.0.0/16\n      GatewayId: !Ref Gateway\n`,
    expected: [],
  },
  {
    name: 'a route table is tagged',
    kind: 'terraform',
    before: ROUTE_TABLE,
    after: edit(
      ROUTE_TABLE,
      '  vpc_id = "vpc-0123456789abcdef0"\n',
      '  vpc_id = "vpc-0123456789abcdef0"\n  tags   = { Tier = "private" }\n',
    ),
    expected: [],
  },
];

describe('checkPatch: widened-network by routes to the internet', () => {
  it.each(routes)('reports it when $name', expectVerdict);
  it.each(notRoutes)('lets the patch pass when $name', expectVerdict);
});
