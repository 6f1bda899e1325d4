import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISOLATED } from '../vitest.config.js';

const ROOT = join(import.meta.dirname, '..');

describe('the test run', () => {
  it('gives every test file that replaces a module (vi.mock) a module registry of its own', () => {
    const files = readdirSync(join(ROOT, 'test'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) =>
        relative(ROOT, join(ROOT, 'test', f))
          .split('\\')
          .join('/'),
      );
    // `vi.mock` is hoisted into a file's imports: in a worker that already imported the module, it would not apply.
    const mocking = files.filter((f) => /\bvi\.(mock|doMock)\(/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(mocking.sort()).toEqual([...ISOLATED].sort());
  });
});
