/**
 * `cloudmend:source` tags that try to leave the repository: `..`, absolute paths, NUL bytes,
 * URL-encoding, backslashes, symlinked components. Each ends in `no_target` with the reason, and
 * the locator touches no path outside the repository root (every file-system call is recorded).
 */
import type * as nodeFs from 'node:fs';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import { locate } from '../../src/iac/locate.js';
import { makeWorld, STORAGE_TF, type World } from '../local/fixture.js';
import { asffFinding, importedEvent } from '../support/events.js';
import { outsideDir, runIn } from './support.js';

/** Calls to the file system while `recording.on`: what the locator looked at, and how. */
const recording = vi.hoisted(() => ({ on: false, calls: [] as { fn: string; path: string }[] }));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof nodeFs>();
  const watched = ['openSync', 'readFileSync', 'readdirSync', 'lstatSync', 'statSync', 'existsSync', 'opendirSync', 'accessSync'] as const;
  const wrapped: Record<string, unknown> = {};
  for (const name of watched) {
    const original = fs[name] as (...args: unknown[]) => unknown;
    wrapped[name] = (path: unknown, ...rest: unknown[]) => {
      if (recording.on) recording.calls.push({ fn: name, path: String(path) });
      return original(path, ...rest);
    };
  }
  const realpathSync = Object.assign(
    (path: unknown, ...rest: unknown[]) => {
      if (recording.on) recording.calls.push({ fn: 'realpathSync', path: String(path) });
      return (fs.realpathSync as (...args: unknown[]) => unknown)(path, ...rest);
    },
    { native: fs.realpathSync.native },
  );
  const mocked = { ...fs, ...wrapped, realpathSync };
  return { ...mocked, default: mocked };
});

const SENTINEL = 'SENTINEL-7f3a: this text is outside the repository';
const OUTSIDE_TF = `# ${SENTINEL}\nresource "aws_s3_bucket" "outside" {\n  bucket = "outside-bucket"\n}\n`;

let root: string;
let outside: string;

/**
 * Where a call really went: `lstat` looks at a link itself, so its directory is resolved; every
 * other call follows links, so the whole path is (lexically when it does not exist).
 */
function physical({ fn, path }: { fn: string; path: string }): string {
  const full = resolve(root, path);
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  return fn === 'lstatSync' ? join(real(dirname(full)), basename(full)) : real(full);
}

function finding(bucket: string, source: string, index = 0): Finding {
  const f = normalizeEvent(
    importedEvent([
      asffFinding({ Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${bucket}`, Tags: { 'cloudmend:source': source } }] }),
    ]),
  ).findings[0];
  if (!f) throw new Error(`no finding ${index}`);
  return f;
}

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'cloudmend-abuse-repo-')));
  outside = realpathSync(outsideDir());
  writeFileSync(join(outside, 'outside.tf'), OUTSIDE_TF);
  writeFileSync(join(root, 'storage.tf'), STORAGE_TF);
  mkdirSync(join(root, 'foo'));
  symlinkSync(outside, join(root, 'link'));
  symlinkSync(join(outside, 'outside.tf'), join(root, 'passwd.tf'));
  symlinkSync('.', join(root, 'loop'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('locate with a hostile cloudmend:source tag', () => {
  const sibling = (): string => basename(outside);
  const cases: [string, () => string, RegExp][] = [
    ['a climb to a sibling directory', () => `../${sibling()}/outside.tf#aws_s3_bucket.outside`, /leaves the repository root/],
    ['a climb to /etc/passwd', () => '../../../../../../etc/passwd#x', /leaves the repository root/],
    ['a climb hidden behind a directory', () => `foo/../../${sibling()}/outside.tf#aws_s3_bucket.outside`, /leaves the repository root/],
    ['an absolute path', () => `${outside}/outside.tf#aws_s3_bucket.outside`, /must be relative to the repository root/],
    ['/etc/passwd', () => '/etc/passwd', /must be relative to the repository root/],
    ['a NUL byte', () => 'storage.tf\u0000/../../etc/passwd#aws_s3_bucket.logs', /must be relative to the repository root/],
    ['a URL-encoded climb', () => `..%2F${sibling()}%2Foutside.tf#aws_s3_bucket.outside`, /does not exist in the repository/],
    ['a dot-encoded climb', () => `%2e%2e/${sibling()}/outside.tf#aws_s3_bucket.outside`, /does not exist in the repository/],
    ['backslashes', () => `..\\${sibling()}\\outside.tf#aws_s3_bucket.outside`, /does not exist in the repository/],
    ['a Windows drive', () => 'C:\\Windows\\win.ini#x', /does not exist in the repository/],
    ['a file URL', () => 'file:///etc/passwd#x', /does not exist in the repository/],
    ['a symlinked directory', () => 'link/outside.tf#aws_s3_bucket.outside', /goes through a symlink/],
    ['a symlinked file', () => 'passwd.tf#aws_s3_bucket.outside', /goes through a symlink/],
    ['a symlink loop', () => 'loop/loop/loop/storage.tf#aws_s3_bucket.logs', /goes through a symlink/],
  ];

  it.each(cases)('refuses %s, says why, and touches nothing outside the root', async (_, tag, reason) => {
    recording.calls = [];
    recording.on = true;
    let result;
    try {
      result = await locate(finding('outside-bucket', tag()), { name: 'infra', root, iac: 'terraform' });
    } finally {
      recording.on = false;
    }
    // The recording is live: the scan and the confinement checks went through it.
    expect(recording.calls.map((c) => c.path)).toContain(join(root, 'storage.tf'));
    const escaped = recording.calls.filter((call) => {
      const rel = relative(root, physical(call));
      return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
    });
    expect(escaped).toEqual([]);
    expect(result.found).toBe(false);
    expect(result.tried.find((t) => t.startsWith('tag cloudmend:source='))).toMatch(reason);
    expect(result.tried.join('\n')).not.toContain(SENTINEL);
  });

  it('still follows a tag that stays inside the root', async () => {
    const result = await locate(finding('outside-bucket', 'storage.tf#aws_s3_bucket.logs'), { name: 'infra', root, iac: 'terraform' });
    expect(result).toMatchObject({ found: true, target: { file: 'storage.tf', address: 'aws_s3_bucket.logs', strategy: 'tag' } });
  });
});

describe('cloudmend run with hostile cloudmend:source tags', () => {
  let world: World | undefined;
  afterEach(() => world?.cleanup());

  it('ends each finding no_target with the refusal, opens no branch, and shows nothing from outside', async () => {
    world = await makeWorld();
    // Snapshots live in the temporary directory, so `../<sibling>` from one reaches `outside`.
    const tags = [
      `../${basename(outside)}/outside.tf#aws_s3_bucket.outside`,
      `foo/../../${basename(outside)}/outside.tf#aws_s3_bucket.outside`,
      `${outside}/outside.tf#aws_s3_bucket.outside`,
      '../../../../../../etc/passwd#x',
      'storage.tf\u0000/../../etc/passwd#aws_s3_bucket.outside',
      `..%2F${basename(outside)}%2Foutside.tf#aws_s3_bucket.outside`,
      `..\\${basename(outside)}\\outside.tf#aws_s3_bucket.outside`,
    ];
    // One resource per tag (each its own finding); none is declared in the repository.
    const findings = tags.map((tag, i) =>
      asffFinding({
        Id: `finding-${i}`,
        Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::outside-bucket-${i}`, Tags: { 'cloudmend:source': tag } }],
      }),
    );
    writeFileSync(join(world.root, 'e.json'), JSON.stringify(importedEvent(findings)));

    const { code, stdout } = await runIn(world, ['e.json'], true);

    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { results: { status: string; reason: string }[] };
    expect(report.results).toHaveLength(tags.length);
    for (const r of report.results) expect(r.status).toBe('no_target');
    const reasons = report.results.map((r) => /tag cloudmend:source=.*?: ([^;]*)/.exec(r.reason)?.[1] ?? r.reason).sort();
    expect(reasons.filter((r) => /leaves the repository root|must be relative|does not exist in the repository/.test(r))).toHaveLength(
      tags.length,
    );
    expect(stdout).not.toContain('SENTINEL');
    expect(readFileSync(join(world.state, 'ledger.db')).includes('SENTINEL')).toBe(false);
    expect((await world.git('branch', '--list', '--format=%(refname:short)')).trim()).toBe('main');
    expect(readFileSync(join(outside, 'outside.tf'), 'utf8')).toBe(OUTSIDE_TF);
  });
});
