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

  it('runs npm start as the demo', () => {
    expect(PACKAGE.scripts.start).toBe('node bin/cli.js demo');
  });

  it('shows the summary line that explain really prints for the examples', async () => {
    const shown = /readme-explain-summary[^\n]*\n```\n([^\n]+)\n```/.exec(README)?.[1];
    const argv = ['explain', 'examples/events', '--config', 'examples/cloudmend.config.yaml'];
    let stdout = '';
    await main(argv, { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: ROOT, env: {} });
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(shown);
  });
});
