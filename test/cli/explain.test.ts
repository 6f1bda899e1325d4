import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createRuntime } from '../../src/local/runtime.js';
import { asffFinding, importedEvent, ocsfFinding, scheduledEvent } from '../support/events.js';
import { makeWorld } from '../local/fixture.js';

const ROOT = join(import.meta.dirname, '../..');

async function run(argv: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env });
  return { code, stdout, stderr };
}

interface JsonFinding {
  fingerprint: string;
  controlId: string | null;
  decision: string;
  reasonCode: string;
  reason: string;
}
interface JsonEvent {
  file: string;
  trigger: string | null;
  findings: JsonFinding[];
  error?: string;
}

describe('cloudmend explain', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloudmend-explain-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify(importedEvent()));
    writeFileSync(join(dir, 'broken.json'), '{"detail-type": ');
    writeFileSync(join(dir, 'batch.json'), JSON.stringify([scheduledEvent(), { hello: 'world' }]));
    writeFileSync(join(dir, 'finding.json'), JSON.stringify(asffFinding()));
    writeFileSync(join(dir, 'notes.md'), 'not an event');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('explains the example events as JSON in the documented shape and exits 0', async () => {
    const { code, stdout, stderr } = await run(['explain', 'examples/events', '--config', 'examples/cloudmend.config.yaml', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { events } = JSON.parse(stdout) as { events: JsonEvent[] };
    expect(events).toHaveLength(20);
    const s38 = events.find((e) => e.file === 'examples/events/securityhub-s3.8-imported.json');
    expect(s38).toEqual({
      file: 'examples/events/securityhub-s3.8-imported.json',
      kind: 'securityhub-imported',
      trigger: 'securityhub-imported',
      findings: [
        {
          fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
          controlId: 'S3.8',
          title: 'S3 general purpose buckets should block public access',
          severity: 'HIGH',
          account: '111122223333',
          region: 'us-east-1',
          resource: { type: 'AWS::S3::Bucket', id: 'arn:aws:s3:::acme-access-logs', name: 'acme-access-logs' },
          decision: 'act',
          reasonCode: 'remediate',
          // The example repositories are plain directories: the locator says it could not run.
          reason: expect.stringMatching(
            /^tier pull_request_with_approval by the policy default; repository infra-live; not located here \(.* is not a git repository/,
          ) as unknown,
          tier: 'pull_request_with_approval',
          repository: 'infra-live',
        },
      ],
    });
    expect(events.flatMap((e) => e.findings.map((f) => f.reasonCode)).sort()).toEqual(
      ['echo', 'no_control', 'no_repository', 'no_trigger', ...Array<string>(16).fill('remediate'), 'resolved', 'scheduled_task'].sort(),
    );
  });

  it('reports rejected events, still explains the others, and exits 2', async () => {
    const { code, stdout, stderr } = await run(['explain', dir, '--json'], dir);
    expect(code).toBe(2);
    expect(stderr).toBe('cloudmend explain: 2 of 5 events rejected (see "error" above)\n');
    const { events } = JSON.parse(stdout) as { events: JsonEvent[] };
    expect(events.map((e) => [e.file, e.error === undefined ? 'ok' : e.error.split(':')[0]])).toEqual([
      ['batch.json[0]', 'ok'],
      ['batch.json[1]', 'not an EventBridge event'],
      ['broken.json', 'not valid JSON'],
      ['finding.json', 'ok'],
      ['good.json', 'ok'],
    ]);
  });

  it('explains a bare Security Hub finding as the Imported event it would arrive in', async () => {
    const { stdout } = await run(['explain', 'finding.json', '--json'], dir);
    const [event] = (JSON.parse(stdout) as { events: (JsonEvent & { wrapped?: string })[] }).events;
    expect(event).toMatchObject({ wrapped: 'asff-finding', trigger: 'securityhub-imported', findings: [{ controlId: 'S3.8' }] });
  });

  it('explains a Security Hub v2 (OCSF) event, with the fingerprint of the ASFF event for the same control and bucket', async () => {
    const files = ['securityhub-s3.8-imported.json', 'securityhub-v2-s3.8-imported.json'].map((f) => `examples/events/${f}`);
    const { code, stdout } = await run(['explain', ...files, '--config', 'examples/cloudmend.config.yaml', '--json']);
    expect(code).toBe(0);
    const [asff, ocsf] = (JSON.parse(stdout) as { events: (JsonEvent & { kind: string })[] }).events;
    expect(ocsf).toMatchObject({
      kind: 'securityhub-imported-v2',
      trigger: 'securityhub-imported-v2',
      findings: [{ controlId: 'S3.8', decision: 'act', reasonCode: 'remediate' }],
    });
    expect(ocsf?.findings[0]?.fingerprint).toBe(asff?.findings[0]?.fingerprint);
  });

  it('explains a bare Security Hub v2 finding and GetFindingsV2 output as the Findings Imported V2 events they would arrive in', async () => {
    // Its own directory: another test explains every file of `dir`.
    const v2 = mkdtempSync(join(tmpdir(), 'cloudmend-explain-v2-'));
    onTestFinished(() => rmSync(v2, { recursive: true, force: true }));
    writeFileSync(join(v2, 'finding.json'), JSON.stringify(ocsfFinding()));
    writeFileSync(join(v2, 'get-findings-v2.json'), JSON.stringify({ Findings: [ocsfFinding(), ocsfFinding({ status_id: 4 })] }));
    const { code, stdout } = await run(['explain', '.', '--json'], v2);
    expect(code).toBe(0);
    const { events } = JSON.parse(stdout) as { events: (JsonEvent & { wrapped?: string })[] };
    expect(events).toMatchObject([
      { file: 'finding.json', wrapped: 'ocsf-finding', trigger: 'securityhub-imported-v2', findings: [{ controlId: 'S3.8' }] },
      { file: 'get-findings-v2.json[Findings 0]', wrapped: 'ocsf-finding', trigger: 'securityhub-imported-v2' },
      { file: 'get-findings-v2.json[Findings 1]', wrapped: 'ocsf-finding', trigger: null, findings: [{ reasonCode: 'resolved' }] },
    ]);
    const text = await run(['explain', 'finding.json'], v2);
    expect(text.stdout).toMatch(
      /^finding\.json {2}\(a bare Security Hub v2 \(OCSF\) finding, explained as a Findings Imported V2 event\)\n/,
    );
  });

  it('prints a readable report with a summary line', async () => {
    const { code, stdout } = await run(['explain', 'good.json'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^good\.json\n  trigger securityhub-imported  \(securityhub-imported\)\n  finding [0-9a-f]{12}  S3\.8  HIGH  111122223333 us-east-1  AWS::S3::Bucket acme-logs\n/,
    );
    expect(stdout).toMatch(/skip \(no_repository\): no repositories are configured/);
    expect(stdout.endsWith('1 event (0 rejected), 1 finding: 0 act, 1 skip (no_repository 1)\n')).toBe(true);
  });

  it('never lets event content drive the terminal', async () => {
    const hostile = importedEvent([
      asffFinding({
        Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::b', Details: { AwsS3Bucket: { Name: 'evil\u001b]0;pwned\u0007\u202e' } } }],
      }),
    ]);
    writeFileSync(join(dir, 'hostile.json'), JSON.stringify(hostile));
    const { stdout } = await run(['explain', 'hostile.json'], dir);
    expect(stdout).toContain('evil\\u001b]0;pwned\\u0007\\u202e');
    expect(stdout).not.toContain('\u001b');
  });

  it('reports a path that does not exist as a rejected input', async () => {
    const { code, stdout } = await run(['explain', 'nope.json', '--json'], dir);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toEqual({
      events: [{ file: 'nope.json', kind: null, trigger: null, findings: [], error: 'no such file or directory' }],
    });
  });

  it('explains a bad config without a stack trace and exits 2', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\npolicy: { default: yolo }\n');
    const { code, stdout, stderr } = await run(['explain', 'good.json', '--config', 'bad.yaml'], dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^cloudmend: .*bad\.yaml has a problem:\n  - policy\.default \(line 2\): Invalid option/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('uses CLOUDMEND_CONFIG when no --config is given', async () => {
    writeFileSync(join(dir, 'floor.yaml'), 'version: 1\ntriggers: { severityFloor: CRITICAL }\n');
    const { stdout } = await run(['explain', 'good.json', '--json'], dir, { CLOUDMEND_CONFIG: 'floor.yaml' });
    expect(stdout).toContain('"reasonCode": "no_trigger"');
  });
});

describe('cloudmend command line', () => {
  it.each([[['--help']], [['explain', '--help']], [['help', 'explain']]])('prints help for %j and exits 0', async (argv) => {
    const { code, stdout } = await run(argv);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: cloudmend/);
  });

  it('answers an unknown command or option with usage and exit 2', async () => {
    expect(await run(['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown command 'frobnicate'/) as unknown });
    expect(await run(['explain', 'x', '--bogus'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown option '--bogus'/) as unknown,
    });
  });

  it('runs as an installed binary (bin/cli.js)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'bin/cli.js'),
        'explain',
        'examples/events/scheduled-drift-scan.json',
        '--config',
        'examples/cloudmend.config.yaml',
        '--json',
      ],
      { cwd: ROOT },
    );
    const { events } = JSON.parse(stdout) as { events: JsonEvent[] };
    expect(events[0]?.findings[0]).toMatchObject({ decision: 'act', reasonCode: 'scheduled_task' });
  });
});

const BUCKETS_TF = `resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
`;

type Json = Record<string, unknown>;

const QUEUES_TF = 'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n';

/** S3.8 (a skill fixes it) on a bucket, or, with `queue`, SQS.3 (no skill) on queue jobs. */
function findingOn(bucket: string, queue = false): Json {
  const resource = queue
    ? { Type: 'AwsSqsQueue', Id: 'arn:aws:sqs:us-east-1:111122223333:jobs', Partition: 'aws', Region: 'us-east-1' }
    : {
        Type: 'AwsS3Bucket',
        Id: `arn:aws:s3:::${bucket}`,
        Partition: 'aws',
        Region: 'us-east-1',
        Details: { AwsS3Bucket: { Name: bucket } },
      };
  const control = queue ? 'SQS.3' : 'S3.8';
  return asffFinding({
    control,
    Id: `arn:aws:securityhub:us-east-1:111122223333:security-control/${control}/finding/${bucket}`,
    Resources: [resource],
  });
}

describe('explain and run agree', () => {
  it('predicts, finding by finding, what the run records: a skill fixes, no code, no skill without a model, a duplicate', async () => {
    const world = await makeWorld('', { 'storage.tf': BUCKETS_TF, 'queues.tf': QUEUES_TF });
    onTestFinished(() => world.cleanup());
    const runEvent = async (event: Json) => {
      const local = await world.open();
      try {
        return (await createRuntime({ context: local.ctx, approve: 'auto' }).run(event)).results;
      } finally {
        await local.close();
      }
    };
    // acme-data was handled by an earlier run: its finding is in the ledger.
    await runEvent(importedEvent([findingOn('acme-data')]));
    const event = importedEvent([findingOn('acme-logs'), findingOn('acme-ghost'), findingOn('jobs', true), findingOn('acme-data')]);
    const file = join(world.root, 'event.json');
    writeFileSync(file, JSON.stringify(event));

    const explained = await run(['explain', file, '--config', world.configFile, '--state', world.state, '--json'], world.root);
    expect(explained.stderr).toBe('');
    const [{ findings }] = (JSON.parse(explained.stdout) as { events: [JsonEvent] }).events;
    const predicted = Object.fromEntries(findings.map((f) => [f.fingerprint, f.reasonCode]));

    const results = await runEvent(event);
    // What the run records, in explain's words: a finding that went ahead to a pull request was "remediate".
    const recorded = Object.fromEntries(results.map((r) => [r.fingerprint, r.status === 'pr_opened' ? 'remediate' : r.status]));
    expect(Object.values(recorded).sort()).toEqual(['duplicate', 'needs_model', 'no_target', 'remediate']);
    expect(predicted).toEqual(recorded);
    const reasons = Object.fromEntries(results.map((r) => [r.fingerprint, r.reason]));
    for (const f of findings) if (f.reasonCode !== 'remediate') expect(f.reason).toBe(reasons[f.fingerprint]);
  });
});
