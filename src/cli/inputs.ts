/**
 * Event inputs for `explain` and `run`: files and directories (recursively, `*.json`), each file
 * holding one event or an array of them. Bare Security Hub findings and GetFindings output are
 * wrapped as the event Security Hub would send ("Security Hub Findings - Imported" for ASFF,
 * "Findings Imported V2" for OCSF and GetFindingsV2 output), and marked so. Files are read
 * one at a time as they are asked for, each at most `MAX_EVENT_FILE_BYTES`.
 */
import { closeSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CloudmendError, InvalidEventError } from '../errors.js';
import { MAX_EVENT_DEPTH, nestedDeeperThan, tooDeepMessage } from '../findings/envelope.js';

/**
 * The largest event file read: EventBridge events are at most 256 KB, so 1 MiB holds one with
 * room to spare, or an array of a few. Larger files are refused before they are read.
 */
export const MAX_EVENT_FILE_BYTES = 1024 * 1024;

/** What a wrapped input was: a bare finding in ASFF (Security Hub CSPM) or OCSF (Security Hub v2). */
export type WrappedFinding = 'asff-finding' | 'ocsf-finding';

export interface EventInput {
  /** File path (relative to cwd when inside it), with `[i]` for entries of an array. */
  readonly file: string;
  readonly event?: unknown;
  /** Set when the input is not an event but a finding cloudmend wrapped into one. */
  readonly wrapped?: WrappedFinding | undefined;
  /** Set when the file could not be read or parsed. */
  readonly error?: string | undefined;
}

function listFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return listFiles(child);
      return entry.isFile() && entry.name.endsWith('.json') ? [child] : [];
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isAsffFinding(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.SchemaVersion === 'string' && typeof value.ProductArn === 'string' && !('detail-type' in value);
}

function isOcsfFinding(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && typeof value.class_uid === 'number' && isRecord(value.finding_info) && !('detail-type' in value);
}

const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);
const field = (v: unknown, key: string): unknown => (isRecord(v) ? v[key] : undefined);

/** The event Security Hub would emit for one finding, in the format's own event. */
function wrapFinding(finding: Record<string, unknown>, label: string, wrapped: WrappedFinding): Record<string, unknown> {
  const ocsf = wrapped === 'ocsf-finding';
  const { cloud, finding_info: info, metadata } = finding;
  return {
    version: '0',
    id: `explain:${label}`,
    'detail-type': ocsf ? 'Findings Imported V2' : 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: text(ocsf ? field(field(cloud, 'account'), 'uid') : finding.AwsAccountId, '000000000000'),
    time: text(ocsf ? field(info, 'modified_time_dt') : finding.UpdatedAt, new Date(0).toISOString()),
    region: text(ocsf ? field(cloud, 'region') : finding.Region, 'us-east-1'),
    resources: [text(ocsf ? field(metadata, 'uid') : finding.Id, label)],
    detail: { findings: [finding] },
  };
}

const FINDING_FORMATS: readonly [WrappedFinding, (value: unknown) => value is Record<string, unknown>][] = [
  ['asff-finding', isAsffFinding],
  ['ocsf-finding', isOcsfFinding],
];

function entriesOf(value: unknown, file: string): EventInput[] {
  for (const [wrapped, is] of FINDING_FORMATS) {
    if (is(value)) return [{ file, event: wrapFinding(value, file, wrapped), wrapped }];
    // GetFindings (ASFF) and GetFindingsV2 (OCSF) output alike: {"Findings": [...]}.
    if (isRecord(value) && Array.isArray(value.Findings) && value.Findings.every(is)) {
      return value.Findings.map((f, i) => ({ file: `${file}[Findings ${i}]`, event: wrapFinding(f, `${file}[${i}]`, wrapped), wrapped }));
    }
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => entriesOf(v, `${file}[${i}]`));
  return [{ file, event: value }];
}

function readError(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (cause instanceof CloudmendError) return cause.message;
  return cause instanceof SyntaxError ? `not valid JSON: ${cause.message}` : String(cause);
}

const tooLarge = (bytes: string): InvalidEventError =>
  new InvalidEventError(
    `${bytes} is more than the ${MAX_EVENT_FILE_BYTES} bytes (1 MiB) cloudmend reads from an event file; an EventBridge event is at most 256 KB, so put events in files of their own`,
  );

/**
 * The file's text, refused before reading when it is larger than `MAX_EVENT_FILE_BYTES`, and
 * never more than that read (a pipe or a device such as /dev/zero has no size to check first).
 */
function readBounded(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const { size } = fstatSync(fd);
    if (size > MAX_EVENT_FILE_BYTES) throw tooLarge(`${size} bytes`);
    const buffer = Buffer.allocUnsafe(MAX_EVENT_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_EVENT_FILE_BYTES) throw tooLarge('the input');
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

function eventsOfFile(file: string, shown: string): EventInput[] {
  const value = JSON.parse(readBounded(file)) as unknown;
  // One level more than an event may have: the array a file of several events holds them in.
  if (nestedDeeperThan(value, MAX_EVENT_DEPTH + 1)) throw new InvalidEventError(tooDeepMessage());
  return entriesOf(value, shown);
}

/**
 * Expands paths into events, one file at a time as they are iterated; unreadable paths and files
 * become entries with an error, never exceptions.
 */
export function* readEventInputs(paths: readonly string[], cwd: string): Generator<EventInput> {
  const shown = (p: string): string => (relative(cwd, p).startsWith('..') ? p : relative(cwd, p) || p);
  for (const path of paths) {
    let files: string[];
    try {
      files = listFiles(resolve(cwd, path));
    } catch (cause) {
      yield { file: path, error: readError(cause) };
      continue;
    }
    for (const file of files) {
      let entries: EventInput[];
      try {
        entries = eventsOfFile(file, shown(file));
      } catch (cause) {
        entries = [{ file: shown(file), error: readError(cause) }];
      }
      yield* entries;
    }
  }
}
