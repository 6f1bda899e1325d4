/**
 * Event inputs for `explain`: files and directories (recursively, `*.json`), each file holding one
 * event or an array of them. Bare Security Hub findings and GetFindings output are wrapped as the
 * "Findings - Imported" event Security Hub would send, and marked so.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export interface EventInput {
  /** File path (relative to cwd when inside it), with `[i]` for entries of an array. */
  readonly file: string;
  readonly event?: unknown;
  /** Set when the input is not an event but a finding cloudmend wrapped into one. */
  readonly wrapped?: 'asff-finding' | undefined;
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

/** The event Security Hub would emit for one finding. */
function wrapFinding(finding: Record<string, unknown>, label: string): Record<string, unknown> {
  const text = (v: unknown, fallback: string): string => (typeof v === 'string' && v !== '' ? v : fallback);
  return {
    version: '0',
    id: `explain:${label}`,
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: text(finding.AwsAccountId, '000000000000'),
    time: text(finding.UpdatedAt, new Date(0).toISOString()),
    region: text(finding.Region, 'us-east-1'),
    resources: [text(finding.Id, label)],
    detail: { findings: [finding] },
  };
}

function entriesOf(value: unknown, file: string): EventInput[] {
  if (isAsffFinding(value)) return [{ file, event: wrapFinding(value, file), wrapped: 'asff-finding' }];
  if (isRecord(value) && Array.isArray(value.Findings) && value.Findings.every(isAsffFinding)) {
    return value.Findings.map((f, i) => ({ file: `${file}[Findings ${i}]`, event: wrapFinding(f, `${file}[${i}]`), wrapped: 'asff-finding' as const }));
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => entriesOf(v, `${file}[${i}]`));
  return [{ file, event: value }];
}

function readError(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return cause instanceof SyntaxError ? `not valid JSON: ${cause.message}` : String(cause);
}

/** Expands paths into events; unreadable paths become entries with an error, never exceptions. */
export function readEventInputs(paths: readonly string[], cwd: string): EventInput[] {
  return paths.flatMap((path) => {
    const absolute = resolve(cwd, path);
    const shown = (p: string): string => (relative(cwd, p).startsWith('..') ? p : relative(cwd, p) || p);
    let files: string[];
    try {
      files = listFiles(absolute);
    } catch (cause) {
      return [{ file: path, error: readError(cause) }];
    }
    return files.flatMap((file) => {
      try {
        return entriesOf(JSON.parse(readFileSync(file, 'utf8')) as unknown, shown(file));
      } catch (cause) {
        return [{ file: shown(file), error: readError(cause) }];
      }
    });
  });
}
