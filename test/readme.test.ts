import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';

const ROOT = join(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('README', () => {
  it('starts with the two commands a newcomer runs', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
    expect(block).toMatch(/^npm ci && npm start\b.*\nnpm ci && npm test\b/);
  });

  it('shows the summary line that npm start really prints', async () => {
    const shown = /readme-demo-summary[^\n]*\n```\n([^\n]+)\n```/.exec(README)?.[1];
    const argv = PACKAGE.scripts.start?.replace(/^node bin\/cli\.js /, '').split(' ') ?? [];
    let stdout = '';
    await main(argv, { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: ROOT, env: {} });
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(shown);
  });
});
