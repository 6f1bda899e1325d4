/** Builders for EventBridge events in the shapes AWS sends; tests override only what they are about. */

type Json = Record<string, unknown>;

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

/** A consolidated-controls ASFF finding (Compliance.SecurityControlId set), FAILED / NEW / ACTIVE. */
export function asffFinding(overrides: Json = {}): Json {
  const control = (overrides.control as string | undefined) ?? 'S3.8';
  const rest = { ...overrides };
  delete rest.control;
  return {
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:securityhub:${REGION}:${ACCOUNT}:security-control/${control}/finding/7c0f6c1e-1f0e-4b8e-9d1a-2c3b4d5e6f70`,
    ProductArn: `arn:aws:securityhub:${REGION}::product/aws/securityhub`,
    GeneratorId: `security-control/${control}`,
    AwsAccountId: ACCOUNT,
    Region: REGION,
    Title: 'S3 general purpose buckets should block public access',
    Severity: { Label: 'HIGH', Normalized: 70 },
    Compliance: { Status: 'FAILED', SecurityControlId: control },
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
    WorkflowState: 'NEW',
    FirstObservedAt: '2026-11-18T02:10:44.000Z',
    LastObservedAt: '2026-11-20T09:14:03.512Z',
    UpdatedAt: '2026-11-20T09:14:03.512Z',
    ProductFields: {},
    Resources: [
      {
        Type: 'AwsS3Bucket',
        Id: 'arn:aws:s3:::acme-logs',
        Partition: 'aws',
        Region: REGION,
        Tags: { team: 'platform' },
        Details: { AwsS3Bucket: { Name: 'acme-logs' } },
      },
    ],
    ...rest,
  };
}

/**
 * The Security Hub v2 (OCSF Compliance Finding) twin of {@link asffFinding}: the same control on the
 * same bucket, New / Fail / Create, in the shape "Findings Imported V2" carries.
 */
export function ocsfFinding(overrides: Json = {}): Json {
  const control = (overrides.control as string | undefined) ?? 'S3.8';
  const rest = { ...overrides };
  delete rest.control;
  return {
    class_uid: 2003,
    class_name: 'Compliance Finding',
    category_uid: 2,
    category_name: 'Findings',
    activity_id: 1,
    activity_name: 'Create',
    type_uid: 200301,
    severity_id: 4,
    severity: 'High',
    status_id: 1,
    status: 'New',
    time: 1795166043512,
    time_dt: '2026-11-20T09:14:03.512Z',
    metadata: {
      product: { name: 'Security Hub', vendor_name: 'AWS', uid: `arn:aws:securityhub:${REGION}::productv2/aws/securityhub` },
      profiles: ['cloud', 'datetime'],
      uid: 'c3a1f0d2b4e5a6978877665544332211aabbccddeeff00112233445566778899',
      version: '1.6.0',
    },
    cloud: { account: { uid: ACCOUNT, name: 'acme-prod' }, provider: 'AWS', region: REGION },
    finding_info: {
      uid: `arn:aws:securityhub:${REGION}:${ACCOUNT}:security-control/${control}/finding/7c0f6c1e-1f0e-4b8e-9d1a-2c3b4d5e6f70`,
      title: 'S3 general purpose buckets should block public access',
      types: ['Posture Management'],
      analytic: {
        category: 'AWS::Config::ConfigRule',
        name: 'securityhub-s3-bucket-level-public-access-prohibited-8a1b2c3d',
        type: 'Rule',
        type_id: 1,
      },
      created_time_dt: '2026-11-18T02:10:44.000Z',
      first_seen_time_dt: '2026-11-18T02:10:44.000Z',
      last_seen_time_dt: '2026-11-20T09:14:03.512Z',
      modified_time_dt: '2026-11-20T09:14:03.512Z',
    },
    compliance: { control, standards: ['standards/aws-foundational-security-best-practices/v/1.0.0'], status: 'Fail', status_id: 3 },
    resources: [
      {
        type: 'AWS::S3::Bucket',
        uid: 'acme-logs',
        uid_alt: 'arn:aws:s3:::acme-logs',
        cloud_partition: 'aws',
        provider: 'AWS',
        region: REGION,
        owner: { account: { uid: ACCOUNT } },
        tags: [{ name: 'team', value: 'platform' }],
      },
    ],
    remediation: { desc: 'For information on how to correct this issue, consult the AWS Security Hub controls documentation.' },
    vendor_attributes: { severity: 'High', severity_id: 4 },
    ...rest,
  };
}

export function envelope(detailType: string, source: string, detail: Json, overrides: Json = {}): Json {
  return {
    version: '0',
    id: '5d1c9e0a-7f3b-4c2e-9a61-0e4f2b7d8c11',
    'detail-type': detailType,
    source,
    account: ACCOUNT,
    time: '2026-11-20T09:14:05Z',
    region: REGION,
    resources: [],
    detail,
    ...overrides,
  };
}

export function importedEvent(findings: Json[] = [asffFinding()], overrides: Json = {}): Json {
  return envelope(
    'Security Hub Findings - Imported',
    'aws.securityhub',
    { findings },
    { resources: findings.map((f) => f.Id), ...overrides },
  );
}

/** "Findings Imported V2": Security Hub v2 sends one finding per event; `resources` holds its metadata.uid. */
export function importedV2Event(findings: Json[] = [ocsfFinding()], overrides: Json = {}): Json {
  const uids = findings.map((f) => (f.metadata as { uid?: unknown } | undefined)?.uid).filter((uid) => typeof uid === 'string');
  return envelope('Findings Imported V2', 'aws.securityhub', { findings }, { resources: uids, ...overrides });
}

export function customActionEvent(findings: Json[], actionId = 'CloudmendRemediate'): Json {
  return envelope(
    'Security Hub Findings - Custom Action',
    'aws.securityhub',
    { actionName: 'Remediate with cloudmend', actionDescription: 'Open a pull request', findings },
    { resources: [`arn:aws:securityhub:${REGION}:${ACCOUNT}:action/custom/${actionId}`] },
  );
}

export function complianceEvent(
  overrides: { rule?: string; resourceType?: string; resourceId?: string; complianceType?: string; annotation?: string } = {},
): Json {
  const rule = overrides.rule ?? 'securityhub-s3-bucket-server-side-encryption-enabled-5f2c9a1b';
  const resourceType = overrides.resourceType ?? 'AWS::S3::Bucket';
  const resourceId = overrides.resourceId ?? 'acme-logs';
  return envelope('Config Rules Compliance Change', 'aws.config', {
    resourceId,
    awsRegion: REGION,
    awsAccountId: ACCOUNT,
    configRuleName: rule,
    recordVersion: '1.0',
    configRuleARN: `arn:aws:config:${REGION}:${ACCOUNT}:config-rule/aws-service-rule/securityhub.amazonaws.com/config-rule-q3x8ze`,
    messageType: 'ComplianceChangeNotification',
    newEvaluationResult: {
      evaluationResultIdentifier: {
        evaluationResultQualifier: { configRuleName: rule, resourceType, resourceId },
        orderingTimestamp: '2026-11-20T08:01:58.000Z',
      },
      complianceType: overrides.complianceType ?? 'NON_COMPLIANT',
      resultRecordedTime: '2026-11-20T08:02:31.118Z',
      configRuleInvokedTime: '2026-11-20T08:02:30.552Z',
      ...(overrides.annotation ? { annotation: overrides.annotation } : {}),
    },
    notificationCreationTime: '2026-11-20T08:02:32.401Z',
    resourceType,
  });
}

export function itemChangeEvent(item: Json = {}): Json {
  return envelope('Config Configuration Item Change', 'aws.config', {
    recordVersion: '1.3',
    messageType: 'ConfigurationItemChangeNotification',
    configurationItemDiff: { changedProperties: {}, changeType: 'UPDATE' },
    notificationCreationTime: '2026-11-20T07:45:12.881Z',
    configurationItem: {
      configuration: { groupName: 'app-tier', groupId: 'sg-0fedcba9876543210' },
      supplementaryConfiguration: {},
      tags: { 'aws:cloudformation:stack-name': 'network-prod' },
      configurationItemVersion: '1.3',
      configurationItemCaptureTime: '2026-11-20T07:45:10.204Z',
      configurationStateId: 1795679110204,
      awsAccountId: ACCOUNT,
      configurationItemStatus: 'OK',
      resourceType: 'AWS::EC2::SecurityGroup',
      resourceId: 'sg-0fedcba9876543210',
      resourceName: 'app-tier',
      ARN: `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0fedcba9876543210`,
      awsRegion: REGION,
      ...item,
    },
  });
}

export function oversizedItemEvent(): Json {
  return envelope('Config Configuration Item Change', 'aws.config', {
    messageType: 'OversizedConfigurationItemChangeNotification',
    recordVersion: '1.0',
    notificationCreationTime: '2026-11-20T06:31:41.245Z',
    configurationItemSummary: {
      ARN: `arn:aws:iam::${ACCOUNT}:role/ci-deployer`,
      awsAccountId: ACCOUNT,
      awsRegion: 'global',
      changeType: 'UPDATE',
      configurationItemCaptureTime: '2026-11-20T06:31:40.400Z',
      configurationItemStatus: 'OK',
      configurationStateId: 1795660300400,
      resourceId: 'AROAEXAMPLEID12345678',
      resourceName: 'ci-deployer',
      resourceType: 'AWS::IAM::Role',
    },
    s3DeliverySummary: {
      s3BucketLocation: 'config-bucket/AWSLogs/111122223333/Config/us-east-1/2026/11/20/OversizedChangeNotification/item.json.gz',
    },
  });
}

export function scheduledEvent(rule = 'cloudmend-drift-scan', overrides: Json = {}): Json {
  return envelope(
    'Scheduled Event',
    'aws.events',
    {},
    { resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/${rule}`], time: '2026-11-21T06:00:00Z', ...overrides },
  );
}

export function driftEvent(detail: Json = {}): Json {
  return envelope('cloudmend Drift Detected', 'cloudmend', {
    detectionId: 'scan-2026-11-21T06:00:00Z',
    detector: 'cloudformation',
    resource: { type: 'AWS::S3::Bucket', id: 'acme-logs', arn: 'arn:aws:s3:::acme-logs', name: 'acme-logs' },
    differences: [{ path: 'BucketEncryption', expected: 'aws:kms', actual: 'AES256' }],
    ...detail,
  });
}

/** A control on SQS queues that no skill claims: the model agent writes its patch (test/agent, test/faults; agent-e2e checks it stays so). */
export const MODEL_ONLY_CONTROL = 'SQS.3';
