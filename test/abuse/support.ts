/** Shared pieces of the abuse tests: the CLI in process, hostile text, files outside the repository, big files. */
import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { World } from '../local/fixture.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `cloudmend <argv>` in process from `cwd`, with an empty environment. */
export async function cli(cwd: string, argv: readonly string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {} });
  return { code, stdout, stderr };
}

/** `run` against a world's config and state, approving everything, optionally with --json. */
export function runIn(world: World, files: readonly string[], json = false): Promise<CliResult> {
  return cli(world.root, [
    'run',
    ...files,
    '--config',
    world.configFile,
    '--state',
    world.state,
    '--approve',
    'auto',
    ...(json ? ['--json'] : []),
  ]);
}

/**
 * Terminal escapes (clear screen, set the window title, colour), NUL, bell, CR/LF, C1 controls,
 * bidi overrides and isolates, zero-width characters, line separators, a BOM and Unicode tag
 * characters: everything that could move the cursor, forge a line or hide text.
 */
export const HOSTILE =
  'Bucket \u001b[2J\u001b]0;pwned\u0007\u001b[31mred\u0000nul\r\nforged: line\u0085\u202egnp.exe\u2066iso\u2069\u200bzw\u200d\u2028ls\u2029ps\ufeff\u{e0041}\u{e0042}\u061c';

/** Characters no output line may hold raw: C0 controls but tab and LF, DEL, C1, bidi and invisible ones, lone surrogates. */
export const UNSAFE =
  // eslint-disable-next-line no-control-regex -- matching these characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]|[\ud800-\udfff]/u;

/** A fresh directory in the temporary directory, next to (never inside) worlds and snapshots. */
export function outsideDir(): string {
  return mkdtempSync(join(tmpdir(), 'cloudmend-abuse-outside-'));
}

/**
 * Writes `head`, then `fill` repeated up to `bytes` in all, then `tail`, in chunks of 1 MiB, so the
 * test process never holds the file in memory (which would spoil a memory measurement).
 */
export function writeLargeFile(
  path: string,
  bytes: number,
  { head = '', fill = 'x', tail = '' }: { head?: string; fill?: string; tail?: string } = {},
): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    const chunk = Buffer.from(fill.repeat(Math.ceil((1024 * 1024) / fill.length)));
    let left = bytes - Buffer.byteLength(head) - Buffer.byteLength(tail);
    while (left > 0) {
      const n = Math.min(left, chunk.length);
      writeSync(fd, chunk, 0, n);
      left -= n;
    }
    writeSync(fd, tail);
  } finally {
    closeSync(fd);
  }
}

const MB = 1024 * 1024;

/** How much the resident set grew, in MiB, while `fn` ran (after a GC when one is exposed). */
export async function rssGrowthMb<T>(fn: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    if (process.env.ABUSE_MEMORY) console.info(`rss growth ${((peak - before) / MB).toFixed(1)} MiB`);
    return { result, growthMb: (peak - before) / MB };
  } finally {
    clearInterval(timer);
  }
}
