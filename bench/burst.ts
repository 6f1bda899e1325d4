/**
 * A burst: 10,000 distinct findings (25 repositories × 4 controls × 100 resources, each control's
 * resources in one file) in Security Hub imports of 100, every event delivered three times. Planned
 * by the batching stage (src/triggers/batching.ts) and run through the local runtime: executions,
 * pull requests (branches), model calls, outcomes and time (about half an hour on 2 shared cores).
 * `--quick`: 2 repositories, 800 findings.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config/load.js';
import { createRuntime } from '../src/local/runtime.js';
import { GitRepository, gitIdentity } from '../src/scm/git.js';
import { openLocal } from '../src/local/setup.js';
import { planBatches, skillCoverage } from '../src/triggers/batching.js';
import { asffFinding, importedEvent } from '../test/support/events.js';
import { round, type Benchmark } from './report.js';

const PER_GROUP = 100;
const DELIVERIES = 3;

/** Each control: the resource it is about, its Terraform block and where it lives. */
const CONTROLS = [
  {
    control: 'S3.8',
    file: 'buckets.tf',
    type: 'AwsS3Bucket',
    address: (i: number) => `aws_s3_bucket.b${i}`,
    id: (r: string, i: number) => `arn:aws:s3:::${r}-b${i}`,
  },
  {
    control: 'S3.4',
    file: 'buckets.tf',
    type: 'AwsS3Bucket',
    address: (i: number) => `aws_s3_bucket.b${i}`,
    id: (r: string, i: number) => `arn:aws:s3:::${r}-b${i}`,
  },
  {
    control: 'DynamoDB.2',
    file: 'tables.tf',
    type: 'AwsDynamoDbTable',
    address: (i: number) => `aws_dynamodb_table.t${i}`,
    id: (r: string, i: number, a: string) => `arn:aws:dynamodb:us-east-1:${a}:table/${r}-t${i}`,
  },
  {
    control: 'KMS.4',
    file: 'keys.tf',
    type: 'AwsKmsKey',
    address: (i: number) => `aws_kms_key.k${i}`,
    id: (_: string, i: number, a: string) => `arn:aws:kms:us-east-1:${a}:key/0000${String(i).padStart(4, '0')}-0000-4000-8000-000000000000`,
  },
] as const;

const account = (r: number): string => String(200000000000 + r);

function files(repo: string): Record<string, string> {
  const range = Array.from({ length: PER_GROUP }, (_, i) => i);
  return {
    'buckets.tf': range.map((i) => `resource "aws_s3_bucket" "b${i}" {\n  bucket = "${repo}-b${i}"\n}\n`).join('\n'),
    'tables.tf': range
      .map(
        (i) =>
          `resource "aws_dynamodb_table" "t${i}" {\n  name         = "${repo}-t${i}"\n  billing_mode = "PAY_PER_REQUEST"\n  hash_key     = "id"\n\n  attribute {\n    name = "id"\n    type = "S"\n  }\n}\n`,
      )
      .join('\n'),
    'keys.tf': range.map((i) => `resource "aws_kms_key" "k${i}" {\n  description = "${repo} key ${i}"\n}\n`).join('\n'),
  };
}

async function repository(root: string, name: string): Promise<string> {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [path, text] of Object.entries(files(name))) writeFileSync(join(dir, path), text);
  const repo = await GitRepository.create(dir, ['--initial-branch=main']);
  await repo.run(['add', '--all']);
  await repo.run(['commit', '--quiet', '-m', 'resources'], gitIdentity({ name: 'bench', email: 'bench@example.com' }));
  return dir;
}

/** Every finding of the burst, in events of 100, interleaved across repositories and controls. */
function burstEvents(repos: readonly string[]): unknown[] {
  const findings = repos.flatMap((repo, r) =>
    CONTROLS.flatMap((c) =>
      Array.from({ length: PER_GROUP }, (_, i) =>
        asffFinding({
          control: c.control,
          AwsAccountId: account(r),
          Id: `arn:aws:securityhub:us-east-1:${account(r)}:security-control/${c.control}/finding/${repo}-${i}`,
          Resources: [
            { Type: c.type, Id: c.id(repo, i, account(r)), Region: 'us-east-1', Tags: { 'cloudmend:source': `${c.file}#${c.address(i)}` } },
          ],
        }),
      ),
    ),
  );
  // Round-robin, so one event mixes repositories and controls as a real import does.
  const shuffled = findings
    .map((f, i) => ({ f, k: (i * 7919) % findings.length }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.f);
  const events = Array.from({ length: Math.ceil(shuffled.length / 100) }, (_, e) =>
    importedEvent(shuffled.slice(e * 100, e * 100 + 100), { id: `burst-${e}` }),
  );
  return Array.from({ length: DELIVERIES }, () => events).flat();
}

export const burst: Benchmark = {
  name: 'burst',
  title: 'Burst: 10,000 findings delivered three times',
  async run(options) {
    const repoCount = options.quick ? 2 : 25;
    const root = mkdtempSync(join(tmpdir(), 'cloudmend-burst-'));
    try {
      const names = Array.from({ length: repoCount }, (_, r) => `repo${r}`);
      const dirs = await Promise.all(names.map((n) => repository(root, n)));
      const yaml = `version: 1\nrepositories:\n${names.map((n, r) => `  - { name: ${n}, location: ${dirs[r]}, iac: terraform, owns: { accounts: ["${account(r)}"] } }`).join('\n')}\npolicy: { default: pull_request }\nvalidators: { terraform: { mode: off }, cfnLint: { mode: off } }\nbatching: { windowSeconds: 60, maxFindings: ${PER_GROUP} }\n`;
      const config = parseConfig(yaml, join(root, 'cloudmend.config.yaml'));
      const events = burstEvents(names);
      const planStart = performance.now();
      const plan = planBatches(events, config, {
        maxFindings: config.batching.maxFindings,
        batchable: await skillCoverage(config),
        now: new Date(),
      });
      const planSeconds = (performance.now() - planStart) / 1000;

      const local = await openLocal({
        config,
        configDir: root,
        cwd: root,
        stateDir: join(root, 'state'),
        env: {},
        runId: 'burst',
        approvals: { requestApproval: () => Promise.resolve({}) },
      });
      const runtime = createRuntime({ context: local.ctx, approve: 'auto' });
      const runStart = performance.now();
      const statuses = new Map<string, number>();
      let findings = 0;
      try {
        for (const execution of plan.executions) {
          for (const r of (await runtime.run(execution)).results) {
            findings++;
            statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          }
        }
      } finally {
        await local.close();
      }
      const runSeconds = (performance.now() - runStart) / 1000;
      const branchesOf = async (dir: string): Promise<number> => (await GitRepository.at(dir).branches('cloudmend/')).length;
      const branches = (await Promise.all(dirs.map(branchesOf))).reduce((a, b) => a + b, 0);
      const modelCalls = statuses.get('needs_model') ?? 0;
      const distinct = repoCount * CONTROLS.length * PER_GROUP;
      const summary = {
        deliveries: events.length * 100,
        distinctFindings: distinct,
        groups: plan.groups,
        executions: plan.executions.length,
        pullRequests: branches,
        modelCalls,
        duplicatesDropped: plan.duplicates,
        planSeconds: round(planSeconds, 2),
        runSeconds: round(runSeconds),
        msPerFinding: round((runSeconds * 1000) / Math.max(1, findings)),
      };
      return {
        rows: [summary, ...[...statuses].map(([status, count]) => ({ outcome: status, findings: count }))],
        summary,
        targets: [
          { name: 'executions per group', value: plan.executions.length / plan.groups, limit: 1, kind: 'at most', unit: '×' },
          { name: 'pull requests per group', value: branches / plan.groups, limit: 1, kind: 'at most', unit: '×' },
          { name: 'model calls', value: modelCalls, limit: 0, kind: 'at most', unit: 'calls' },
        ],
        notes: [
          `${PER_GROUP} resources per (repository, control): a group larger than batching.maxFindings (${PER_GROUP}, bound by Step Functions' 256 KB state) becomes one execution and one pull request per ${PER_GROUP} findings.`,
          'Without batching the same burst starts one execution per event delivery and opens one pull request per finding.',
        ],
      };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};
