/**
 * Control characters, terminal escapes, bidi overrides, zero-width and tag characters in finding
 * titles, resource names and tags: a run still opens its pull request, and every output (CLI text
 * and JSON, the ledger's views, the pull request title and body, the commit, the branch name)
 * shows them as `\uXXXX`, on the lines they belong to.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { printable, printableLine } from '../../src/printable.js';
import { makeWorld, type World } from '../local/fixture.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { HOSTILE, UNSAFE, cli, runIn } from './support.js';

let world: World | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

/** An S3.8 finding for acme-logs (declared in the world's storage.tf) with hostile text wherever text goes. */
function hostileEvent(tags: Record<string, string> = {}): Record<string, unknown> {
  return importedEvent([
    asffFinding({
      Title: HOSTILE,
      Resources: [
        {
          Type: 'AwsS3Bucket',
          Id: 'arn:aws:s3:::acme-logs',
          Tags: { team: HOSTILE, [HOSTILE]: 'key', ...tags },
          Details: { AwsS3Bucket: { Name: 'acme-logs' } },
        },
      ],
    }),
  ]);
}

function expectSafe(label: string, text: string): void {
  expect(
    UNSAFE.exec(text),
    `${label} holds a raw ${JSON.stringify(UNSAFE.exec(text)?.[0])}: ${JSON.stringify(text.slice(0, 300))}`,
  ).toBeNull();
}

describe('printable', () => {
  it.each([
    ['ESC', '\u001b'],
    ['NUL', '\u0000'],
    ['NEL (C1)', '\u0085'],
    ['right-to-left override', '\u202e'],
    ['left-to-right isolate', '\u2066'],
    ['zero-width space', '\u200b'],
    ['zero-width joiner', '\u200d'],
    ['line separator', '\u2028'],
    ['byte order mark', '\ufeff'],
    ['Arabic letter mark', '\u061c'],
    ['a tag character', '\u{e0041}'],
    ['a lone surrogate', '\ud800'],
  ])('shows %s as an escape that JSON reads back as the same text', (_, c) => {
    const json = JSON.stringify({ text: `a${c}b` });
    expectSafe('printable', printable(`a${c}b`));
    expect((JSON.parse(printable(json)) as { text: string }).text).toBe(`a${c}b`);
  });

  it('keeps line feeds and tabs, and printableLine shows them too', () => {
    expect(printable('a\n\tb')).toBe('a\n\tb');
    expect(printableLine('a\n\tb\r')).toBe('a\\u000a\\u0009b\\u000d');
    expect(printable('plain ASCII, ünïcödé and emoji 🙂 stay as they are')).toBe('plain ASCII, ünïcödé and emoji 🙂 stay as they are');
  });
});

describe('hostile text in findings', () => {
  it('keeps a finding title to one printable line of bounded length; tags stay exactly as sent', () => {
    const [finding] = normalizeEvent(hostileEvent()).findings;
    expectSafe('title', finding?.title ?? '');
    expect(finding?.title).toBe(printableLine(HOSTILE));
    expect(finding?.resource.tags.team).toBe(HOSTILE);
    const [long] = normalizeEvent(importedEvent([asffFinding({ Title: '🙂'.repeat(5_000) })])).findings;
    expect(long?.title.length).toBeLessThanOrEqual(512);
    expect(long?.title.endsWith('🙂…')).toBe(true);
  });

  it('opens the pull request, and every output shows the text escaped on its own line', async () => {
    world = await makeWorld();
    writeFileSync(join(world.root, 'e.json'), JSON.stringify(hostileEvent()));
    const common = ['--config', world.configFile, '--state', world.state];

    const table = await runIn(world, ['e.json']);
    // A NUL byte reaching the commit message made git refuse the commit: the run failed.
    expect(table.code).toBe(0);
    expectSafe('run stdout', table.stdout);
    expectSafe('run stderr', table.stderr);
    expect(table.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^[0-9a-f]{8}  S3\.8  pr_opened  cloudmend\/s3\.8-[0-9a-f]{16}  opened: /),
      '1 finding: pr_opened 1',
    ]);
    expect(table.stderr).not.toContain('forged: line');

    const fingerprint =
      (JSON.parse((await cli(world.root, ['status', ...common, '--json'])).stdout) as { findings: { fingerprint: string }[] }).findings[0]
        ?.fingerprint ?? '';
    for (const argv of [
      ['explain', 'e.json', '--config', world.configFile],
      ['status', ...common],
      ['show', fingerprint, ...common],
    ]) {
      const { stdout } = await cli(world.root, argv);
      expectSafe(argv[0] ?? '', stdout);
      // The title's CR LF would have started a line of its own.
      expect(stdout.split('\n').filter((line) => line.startsWith('forged: line'))).toEqual([]);
    }
    for (const argv of [
      ['explain', 'e.json', '--config', world.configFile, '--json'],
      ['status', ...common, '--json'],
      ['show', fingerprint, ...common, '--json'],
    ]) {
      const { stdout } = await cli(world.root, argv);
      expectSafe(`${argv[0] ?? ''} --json`, stdout);
      expect(() => JSON.parse(stdout) as unknown).not.toThrow();
    }

    const show = JSON.parse((await cli(world.root, ['show', fingerprint, ...common, '--json'])).stdout) as {
      finding: { summary: { title: string } };
      pullRequests: { title: string; body: string; branch: string }[];
    };
    const [pr] = show.pullRequests;
    expect(show.finding.summary.title).toBe(printableLine(HOSTILE));
    expectSafe('pull request title', pr?.title ?? '');
    expectSafe('pull request body', pr?.body ?? '');
    expect(pr?.title).toContain('Bucket \\u001b[2J');
    const branch = pr?.branch ?? '';
    expect(execFileSync('git', ['check-ref-format', '--branch', branch], { cwd: world.repo, encoding: 'utf8' }).trim()).toBe(branch);
    const message = await world.git('log', '-1', '--format=%B', branch);
    expectSafe('commit message', message);
    expect(message.split('\n')[0]).toBe(pr?.title);
  });

  it('keeps a hostile cloudmend:source tag inside the one line that reports it', async () => {
    world = await makeWorld();
    const forged = 'x.tf#a\n00000000  S3.8  pr_opened  cloudmend/forged  opened\u001b[2K\u202e';
    const event = importedEvent([
      asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::nowhere', Tags: { 'cloudmend:source': forged } }] }),
    ]);
    writeFileSync(join(world.root, 'e.json'), JSON.stringify(event));
    const run = await runIn(world, ['e.json']);
    const status = await cli(world.root, ['status', '--config', world.configFile, '--state', world.state]);
    for (const [label, text] of [
      ['run', run.stdout],
      ['status', status.stdout],
    ] as const) {
      expectSafe(label, text);
      expect(text).toContain('tag cloudmend:source="x.tf#a\\n00000000');
      expect(
        text.split('\n').filter((line) => line.startsWith('00000000')),
        label,
      ).toEqual([]);
    }
    expect(run.stdout).toMatch(/no_target/);
  });
});
