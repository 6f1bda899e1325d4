/**
 * bin/launch.js: the command starts from the bundle in dist/ when it was built from the sources as
 * they are, and from the TypeScript sources through tsx, saying so, when it was not. Checked on a
 * small package laid out like cloudmend's (the real launcher, a stand-in bundle and source), and on
 * the real dist/ where `npm run build` made it (npm ci does).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const { stale } = (await import(pathToFileURL(join(ROOT, 'bin/launch.js')).href)) as {
  stale: (root: string, name: string, source: string) => string | undefined;
};
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const pkg = mkdtempSync(join(tmpdir(), 'cloudmend-launch-'));
afterAll(() => rmSync(pkg, { recursive: true, force: true }));

const BUNDLE = join(pkg, 'dist/cli.js');
const SOURCE = join(pkg, 'src/cli/main.ts');

/** Runs the stand-in command; says which program answered. */
async function run(): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [join(pkg, 'bin/cli.js'), 'hello'], { cwd: tmpdir(), encoding: 'utf8' });
}

/** Sets a file's modification time `seconds` from now. */
const age = (file: string, seconds: number): void => utimesSync(file, new Date(), new Date(Date.now() + seconds * 1000));

beforeEach(() => {
  rmSync(pkg, { recursive: true, force: true });
  for (const dir of ['bin', 'dist', 'src/cli']) mkdirSync(join(pkg, dir), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ type: 'module' }));
  cpSync(join(ROOT, 'bin/launch.js'), join(pkg, 'bin/launch.js'));
  writeFileSync(
    join(pkg, 'bin/cli.js'),
    "import { load } from './launch.js';\nconst { main } = await load('cli', 'src/cli/main.ts');\nmain(process.argv[2]);\n",
  );
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  // Type annotations: only tsx runs it.
  writeFileSync(SOURCE, 'export function main(word: string): void { console.log(`${word} from the sources`); }\n');
  writeFileSync(BUNDLE, 'export function main(word) { console.log(`${word} from the bundle`); }\n');
  writeFileSync(join(pkg, 'dist/sources.json'), JSON.stringify(['src/cli/main.ts']));
  age(SOURCE, -60);
});

describe('bin/launch.js', () => {
  it('runs the bundle built from the sources as they are, silently', async () => {
    expect(stale(pkg, 'cli', 'src/cli/main.ts')).toBeUndefined();
    expect(await run()).toEqual({ stdout: 'hello from the bundle\n', stderr: '' });
  });

  it('runs the sources through tsx, with a one-line notice, when one changed after the build', async () => {
    age(SOURCE, 60);
    const { stdout, stderr } = await run();
    expect(stdout).toBe('hello from the sources\n');
    expect(stderr).toBe(
      'cloudmend: src/cli/main.ts changed after dist/ was built: running the TypeScript sources through tsx (npm run build, to start faster)\n',
    );
  });

  it('finds the bundle stale when a source it was built from is gone, or dist/ is incomplete or missing', () => {
    writeFileSync(join(pkg, 'dist/sources.json'), JSON.stringify(['src/cli/main.ts', 'src/cli/removed.ts']));
    expect(stale(pkg, 'cli', 'src/cli/main.ts')).toBe('src/cli/removed.ts changed after dist/ was built');
    rmSync(join(pkg, 'dist/sources.json'));
    expect(stale(pkg, 'cli', 'src/cli/main.ts')).toBe('dist/ is incomplete');
    rmSync(BUNDLE);
    expect(stale(pkg, 'cli', 'src/cli/main.ts')).toBe('dist/ is not built');
  });

  it('runs the bundle of an installed package, which has no TypeScript, whatever the times', async () => {
    rmSync(SOURCE);
    rmSync(join(pkg, 'dist/sources.json'));
    expect(stale(pkg, 'cli', 'src/cli/main.ts')).toBeUndefined();
    expect(await run()).toEqual({ stdout: 'hello from the bundle\n', stderr: '' });
  });
});

// dist/ is made by npm ci (prepare) and `npm run build`; a checkout whose sources changed since runs them (above).
const notBuilt = stale(ROOT, 'cli', 'src/cli/main.ts');
if (notBuilt !== undefined) console.log(`test/bin/launch.test.ts: the bundle itself is not run: ${notBuilt} (npm run build)`);

describe.runIf(notBuilt === undefined)('the built bundle', () => {
  it('prints the version of package.json, starting from dist/', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin/cli.js'), '--version'], {
      cwd: tmpdir(),
      encoding: 'utf8',
    });
    expect({ stdout, stderr }).toEqual({ stdout: `${VERSION}\n`, stderr: '' });
  });
});
