/**
 * The smoke test's synthetic finding: one Security Hub finding (ASFF, S3.8 block public access, a
 * control a deterministic skill fixes in Terraform) about a bucket that exists only in a scratch
 * file on a branch of its own, so the pull request it produces touches nothing real.
 */
import type { RepositoryConfig } from '../config/schema.js';
import { EVENT_KINDS } from '../findings/event-kinds.js';
import type { Finding } from '../findings/finding.js';
import { resourceKeyOf } from '../findings/resource-identity.js';

/** What every smoke test writes: labels people and tools see on the finding and in the ledger. */
export const SMOKE_LABEL = 'cloudmend smoke test: not a real finding';
/** Prefix of the smoke test's branches and of its scratch file's directory. */
export const SMOKE_PREFIX = 'cloudmend-smoke';
/** What a smoke run's id is: 12 lowercase hexadecimal digits. */
export const SMOKE_RUN_ID = /^[0-9a-f]{12}$/;
/** How long after its start a smoke run's finding is still based on its scratch branch (the ledger record's `expiresAt`). */
export const SMOKE_RUN_TTL_MS = 60 * 60 * 1000;
/** The resource of every smoke finding: its run's bucket, which exists only on the run's scratch branch. */
const SMOKE_BUCKET_ARN = new RegExp(`^arn:aws:s3:::${SMOKE_PREFIX}-(${SMOKE_RUN_ID.source.slice(1, -1)})$`);
/** The control the smoke finding is for: fixed by the s3-block-public-access skill, no model needed. */
export const SMOKE_CONTROL = 'S3.8';

/** A 12-digit account for a repository that owns every account (`'*'`). */
const ANY_ACCOUNT = '123456789012';
const DEFAULT_REGION = 'us-east-1';

/** The scratch branch of smoke run `runId`: it holds the run's bucket, and the fix's pull request is based on it. */
export function smokeBranch(runId: string): string {
  return `${SMOKE_PREFIX}/${runId}`;
}

/**
 * The smoke run a finding is about, when its resource is a smoke run's bucket (`arn:aws:s3:::cloudmend-smoke-<runId>`),
 * else undefined. The finding is untrusted: this is a hint, which only the run's ledger record makes good.
 */
export function smokeRunIdOf(finding: Finding): string | undefined {
  const key = resourceKeyOf(finding);
  const runId = SMOKE_BUCKET_ARN.exec(key)?.[1];
  // Every name the finding gives its resource must be the bucket's: Locate reads the name, not only the ARN.
  const { id, arn, name } = finding.resource;
  const bucket = `${SMOKE_PREFIX}-${runId}`;
  return runId !== undefined && [id, arn, name].every((v) => v === undefined || v === key || v === bucket) ? runId : undefined;
}

export interface SmokeFinding {
  readonly runId: string;
  /** The branch holding the scratch file; the workflow's pull request is based on it. */
  readonly branch: string;
  readonly file: { readonly path: string; readonly content: string };
  /** The EventBridge event (`cloudmend Smoke Test Finding`, ASFF as Security Hub imports it) carrying the finding. */
  readonly event: Record<string, unknown>;
}

/**
 * The synthetic finding of run `runId` (letters, digits and `-`) for `repo`, placed where the
 * repository's `owns` says its resources are (account, Region, tags, stack), so routing picks it.
 */
export function smokeFinding(
  runId: string,
  repo: Pick<RepositoryConfig, 'owns'> & Partial<Pick<RepositoryConfig, 'iac'>>,
  at: Date,
): SmokeFinding {
  const account = repo.owns.accounts.find((a) => a !== '*') ?? ANY_ACCOUNT;
  const region = repo.owns.regions?.[0] ?? DEFAULT_REGION;
  const bucket = `${SMOKE_PREFIX}-${runId}`;
  const file = scratchFile(runId, bucket, repo.iac ?? 'terraform');
  const stack = repo.owns.stacks?.[0];
  const tags = { ...repo.owns.tags, ...(stack ? { 'aws:cloudformation:stack-name': stack } : {}), 'cloudmend:smoke': 'true' };
  const id = `arn:aws:securityhub:${region}:${account}:security-control/${SMOKE_CONTROL}/finding/${bucket}`;
  const time = at.toISOString();
  const finding = {
    SchemaVersion: '2018-10-08',
    Id: id,
    ProductArn: `arn:aws:securityhub:${region}::product/aws/securityhub`,
    GeneratorId: `security-control/${SMOKE_CONTROL}`,
    AwsAccountId: account,
    Region: region,
    Title: `${SMOKE_LABEL} (S3 general purpose buckets should block public access)`,
    Description: `${SMOKE_LABEL}. Bucket ${bucket} exists only in ${file.path} on branch ${smokeBranch(runId)}.`,
    Severity: { Label: 'HIGH', Normalized: 70 },
    Compliance: { Status: 'FAILED', SecurityControlId: SMOKE_CONTROL },
    RecordState: 'ACTIVE',
    Workflow: { Status: 'NEW' },
    WorkflowState: 'NEW',
    FirstObservedAt: time,
    LastObservedAt: time,
    UpdatedAt: time,
    ProductFields: { 'cloudmend/smoke': 'true', 'cloudmend/smokeRunId': runId, 'cloudmend/note': SMOKE_LABEL },
    Resources: [
      {
        Type: 'AwsS3Bucket',
        Id: `arn:aws:s3:::${bucket}`,
        Partition: 'aws',
        Region: region,
        Tags: tags,
        Details: { AwsS3Bucket: { Name: bucket } },
      },
    ],
  };
  return {
    runId,
    branch: smokeBranch(runId),
    file,
    event: {
      version: '0',
      id: `${SMOKE_PREFIX}-${runId}`,
      // Not `aws.securityhub`: EventBridge refuses `aws.*` sources from callers. The stack's smoke-test rule takes this one.
      'detail-type': EVENT_KINDS['smoke-test'].detailType,
      source: EVENT_KINDS['smoke-test'].source,
      account,
      time: time.replace(/\.\d{3}Z$/, 'Z'),
      region,
      resources: [id],
      detail: { findings: [finding] },
    },
  };
}

/** The scratch file declaring the bucket, in the repository's language: Terraform, or a CloudFormation template. */
function scratchFile(runId: string, bucket: string, iac: RepositoryConfig['iac']): SmokeFinding['file'] {
  const warning = `${SMOKE_LABEL}: written by \`cloudmend smoke\` run ${runId} on a branch of its own; never deploy it.`;
  if (iac === 'cloudformation')
    return {
      path: `${SMOKE_PREFIX}/${runId}.yaml`,
      content: `# ${warning}
AWSTemplateFormatVersion: "2010-09-09"
Description: "${SMOKE_LABEL}"
Resources:
  CloudmendSmoke:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: ${bucket}
`,
    };
  return {
    path: `${SMOKE_PREFIX}/${runId}.tf`,
    content: `# ${warning}\nresource "aws_s3_bucket" "cloudmend_smoke" {\n  bucket = "${bucket}"\n}\n`,
  };
}
