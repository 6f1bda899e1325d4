/**
 * Event files at and past EventBridge's size limit, and JSON nested far deeper than any event:
 * through `explain`, `run` and the embedded runtime. The largest events still work; oversized files
 * are refused before they are read; deep nesting is a clear rejection, never a stack overflow.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_EVENT_FILE_BYTES } from '../../src/cli/inputs.js';
import { MAX_EVENT_DEPTH } from '../../src/findings/envelope.js';
import { createRuntime } from '../../src/local/runtime.js';
import { makeWorld, type World } from '../local/fixture.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { cli, rssGrowthMb, runIn, writeLargeFile } from './support.js';

const EVENTBRIDGE_MAX_BYTES = 256 * 1024;

let world: World | undefined;
afterEach(() => {
  world?.cleanup();
  world = undefined;
});

const bucket = { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::acme-logs' };

/** A real-shaped S3.8 event for acme-logs, padded with product fields to exactly `bytes`. */
function eventOfSize(bytes: number): string {
  const base = (pad: string): string => JSON.stringify(importedEvent([asffFinding({ Resources: [bucket], ProductFields: { pad } })]));
  const text = base('x'.repeat(bytes - base('').length));
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

/** `depth` nested arrays: `[[[…]]]`. */
const nestedArrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** An otherwise valid event whose finding's ProductFields hold `depth` nested arrays. */
function deepEvent(depth: number): string {
  return JSON.stringify(importedEvent([asffFinding({ Resources: [bucket] })])).replace(
    '"ProductFields":{}',
    `"ProductFields":{"deep":${nestedArrays(depth)}}`,
  );
}

describe('event size', () => {
  it('runs an event of 256 KB, the most EventBridge delivers, to a pull request', async () => {
    world = await makeWorld();
    writeFileSync(join(world.root, 'max.json'), eventOfSize(EVENTBRIDGE_MAX_BYTES));
    const { code, stdout } = await runIn(world, ['max.json'], true);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ results: [{ status: 'pr_opened', controlId: 'S3.8' }], rejected: [] });
  });

  it.each([
    ['just over the limit', MAX_EVENT_FILE_BYTES + 1],
    ['20 MB', 20 * 1024 * 1024],
  ])('refuses an event file %s with the limit and what to do, for explain and run, exit 2', async (_, bytes) => {
    world = await makeWorld();
    const file = join(world.root, 'big.json');
    // Valid JSON and a valid event, so only the size can be the reason.
    const text = eventOfSize(EVENTBRIDGE_MAX_BYTES);
    writeLargeFile(file, bytes, { head: text.slice(0, -1), fill: ' ', tail: '}' });
    const message = `${bytes} bytes is more than the ${MAX_EVENT_FILE_BYTES} bytes (1 MiB) cloudmend reads from an event file; an EventBridge event is at most 256 KB, so put events in files of their own`;

    const explained = await cli(world.root, ['explain', 'big.json', '--config', world.configFile, '--json']);
    expect(explained.code).toBe(2);
    expect(JSON.parse(explained.stdout)).toEqual({
      events: [{ file: 'big.json', kind: null, trigger: null, findings: [], error: message }],
    });

    const ran = await runIn(world, ['big.json']);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toBe(`rejected big.json: ${message}\n0 findings: rejected_events 1\n`);
    expect(ran.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a 64 MB event file without reading it into memory', async () => {
    world = await makeWorld();
    writeLargeFile(join(world.root, 'huge.json'), 64 * 1024 * 1024, { head: '{"pad":"', tail: '"}' });
    const { result, growthMb } = await rssGrowthMb(() =>
      cli(world?.root ?? '', ['explain', 'huge.json', '--config', world?.configFile ?? '']),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/67108864 bytes is more than the 1048576 bytes/);
    // Reading it would take 64 MiB for the bytes alone, and as much again for the string.
    expect(growthMb).toBeLessThan(32);
  });

  it.skipIf(!existsSync('/dev/zero'))('reads no more than the limit from an endless input such as /dev/zero', async () => {
    world = await makeWorld();
    const { code, stdout } = await cli(world.root, ['explain', '/dev/zero', '--config', world.configFile]);
    expect(code).toBe(2);
    expect(stdout).toContain('rejected: the input is more than the 1048576 bytes (1 MiB) cloudmend reads from an event file');
  });
});

describe('deeply nested JSON', () => {
  const tooDeep = `not an event cloudmend reads: its JSON nests arrays and objects more than ${MAX_EVENT_DEPTH} levels deep (events nest a few dozen at most)`;

  it('rejects 100 000 levels of nested arrays as a file, without a stack overflow, exit 2', async () => {
    world = await makeWorld();
    writeFileSync(join(world.root, 'deep.json'), nestedArrays(100_000));
    const explained = await cli(world.root, ['explain', 'deep.json', '--config', world.configFile]);
    expect(explained.code).toBe(2);
    expect(explained.stdout).toContain(`deep.json\n  rejected: ${tooDeep}\n`);
    expect(explained.stdout).not.toMatch(/RangeError|call stack/);

    const ran = await runIn(world, ['deep.json']);
    expect(ran.code).toBe(2);
    expect(ran.stdout).toContain(`rejected deep.json: ${tooDeep}`);
  });

  it('rejects an otherwise valid event with a deeply nested field in explain and run, exit 2', async () => {
    world = await makeWorld();
    writeFileSync(join(world.root, 'deep.json'), deepEvent(100_000));
    const explained = await cli(world.root, ['explain', 'deep.json', '--config', world.configFile, '--json']);
    expect(explained.code).toBe(2);
    expect(JSON.parse(explained.stdout)).toMatchObject({ events: [{ file: 'deep.json', error: tooDeep }] });

    const ran = await runIn(world, ['deep.json'], true);
    expect(ran.code).toBe(2);
    // Refused as the file is read, before the runtime sees it.
    expect(JSON.parse(ran.stdout)).toMatchObject({ results: [], rejected: [{ file: 'deep.json', error: tooDeep }] });
  });

  it('still explains an event nested as deep as the limit allows', async () => {
    world = await makeWorld();
    // The finding's ProductFields sit 5 levels down (event, detail, findings, finding, ProductFields).
    writeFileSync(join(world.root, 'edge.json'), deepEvent(MAX_EVENT_DEPTH - 5));
    writeFileSync(join(world.root, 'over.json'), deepEvent(MAX_EVENT_DEPTH - 4));
    const { stdout } = await cli(world.root, ['explain', 'edge.json', 'over.json', '--config', world.configFile, '--json']);
    const { events } = JSON.parse(stdout) as { events: { file: string; error?: string; findings: unknown[] }[] };
    expect(events.map((e) => [e.file, e.error ?? e.findings.length])).toEqual([
      ['edge.json', 1],
      ['over.json', tooDeep],
    ]);
  });

  it('has the embedded runtime reject a deep event given as an object, never throwing', async () => {
    world = await makeWorld();
    const local = await world.open();
    try {
      const runtime = createRuntime({ context: local.ctx, approve: 'auto' });
      const out = await runtime.run(JSON.parse(deepEvent(50_000)) as unknown);
      expect(out).toEqual({
        eventId: expect.any(String) as unknown,
        results: [],
        problems: [],
        error: { Error: 'cloudmend.InvalidEvent', Cause: tooDeep },
        inputBytes: 0,
        largestStateBytes: 0,
      });
    } finally {
      await local.close();
    }
  });
});
