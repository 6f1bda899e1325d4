/**
 * The pull request's rollback follows the kind of the fix its skill's metadata gives, through the
 * real skills, from the finding to the stored pull request: encrypting an existing database's storage
 * (RDS.3) replaces it, so the rollback starts from a snapshot, in Terraform and in CloudFormation;
 * turning on versioning (S3.14) changes the bucket in place, so reverting works.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxOutput } from '../../../src/agent/task.js';
import type { IterationState, PatchOutput } from '../../../src/workflow/types.js';
import { bedrockModelConfig } from '../../support/model-config.js';
import { ACCOUNT, asffFinding, REGION } from '../../support/events.js';
import { bucketFinding, remediate, taskWorld, workItem, type TaskWorld } from './support.js';

const DB_TF = `resource "aws_db_instance" "orders" {
  identifier        = "orders-db"
  engine            = "postgres"
  instance_class    = "db.t4g.micro"
  allocated_storage = 20
}
`;

const DB_YAML = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  OrdersDb:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: orders-db
      Engine: postgres
      DBInstanceClass: db.t4g.micro
      AllocatedStorage: '20'
`;

const BUCKET_TF = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
`;

/** RDS.3 on the DB instance `orders-db`. */
const DB_FINDING = asffFinding({
  control: 'RDS.3',
  Title: 'RDS DB instances should have encryption at-rest enabled',
  Resources: [
    {
      Type: 'AwsRdsDbInstance',
      Id: `arn:aws:rds:${REGION}:${ACCOUNT}:db:orders-db`,
      Partition: 'aws',
      Region: REGION,
      Details: { AwsRdsDbInstance: { DbInstanceIdentifier: 'orders-db', Engine: 'postgres' } },
    },
  ],
});

/** S3.14 on the bucket `acme-logs`. */
const BUCKET_FINDING = asffFinding({
  control: 'S3.14',
  Title: 'S3 general purpose buckets should have versioning enabled',
  Resources: [
    {
      Type: 'AwsS3Bucket',
      Id: 'arn:aws:s3:::acme-logs',
      Partition: 'aws',
      Region: REGION,
      Details: { AwsS3Bucket: { Name: 'acme-logs' } },
    },
  ],
});

let t: TaskWorld | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The Rollback section of the pull request `id`. */
async function rollbackSection(id: string | undefined): Promise<string> {
  const body = (await t!.ctx.ledger.getPullRequest(id ?? ''))?.body ?? '';
  return body.slice(body.indexOf('## Rollback'));
}

/** The Rollback section of the pull request opened for `finding` in a repository of `files`. */
async function rollbackOf(files: Record<string, string>, finding: ReturnType<typeof asffFinding>): Promise<string> {
  t = await taskWorld(files, undefined, Object.keys(files).some((f) => f.endsWith('.yaml')) ? 'cloudformation' : 'terraform');
  const { state, outcome } = await remediate(t, await workItem(t, [finding]));
  expect(outcome.status, outcome.reason).toBe('pr_opened');
  return rollbackSection(state.pullRequest?.id);
}

/**
 * The Rollback section of the pull request for `finding`'s patch written by a (scripted) model in the
 * sandbox: `file` of `files` becomes `after`; RunAgent, CollectAgent, CheckPolicy and OpenPullRequest run.
 */
async function modelRollbackOf(
  files: Record<string, string>,
  finding: ReturnType<typeof asffFinding>,
  file: string,
  after: string,
): Promise<string> {
  t = await taskWorld(files, bedrockModelConfig('anthropic.claude-test'));
  const item = await workItem(t, [finding]);
  let state: IterationState = { ...item, claim: await t.run('Claim', item) };
  state = { ...state, target: await t.run('Locate', state) };
  const run = await t.run<PatchOutput>('RunAgent', state);
  const usage = { model: 'anthropic.claude-test', calls: 1, inputTokens: 10, outputTokens: 5, latencyMs: 1 };
  const checks = [{ name: 'terraform-validate', status: 'passed', detail: 'valid' }] as const;
  const output: SandboxOutput = {
    status: 'patched',
    files: [{ path: file, before: files[file] ?? '', after }],
    diff: '',
    summary: 'fixed',
    validation: { passed: true, checks },
    usage,
  };
  await t.ctx.artifacts.put(run.sandbox!.output, output);
  state = { ...state, patch: await t.run<PatchOutput>('CollectAgent', { ...state, patch: run }) };
  expect(state.patch?.status, state.patch?.reason).toBe('patched');
  state = { ...state, policy: await t.run('CheckPolicy', state) };
  expect(state.policy?.allowed, state.policy?.reason).toBe(true);
  state = { ...state, pullRequest: await t.run('OpenPullRequest', state) };
  return rollbackSection(state.pullRequest?.id);
}

describe('the rollback a pull request gives', () => {
  it.each([
    ['a Terraform aws_db_instance', { 'database.tf': DB_TF }],
    ['a CloudFormation AWS::RDS::DBInstance', { 'database.yaml': DB_YAML }],
  ])('starts from a snapshot for RDS.3 on %s (the database is replaced), never from reverting', async (_name, files) => {
    const rollback = await rollbackOf(files, DB_FINDING);
    expect(rollback).toContain('reverting this pull request does not bring back what was destroyed');
    expect(rollback).toContain('take a manual snapshot of the database');
    expect(rollback).not.toContain('the previous configuration comes back');
  });

  it('is reverting for S3.14, whose fix changes the bucket in place', async () => {
    const rollback = await rollbackOf({ 'storage.tf': BUCKET_TF }, BUCKET_FINDING);
    expect(rollback).toContain(
      'This fix changes the resource in place: if it causes trouble after it is deployed, revert this pull request',
    );
    expect(rollback).not.toMatch(/snapshot/);
  });

  it("takes the kind of its control's skills for a model's patch: RDS.3 starts from a snapshot", async () => {
    const rollback = await modelRollbackOf(
      { 'database.tf': DB_TF },
      DB_FINDING,
      'database.tf',
      DB_TF.replace('= 20\n', '= 20\n  storage_encrypted = true\n'),
    );
    expect(rollback).toContain('take a manual snapshot of the database');
    expect(rollback).not.toContain('the previous configuration comes back');
  });

  it("says a model's patch of a control no skill knows (S3.7) has no known rollback", async () => {
    const after = `${BUCKET_TF}\n# Replication is set up by the platform team.\n`;
    const rollback = await modelRollbackOf({ 'storage.tf': BUCKET_TF }, bucketFinding('S3.7'), 'storage.tf', after);
    expect(rollback).toContain('**The rollback of this change is not known.**');
    expect(rollback).not.toContain('revert this pull request and deploy again');
  });

  it("starts from a snapshot when the guardrail sees a model's patch replace the resource, though no skill says so", async () => {
    const after = BUCKET_TF.replace('"acme-logs"', '"acme-logs-replicated"');
    const rollback = await modelRollbackOf({ 'storage.tf': BUCKET_TF }, bucketFinding('S3.7'), 'storage.tf', after);
    expect(rollback).toContain('reverting this pull request does not bring back what was destroyed');
    expect(rollback).toContain(
      'Take a snapshot or backup of the resource before deploying: reverting this pull request would replace it once more',
    );
  });
});
