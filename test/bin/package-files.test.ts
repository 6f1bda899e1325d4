/**
 * What `npm pack` puts in the package (package.json `files`) is what the installed command reads at
 * run time, found beside the modules that read it (scripts/build-cli.ts keeps their places), and no
 * tests or TypeScript sources. `npm run check:install` proves the same by installing the tarball.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXTERNAL } from '../../scripts/build-cli.js';
import { STATIC_DIR } from '../../src/console/assets.js';
import { REPLACEMENT_TABLE_FILES } from '../../src/iac/replacement/index.js';
import { EXAMPLES_DIR } from '../../src/local/demo.js';
import { STATEMACHINES_DIR } from '../../src/workflow/asl.js';

const ROOT = join(import.meta.dirname, '../..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};

/** Every file under `dir`, relative to the package root, but .gitignore files, which npm never packs (the demo needs none). */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name !== '.gitignore')
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));

describe('the dependencies', () => {
  it('hold every package the bundle leaves to node_modules, and none that only a checkout can install', () => {
    expect(Object.keys(PACKAGE.dependencies)).toEqual(expect.arrayContaining(EXTERNAL));
    // npm resolves a file: dependency of an installed package inside it before it is unpacked, and fails:
    // vendored packages are devDependencies, inlined by the build (vendor/README.md).
    expect(Object.entries(PACKAGE.dependencies).filter(([, spec]) => spec.startsWith('file:'))).toEqual([]);
  });
});

describe('the package', () => {
  it('holds the launcher, the bundle and the data the command reads, and no tests or TypeScript', async () => {
    const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const packed = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];

    expect(packed).toEqual(
      expect.arrayContaining([
        ...Object.values(PACKAGE.bin),
        'bin/launch.js',
        'bin/sandbox.js',
        ...filesUnder(STATEMACHINES_DIR),
        ...filesUnder(EXAMPLES_DIR),
        ...filesUnder(STATIC_DIR),
        ...Object.values(REPLACEMENT_TABLE_FILES).map((name) => `src/iac/replacement/${name}`),
        // Made by `prepare` (which `npm pack` runs first); here where it was built.
        ...(existsSync(join(ROOT, 'dist')) ? filesUnder(join(ROOT, 'dist')) : []),
      ]),
    );
    expect(packed.filter((path) => path.startsWith('test/') || (path.endsWith('.ts') && !path.startsWith('examples/')))).toEqual([]);
  });
});
