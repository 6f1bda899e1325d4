/** `too-large`: patches over the line, growth or file limits, with defaults and overrides. */
import { describe, expect, it } from 'vitest';
import {
  checkPatch,
  DEFAULT_LIMITS,
  MAX_CHANGED_FILES,
  MAX_CHANGED_LINES,
  MAX_FILE_GROWTH_BYTES,
  type GuardrailInput,
  type PatchedFile,
} from '../../src/guardrails/index.js';
import { changedLines } from '../../src/guardrails/size.js';
import { expectVerdict, type Row } from './judge.js';

/** `n` harmless Terraform resources. */
function queues(n: number, from = 0): string {
  return Array.from({ length: n }, (_, i) => `resource "aws_sqs_queue" "q${from + i}" {\n  name = "q${from + i}"\n}\n`).join('\n');
}

const BASE = queues(3);

function tf(files: readonly PatchedFile[], limits?: GuardrailInput['limits']): GuardrailInput {
  return { kind: 'terraform', allowedFiles: files.map((f) => f.path), files, limits };
}

async function sizes(input: GuardrailInput): Promise<string[]> {
  return (await checkPatch(input)).filter((v) => v.rule === 'too-large').map((v) => v.message);
}

/** `n` harmless CloudFormation queues, under `Resources:`. */
function cfnQueues(n: number): string {
  return `Resources:\n${Array.from({ length: n }, (_, i) => `  Q${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: q${i}\n`).join('')}`;
}

const rows: Row[] = [
  {
    name: 'a module gains 60 resources',
    kind: 'terraform',
    before: BASE,
    after: `${BASE}\n${queues(60, 10)}`,
    expected: [['too-large', 'main.tf: the patch changes more than 200 lines']],
  },
  {
    name: 'a template (YAML) gains 60 resources',
    kind: 'cloudformation',
    before: cfnQueues(2),
    after: cfnQueues(62),
    expected: [['too-large', 'template.yaml: the patch changes more than 200 lines']],
  },
  {
    name: 'a template (JSON) grows by 70 KB',
    kind: 'cloudformation',
    before: '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}',
    after: `{"Metadata": {"Notes": "${'x'.repeat(70_000)}"}, "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}`,
    expected: [['too-large', 'template.json: grows by 70,0']],
  },
  { name: 'a module gains 10 resources', kind: 'terraform', before: BASE, after: `${BASE}\n${queues(10, 10)}`, expected: [] },
  { name: 'a template (YAML) gains 10 resources', kind: 'cloudformation', before: cfnQueues(2), after: cfnQueues(12), expected: [] },
];

describe('checkPatch: too-large by table', () => {
  it.each(rows)('judges it when $name', expectVerdict);
});

describe('changedLines', () => {
  it.each([
    ['a\nb\nc\n', 'a\nB\nc\n', 2],
    ['a\nb\n', 'a\nb\nc\nd\n', 2],
    ['', 'x\ny\n', 3],
    ['a\nb\nc\n', 'c\nb\na\n', 4],
  ])('counts the lines added and removed between %j and %j', (before, after, count) => {
    expect(changedLines(before, after, 100)).toBe(count);
  });

  it('gives up once the count passes the cap', () => {
    expect(changedLines(queues(100), queues(100, 1000), 50)).toBeUndefined();
  });
});

describe('checkPatch: too-large', () => {
  it('exports its defaults', () => {
    expect(DEFAULT_LIMITS).toEqual({
      maxChangedLines: MAX_CHANGED_LINES,
      maxFileGrowthBytes: MAX_FILE_GROWTH_BYTES,
      maxChangedFiles: MAX_CHANGED_FILES,
    });
    expect([MAX_CHANGED_LINES, MAX_FILE_GROWTH_BYTES, MAX_CHANGED_FILES]).toEqual([200, 65_536, 10]);
  });

  it('reports a patch that changes more than 200 lines, naming the limit', async () => {
    const messages = await sizes(tf([{ path: 'main.tf', before: BASE, after: `${BASE}\n${queues(60, 10)}` }]));
    expect(messages).toEqual([
      'main.tf: the patch changes more than 200 lines (more than 200 in this file), more than the limit of 200 changed lines (limits.maxChangedLines): a fix is small enough to review',
    ]);
  });

  it('adds up the lines of every file', async () => {
    const files = [0, 1, 2].map((i) => ({ path: `f${i}.tf`, before: BASE, after: `${BASE}\n${queues(20, i * 100)}` }));
    expect(await sizes(tf(files, { maxChangedLines: 100 }))).toEqual([
      'f0.tf: the patch changes at least 160 lines (80 in this file), more than the limit of 100 changed lines (limits.maxChangedLines): a fix is small enough to review',
    ]);
  });

  it('reports a file that grows by more than 64 KiB', async () => {
    const after = `${BASE}\nlocals {\n  blob = "${'x'.repeat(70_000)}"\n}\n`;
    expect(await sizes(tf([{ path: 'main.tf', before: BASE, after }]))).toEqual([
      expect.stringMatching(
        /^main\.tf: grows by 70,0\d\d bytes, more than the limit of 65,536 bytes per file \(limits\.maxFileGrowthBytes\)$/,
      ),
    ]);
  });

  it('reports a patch that touches more than 10 files', async () => {
    const files = Array.from({ length: 12 }, (_, i) => ({
      path: `f${String(i).padStart(2, '0')}.tf`,
      before: BASE,
      after: BASE.replace('"q0"', `"q0-${i}"`),
    }));
    expect(await sizes(tf(files))).toEqual([
      'f10.tf: the patch changes 12 files, more than the limit of 10 files (limits.maxChangedFiles): a fix touches few files',
    ]);
  });

  it('lets the patch pass at the limits, and counts unchanged files for nothing', async () => {
    const files = [
      // Each file its own queues (a module declares an address once), each tagged.
      ...Array.from({ length: 10 }, (_, i) => ({
        path: `f${i}.tf`,
        before: queues(3, i * 10),
        after: queues(3, i * 10).replace(`name = "q${i * 10}"\n`, `name = "q${i * 10}"\n  tags = { Team = "platform" }\n`),
      })),
      { path: 'same.tf', before: queues(3, 100), after: queues(3, 100) },
    ];
    await expect(checkPatch(tf(files))).resolves.toEqual([]);
  });

  it('takes overrides, and ignores limits that are not numbers or negative', async () => {
    const input = tf([{ path: 'main.tf', before: BASE, after: `${BASE}\n${queues(2, 10)}` }]);
    expect(await sizes({ ...input, limits: { maxChangedLines: 5 } })).toHaveLength(1);
    expect(await sizes({ ...input, limits: { maxChangedLines: Number.NaN, maxChangedFiles: -1 } })).toEqual([]);
    expect(await sizes({ ...input, limits: { maxFileGrowthBytes: 10 } })).toEqual([
      expect.stringContaining('more than the limit of 10 bytes per file'),
    ]);
  });

  it('judges a file that does not parse too', async () => {
    const violations = await checkPatch(tf([{ path: 'main.tf', before: BASE, after: `${'{\n'.repeat(300)}` }]));
    expect(violations.map((v) => v.rule)).toEqual(['too-large', 'unparsable']);
  });
});
