/**
 * The smoke test's synthetic finding: one Security Hub finding (ASFF, S3.8 block public access, a
 * control a deterministic skill fixes in Terraform) about a bucket that exists only in a scratch
 * file on a branch of its own, so the pull request it produces touches nothing real.
 */
import type { RepositoryConfig } from '../config/schema.js';
import { EVENT_KINDS } from '../findings/event-kinds.js';

/** What every smoke test writes: labels people and tools see on the finding and in the ledger. */
export const SMOKE_LABEL = 'cloudmend smoke test: not a real finding';
/** Prefix of the smoke test's branches and of its scratch file's directory. */
export const SMOKE_PREFIX = 'cloudmend-smoke';
/** The control the smoke finding is for: fixed by the s3-block-public-access skill, no model needed. */
export const SMOKE_CONTROL = 'S3.8';

/** A 12-digit account for a repository that owns every account (`'*'`). */
const ANY_ACCOUNT = '123456789012';
const DEFAULT_REGION = 'us-east-1';

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
export function smokeFinding(runId: string, repo: Pick<RepositoryConfig, 'owns'>, at: Date): SmokeFinding {
  const account = repo.owns.accounts.find((a) => a !== '*') ?? ANY_ACCOUNT;
  const region = repo.owns.regions?.[0] ?? DEFAULT_REGION;
  const bucket = `${SMOKE_PREFIX}-${runId}`;
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
    Description: `${SMOKE_LABEL}. Bucket ${bucket} exists only in ${SMOKE_PREFIX}/${runId}.tf on branch ${SMOKE_PREFIX}/${runId}.`,
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
  const content = `# ${SMOKE_LABEL}: written by \`cloudmend smoke\` run ${runId} on a branch of its own; never deploy it.
resource "aws_s3_bucket" "cloudmend_smoke" {
  bucket = "${bucket}"
}
`;
  return {
    runId,
    branch: `${SMOKE_PREFIX}/${runId}`,
    file: { path: `${SMOKE_PREFIX}/${runId}.tf`, content },
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
