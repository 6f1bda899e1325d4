/**
 * Synthetic "Security Hub Findings - Imported" events, deterministic for a seed: the fields AWS
 * sends for consolidated control findings (descriptions, remediation links, product fields,
 * finding provider fields, associated standards), varied over controls, resource types,
 * accounts, regions and states; a tenth are legacy CIS 1.2.0 findings without a control id.
 */
import { asffFinding, importedEvent } from '../test/support/events.js';

type Json = Record<string, unknown>;

interface Shape {
  readonly controls: readonly string[];
  readonly type: string;
  readonly id: (n: number, account: string, region: string) => string;
  readonly details: (n: number) => Json;
}

const hex = (n: number, width: number) => (n * 2654435761).toString(16).padStart(width, '0').slice(-width);

const SHAPES: readonly Shape[] = [
  {
    controls: ['S3.8', 'S3.4', 'S3.5', 'S3.9', 'S3.14', 'S3.2'],
    type: 'AwsS3Bucket',
    id: (n) => `arn:aws:s3:::acme-data-${n}`,
    details: (n) => ({ AwsS3Bucket: { Name: `acme-data-${n}`, OwnerId: hex(n, 64), CreatedAt: '2025-04-02T10:11:12.000Z' } }),
  },
  {
    controls: ['EC2.19', 'EC2.13', 'EC2.2', 'EC2.18'],
    type: 'AwsEc2SecurityGroup',
    id: (n, a, r) => `arn:aws:ec2:${r}:${a}:security-group/sg-${hex(n, 17)}`,
    details: (n) => ({
      AwsEc2SecurityGroup: {
        GroupName: `app-tier-${n}`,
        GroupId: `sg-${hex(n, 17)}`,
        VpcId: `vpc-${hex(n + 1, 17)}`,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      },
    }),
  },
  {
    controls: ['EC2.8', 'EC2.9'],
    type: 'AwsEc2Instance',
    id: (n, a, r) => `arn:aws:ec2:${r}:${a}:instance/i-${hex(n, 17)}`,
    details: (n) => ({
      AwsEc2Instance: {
        Type: 't3.medium',
        ImageId: `ami-${hex(n, 17)}`,
        VpcId: `vpc-${hex(n, 17)}`,
        SubnetId: `subnet-${hex(n, 17)}`,
        LaunchedAt: '2025-06-01T08:00:00.000Z',
        MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' },
      },
    }),
  },
  {
    controls: ['RDS.2', 'RDS.3', 'RDS.8'],
    type: 'AwsRdsDbInstance',
    id: (n, a, r) => `arn:aws:rds:${r}:${a}:db:orders-${n}`,
    details: (n) => ({
      AwsRdsDbInstance: {
        DbInstanceIdentifier: `orders-${n}`,
        Engine: 'postgres',
        EngineVersion: '16.3',
        DbInstanceClass: 'db.t4g.medium',
        PubliclyAccessible: true,
        StorageEncrypted: false,
      },
    }),
  },
  {
    controls: ['KMS.4'],
    type: 'AwsKmsKey',
    id: (n, a, r) => `arn:aws:kms:${r}:${a}:key/${hex(n, 8)}-1f0e-4b8e-9d1a-${hex(n, 12)}`,
    details: () => ({ AwsKmsKey: { KeyManager: 'CUSTOMER', KeyState: 'Enabled', Origin: 'AWS_KMS', KeyRotationStatus: false } }),
  },
  {
    controls: ['Lambda.1', 'Lambda.2'],
    type: 'AwsLambdaFunction',
    id: (n, a, r) => `arn:aws:lambda:${r}:${a}:function:ingest-${n}`,
    details: (n) => ({
      AwsLambdaFunction: { FunctionName: `ingest-${n}`, Runtime: 'nodejs18.x', Handler: 'index.handler', MemorySize: 512 },
    }),
  },
  {
    controls: ['DynamoDB.2'],
    type: 'AwsDynamoDbTable',
    id: (n, a, r) => `arn:aws:dynamodb:${r}:${a}:table/sessions-${n}`,
    details: (n) => ({ AwsDynamoDbTable: { TableName: `sessions-${n}`, BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } } }),
  },
  {
    controls: ['SQS.1', 'SNS.1'],
    type: 'AwsSqsQueue',
    id: (n, a, r) => `arn:aws:sqs:${r}:${a}:jobs-${n}`,
    details: () => ({}),
  },
  {
    controls: ['IAM.1', 'IAM.21'],
    type: 'AwsIamPolicy',
    id: (n, a) => `arn:aws:iam::${a}:policy/ci-deployer-${n}`,
    details: (n) => ({ AwsIamPolicy: { PolicyName: `ci-deployer-${n}`, DefaultVersionId: 'v3', AttachmentCount: 2 } }),
  },
  {
    controls: ['CloudTrail.1', 'IAM.4', 'EC2.7'],
    type: 'AwsAccount',
    id: (_n, a) => `AWS::::Account:${a}`,
    details: () => ({}),
  },
];

const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
/** The accounts findings come from; the first ten are owned by the benchmark config's repositories. */
export const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(111122220000 + i * 7919).padStart(12, '0'));
const SEVERITIES = [
  { Label: 'CRITICAL', Normalized: 90 },
  { Label: 'HIGH', Normalized: 70 },
  { Label: 'MEDIUM', Normalized: 40 },
  { Label: 'LOW', Normalized: 1 },
];
const CIS_RULES = ['2.7', '2.9', '4.1', '4.3', '1.14'];

/** A small, fast, seeded generator (mulberry32): the same seed gives the same events. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(next: () => number, items: readonly T[]): T {
  const item = items[Math.floor(next() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function finding(next: () => number, n: number): Json {
  const shape = pick(next, SHAPES);
  const control = pick(next, shape.controls);
  const account = pick(next, ACCOUNTS);
  const region = pick(next, REGIONS);
  const resource = Math.floor(next() * 5000);
  const id = `arn:aws:securityhub:${region}:${account}:security-control/${control}/finding/${hex(n, 8)}-${hex(n + 7, 4)}-4b8e-9d1a-${hex(n, 12)}`;
  const legacy = next() < 0.1;
  const status = next() < 0.8 ? 'FAILED' : 'PASSED';
  const workflow = next() < 0.9 ? 'NEW' : pick(next, ['NOTIFIED', 'RESOLVED', 'SUPPRESSED']);
  const severity = pick(next, SEVERITIES);
  const title = `${control} synthetic control finding for ${shape.type} ${resource}`;
  const cisRule = pick(next, CIS_RULES);
  return asffFinding({
    control,
    Id: id,
    ProductArn: `arn:aws:securityhub:${region}::product/aws/securityhub`,
    ProductName: 'Security Hub',
    CompanyName: 'AWS',
    GeneratorId: legacy
      ? `arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/${cisRule}`
      : `security-control/${control}`,
    AwsAccountId: account,
    AwsAccountName: `workload-${account.slice(-4)}`,
    Region: region,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    CreatedAt: '2026-10-01T02:10:44.000Z',
    FirstObservedAt: '2026-10-01T02:10:44.000Z',
    LastObservedAt: `2026-11-20T09:${String(n % 60).padStart(2, '0')}:03.512Z`,
    UpdatedAt: `2026-11-20T09:${String(n % 60).padStart(2, '0')}:03.512Z`,
    ProcessedAt: '2026-11-20T09:14:05.101Z',
    Title: title,
    Description: `This control checks whether ${shape.type} resources comply with ${control}. The control fails if the resource does not meet the requirement.`,
    Remediation: {
      Recommendation: {
        Text: 'For information on how to correct this issue, consult the AWS Security Hub controls documentation.',
        Url: `https://docs.aws.amazon.com/console/securityhub/${control}/remediation`,
      },
    },
    Severity: severity,
    FindingProviderFields: {
      Severity: { Label: severity.Label, Original: severity.Label },
      Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
    },
    Compliance: legacy
      ? { Status: status }
      : {
          Status: status,
          SecurityControlId: control,
          AssociatedStandards: [
            { StandardsId: 'standards/aws-foundational-security-best-practices/v/1.0.0' },
            { StandardsId: 'standards/nist-800-53/v/5.0.0' },
          ],
          RelatedRequirements: ['NIST.800-53.r5 AC-3', 'NIST.800-53.r5 AC-21', 'NIST.800-53.r5 SC-7'],
        },
    RecordState: next() < 0.95 ? 'ACTIVE' : 'ARCHIVED',
    Workflow: { Status: workflow },
    WorkflowState: workflow,
    ProductFields: legacy
      ? {
          StandardsGuideArn: 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0',
          RuleId: cisRule,
          'aws/securityhub/ProductName': 'Security Hub',
          'aws/securityhub/CompanyName': 'AWS',
          'aws/securityhub/FindingId': id,
        }
      : {
          RelatedAWSResources: `0/name: securityhub-${control.toLowerCase()}-${hex(n, 8)}`,
          'RelatedAWSResources:0/type': 'AWS::Config::ConfigRule',
          'aws/securityhub/ProductName': 'Security Hub',
          'aws/securityhub/CompanyName': 'AWS',
          'aws/securityhub/FindingId': id,
          'Resources:0/Id': shape.id(resource, account, region),
        },
    Resources: [
      {
        Type: shape.type,
        Id: shape.id(resource, account, region),
        Partition: 'aws',
        Region: region,
        Tags: next() < 0.5 ? { team: pick(next, ['platform', 'payments', 'data']), env: pick(next, ['prod', 'staging']) } : {},
        Details: shape.details(resource),
      },
    ],
  });
}

/** `count` findings in events of `perEvent`, the same for the same `seed`. */
export function syntheticEvents(count: number, perEvent = 100, seed = 9): Json[] {
  const next = random(seed);
  const events: Json[] = [];
  for (let start = 0; start < count; start += perEvent) {
    const findings = Array.from({ length: Math.min(perEvent, count - start) }, (_, i) => finding(next, start + i));
    const first = findings[0] as { AwsAccountId: string; Region: string };
    events.push(
      importedEvent(findings, {
        id: `${hex(start, 8)}-7f3b-4c2e-9a61-${hex(start, 12)}`,
        account: first.AwsAccountId,
        region: first.Region,
      }),
    );
  }
  return events;
}
