/**
 * The Lambda entries against the task table: one entry per task, running that task's function,
 * given exactly the ports the table declares (which are also the permissions the stack grants).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entryOf } from '../../lib/workflow.js';
import { PROJECT_ROOT } from '../../lib/project.js';
import { TASKS } from '../../src/workflow/tasks.js';

const dir = join(PROJECT_ROOT, 'functions');
const source = (entry: string): string => readFileSync(join(dir, `${entry}.ts`), 'utf8');

describe('functions/', () => {
  const lambdaTasks = TASKS.filter((t) => !t.sandbox);

  it.each(lambdaTasks.map((t) => [t.name, t] as const))('%s has an entry that runs its task with its declared ports', (name, spec) => {
    const text = source(entryOf(name));
    const call = /taskHandler\('(\w+)', (\w+), awsTaskContext\(\{ ([\w, ]*) \}\)\)/.exec(text);
    expect(call?.[1]).toBe(name);
    expect(text).toMatch(new RegExp(`import \\{ ${call?.[2]} \\} from '../src/workflow/tasks/${entryOf(name)}.js'`));
    expect((call?.[3] ?? '').split(', ').sort()).toEqual([...spec.ports].sort());
  });

  it('holds the task entries and the five operations entries, nothing else', () => {
    const entries = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .sort();
    expect(entries).toEqual(
      [...lambdaTasks.map((t) => entryOf(t.name)), 'approval-expiry', 'backfill', 'batch-findings', 'slack-interactions', 'sweep'].sort(),
    );
  });

  it('loads each adapter only through the ports folder, so a bundle holds what its task uses', () => {
    for (const spec of lambdaTasks) expect(source(entryOf(spec.name))).not.toMatch(/@aws-sdk|@octokit|@slack/);
  });
});
