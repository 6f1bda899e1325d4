/**
 * The CDK forms of the skills on one app (test/fixtures/cdk/zoo): every finding of the app is
 * located and fixed in ONE `remediateApp` call (two synths), and each fix is the prop a reviewer
 * would write, in the object's layout, with comments kept; what cloudmend must not edit ends
 * `recommended` with the reason.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { readCdkApp, type AppFile } from '../../src/iac/cdk/app.js';
import { synthesize } from '../../src/iac/cdk/synth.js';
import { listRepoFiles } from '../../src/iac/repo-files.js';
import { toolJail } from '../../src/iac/validators/jail.js';
import { checkCdkPatch } from '../../src/guardrails/cdk.js';
import { remediateApp, type CdkRemediation } from '../../src/skills/cdk-remediate.js';
import { skillsFor, skillsOfKind } from '../../src/skills/registry.js';
import { asffFinding, importedEvent } from '../support/events.js';

const ROOT = join(import.meta.dirname, '../fixtures/cdk/zoo');
const ACCOUNT = '123456789012';

type Json = Record<string, unknown>;

/** A finding whose resource CloudFormation deployed: the stack tags locate it. */
function tagged(control: string, type: string, stack: string, logicalId: string): Json {
  const tags = { 'aws:cloudformation:stack-name': stack, 'aws:cloudformation:logical-id': logicalId };
  return {
    control,
    resource: {
      Type: type,
      Id: `arn:aws:cloudformation:us-east-1:${ACCOUNT}:${stack}/${logicalId}`,
      Partition: 'aws',
      Region: 'us-east-1',
      Tags: tags,
    },
  };
}

/** A finding without tags: the resource's physical name locates it. */
function named(control: string, type: string, arn: string, details: Json): Json {
  return { control, resource: { Type: type, Id: arn, Partition: 'aws', Region: 'us-east-1', Details: details } };
}

const FINDINGS: Record<string, Json> = {
  uploadsPublic: named('S3.8', 'AwsS3Bucket', 'arn:aws:s3:::zoo-uploads', { AwsS3Bucket: { Name: 'zoo-uploads' } }),
  logsTls: named('S3.5', 'AwsS3Bucket', 'arn:aws:s3:::zoo-logs', { AwsS3Bucket: { Name: 'zoo-logs' } }),
  archiveEncryption: tagged('S3.4', 'AwsS3Bucket', 'ZooStorage', 'ArchiveDA4CB258'),
  archiveVersioning: tagged('S3.14', 'AwsS3Bucket', 'ZooStorage', 'ArchiveDA4CB258'),
  legacyVersioning: tagged('S3.14', 'AwsS3Bucket', 'ZooStorage', 'Legacy'),
  dataKeyRotation: tagged('KMS.4', 'AwsKmsKey', 'ZooStorage', 'DataKey17AFBB84'),
  ordersQueue: tagged('SQS.1', 'AwsSqsQueue', 'ZooStorage', 'orders46FA7C19'),
  alertsTopic: tagged('SNS.1', 'AwsSnsTopic', 'ZooStorage', 'Alerts91F83244'),
  ordersPitr: named('DynamoDB.2', 'AwsDynamoDbTable', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/zoo-orders`, {
    AwsDynamoDbTable: { TableName: 'zoo-orders' },
  }),
  ordersDeletion: tagged('DynamoDB.6', 'AwsDynamoDbTable', 'ZooData', 'OrdersA9B65338'),
  sessionsPitr: tagged('DynamoDB.2', 'AwsDynamoDbTable', 'ZooData', 'Sessions8896A56D'),
  imagesScan: tagged('ECR.1', 'AwsEcrRepository', 'ZooData', 'Images2D38C313'),
  imagesTags: tagged('ECR.2', 'AwsEcrRepository', 'ZooData', 'Images2D38C313'),
  clicksStream: tagged('Kinesis.1', 'AwsKinesisStream', 'ZooData', 'Clicks81B5095A'),
  auditValidation: tagged('CloudTrail.4', 'AwsCloudTrailTrail', 'ZooData', 'Audit3D8ADE0A'),
  auditRegions: tagged('CloudTrail.1', 'AwsCloudTrailTrail', 'ZooData', 'Audit3D8ADE0A'),
  sharedEfs: tagged('EFS.1', 'AwsEfsFileSystem', 'ZooNetwork', 'SharedDACC02AA'),
  reportsEncrypted: tagged('RDS.3', 'AwsRdsDbInstance', 'ZooNetwork', 'Reports65402A0A'),
  reportsDeletion: tagged('RDS.8', 'AwsRdsDbInstance', 'ZooNetwork', 'Reports65402A0A'),
  reportsPublic: tagged('RDS.2', 'AwsRdsDbInstance', 'ZooNetwork', 'Reports65402A0A'),
  reportsMinor: tagged('RDS.13', 'AwsRdsDbInstance', 'ZooNetwork', 'Reports65402A0A'),
  ledgerDeletion: tagged('RDS.7', 'AwsRdsDbCluster', 'ZooNetwork', 'LedgerB7379752'),
  ledgerEncrypted: tagged('RDS.27', 'AwsRdsDbCluster', 'ZooNetwork', 'LedgerB7379752'),
  ledgerTags: tagged('RDS.16', 'AwsRdsDbCluster', 'ZooNetwork', 'LedgerB7379752'),
  webDeletion: tagged('ELB.6', 'AwsElbv2LoadBalancer', 'ZooNetwork', 'Web3C8945DB'),
  webHeaders: tagged('ELB.4', 'AwsElbv2LoadBalancer', 'ZooNetwork', 'Web3C8945DB'),
  // Not fixed: each says why.
  scratchVariable: tagged('S3.14', 'AwsS3Bucket', 'ZooStorage', 'ScratchF72D2ED6'),
  jobsPropsCall: tagged('SQS.1', 'AwsSqsQueue', 'ZooStorage', 'JobsDF1CC2D4'),
  eventsNoVariable: tagged('SNS.1', 'AwsSnsTopic', 'ZooStorage', 'EventsD32975C2'),
  bastionIngress: tagged('EC2.18', 'AwsEc2SecurityGroup', 'ZooNetwork', 'Bastion2B4CEC30'),
  hookUrl: tagged('Lambda.1', 'Other', 'ZooData', 'HookFunctionUrl0244529D'),
};

const NOT_FIXED = ['scratchVariable', 'jobsPropsCall', 'eventsNoVariable', 'bastionIngress', 'hookUrl'];

/** Per file, each construct expression before and after the fix: together, the whole patched file. */
const EDITS: Record<string, [string, string][]> = {
  'lib/storage-stack.ts': [
    ["import { Stack, type StackProps } from 'aws-cdk-lib';", "import { Stack, type StackProps, CfnResource } from 'aws-cdk-lib';"],
    [
      'blockPublicAccess: new s3.BlockPublicAccess({ blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false }),',
      'blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,',
    ],
    [
      "{ bucketName: 'zoo-logs', encryption: s3.BucketEncryption.S3_MANAGED }",
      "{ bucketName: 'zoo-logs', encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true }",
    ],
    ["      bucketName: 'zoo-legacy',\n", "      bucketName: 'zoo-legacy',\n      versioningConfiguration: { status: 'Enabled' },\n"],
    ["new kms.Key(this, 'DataKey')", "new kms.Key(this, 'DataKey', { enableKeyRotation: true })"],
    [
      "{ topicName: 'zoo-alerts' });\n",
      "{ topicName: 'zoo-alerts' });\n    (alerts.node.defaultChild as CfnResource).addPropertyOverride('KmsMasterKeyId', 'alias/aws/sns');\n",
    ],
  ],
  'lib/archive-bucket.ts': [
    [
      'removalPolicy: RemovalPolicy.RETAIN, // records outlive the stack\n',
      'removalPolicy: RemovalPolicy.RETAIN, // records outlive the stack\n      encryption: s3.BucketEncryption.S3_MANAGED,\n      versioned: true,\n',
    ],
  ],
  'lib/queues.ts': [
    ['retentionPeriod: Duration.days(4) }', 'retentionPeriod: Duration.days(4), encryption: sqs.QueueEncryption.SQS_MANAGED }'],
  ],
  'lib/data-stack.ts': [
    [
      '      removalPolicy: RemovalPolicy.DESTROY,\n',
      '      removalPolicy: RemovalPolicy.DESTROY,\n      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },\n      deletionProtection: true,\n',
    ],
    [
      "      replicas: [{ region: 'us-west-2' }],\n",
      "      replicas: [{ region: 'us-west-2' }],\n      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },\n",
    ],
    ['      imageScanOnPush: false,\n', '      imageScanOnPush: true,\n      imageTagMutability: ecr.TagMutability.IMMUTABLE,\n'],
    ['kinesis.StreamEncryption.UNENCRYPTED', 'kinesis.StreamEncryption.MANAGED'],
    ['enableFileValidation: false, isMultiRegionTrail: false', 'enableFileValidation: true, isMultiRegionTrail: true'],
  ],
  'lib/network-stack.ts': [
    [
      "{ vpc, internetFacing: true, loadBalancerName: 'zoo-web' }",
      "{ vpc, internetFacing: true, loadBalancerName: 'zoo-web', deletionProtection: true, dropInvalidHeaderFields: true }",
    ],
    ['encrypted: false', 'encrypted: true'],
    [
      '      publiclyAccessible: true, // analysts connect from the office\n      autoMinorVersionUpgrade: false,\n',
      '      publiclyAccessible: false, // analysts connect from the office\n      autoMinorVersionUpgrade: true,\n      storageEncrypted: true,\n      deletionProtection: true,\n',
    ],
    [
      "      copyTagsToSnapshot: false,\n      writer: rds.ClusterInstance.serverlessV2('writer'),\n",
      "      copyTagsToSnapshot: true,\n      writer: rds.ClusterInstance.serverlessV2('writer'),\n      deletionProtection: true,\n      storageEncrypted: true,\n",
    ],
  ],
};

const probe = await toolJail(process.env);
if (probe.reason) console.log(`skipping the CDK forms tests: ${probe.reason}`);

describe.skipIf(probe.jail === undefined)('the CDK forms of the skills on one app', () => {
  let files: AppFile[];
  let result: CdkRemediation;
  const original = (path: string): string => files.find((f) => f.path === path)!.text;
  const patched = (path: string): string => result.changed.get(path) ?? original(path);

  beforeAll(async () => {
    files = listRepoFiles(ROOT, () => true).files.map((f) => ({ path: f.path, text: f.text }));
    const app = readCdkApp(files).app!;
    const keys = Object.keys(FINDINGS);
    const raw = keys.map((key, i) => {
      const { control, resource } = FINDINGS[key] as { control: string; resource: Json };
      const finding = asffFinding({ control, Resources: [resource] });
      return { ...finding, Id: `${String(finding.Id)}-${i}` };
    });
    const event = normalizeEvent(importedEvent(raw));
    const findings = await Promise.all(
      event.findings.map(async (finding, i) => {
        return { key: keys[i]!, finding, skills: await skillsFor(finding.controlId!, 'cloudformation') };
      }),
    );
    result = await remediateApp({
      app,
      files,
      findings,
      options: { allowedIngressCidrs: [], allowedIngressIpv6Cidrs: [] },
      allSkills: await skillsOfKind('cloudformation'),
      synth: (fs) => synthesize(app, fs, { env: process.env }),
    });
  }, 120_000);

  it('fixes each finding with its prop, in the layout of the object, comments kept', () => {
    const fixed = result.outcomes.filter((o) => o.outcome === 'fixed').map((o) => o.key);
    expect(fixed.sort()).toEqual(
      Object.keys(FINDINGS)
        .filter((k) => !NOT_FIXED.includes(k))
        .sort(),
    );
    for (const [file, edits] of Object.entries(EDITS)) {
      const expected = edits.reduce((text, [before, after]) => {
        expect(text, `${file} holds ${before}`).toContain(before);
        return text.replace(before, after);
      }, original(file));
      expect(patched(file), file).toBe(expected);
    }
  });

  it('changes only the TypeScript of the app, and every check passes', () => {
    expect([...result.changed.keys()].sort()).toEqual(Object.keys(EDITS).sort());
    expect(result.failed).toBeUndefined();
    expect(result.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['synthesizes', 'detect-clean', 'stack-clean', 'template-scope', 'idempotent']),
    );
    expect(result.checks.filter((c) => c.status !== 'passed')).toEqual([]);
    expect(result.notes).toContain(
      'No prop of sns.Topic that cloudmend knows expresses this: the fix overrides KmsMasterKeyId on its CloudFormation resource ' +
        '(addPropertyOverride, the CDK escape hatch). Prefer a prop if your aws-cdk-lib version has one.',
    );
  });

  it.each([
    [
      'scratchVariable',
      /versioned is set by `isProd` in lib\/storage-stack.ts, a value cloudmend does not change; set it to true where that value comes from/,
    ],
    [
      'jobsPropsCall',
      /the construct's props in lib\/storage-stack.ts are the expression `queueProps\('jobs'\)`; set them where it is built/,
    ],
    ['eventsNoVariable', /no prop of sns.Topic that cloudmend knows sets this, and the construct is not assigned to a variable/],
    ['bastionIngress', /allows 0.0.0.0\/0 on TCP 22.*addIngressRule/],
    ['hookUrl', /lib\/data-stack.ts:39\), the URL comes from `addFunctionUrl\(\{ authType: lambda.FunctionUrlAuthType.NONE \}\)`/],
  ])('does not fix %s and says why', (key, reason) => {
    const outcome = result.outcomes.find((o) => o.key === key);
    expect(outcome?.outcome).toBe('recommended');
    expect(outcome && 'reason' in outcome ? outcome.reason : '').toMatch(reason);
  });

  it('locates a construct a factory method made: the function URL of addFunctionUrl', () => {
    const outcome = result.outcomes.find((o) => o.key === 'hookUrl');
    expect(outcome && 'location' in outcome ? outcome.location?.constructPath : undefined).toBe('ZooData/Hook/FunctionUrl');
  });

  it("passes the guardrail: the TypeScript changes only the located constructs' props, the templates only their resources", async () => {
    const fixed = result.outcomes.flatMap((o) => (o.outcome === 'fixed' ? [o] : []));
    const [address = '', ...alsoAddresses] = [...new Set(fixed.map((o) => o.location.logicalId))];
    const violations = await checkCdkPatch({
      files: [...result.changed].map(([path, after]) => ({ path, before: original(path), after })),
      constructs: fixed.map((o) => o.location.site),
      templates: result.templates,
      contract: { address, alsoAddresses, alsoControlIds: [...new Set(fixed.map((o) => o.key))].map((k) => String(FINDINGS[k]!.control)) },
      limits: { maxChangedLines: 2000, maxChangedFiles: 20, maxFileGrowthBytes: 1_000_000 },
    });
    // An RDS encryption or EFS encryption fix replaces the resource: the guardrail holds it for an approver, never silently.
    expect(violations.filter((v) => v.rule !== 'replacement')).toEqual([]);
  });
});
