/**
 * The state machine definitions in `statemachines/*.asl.json`, with their `${Placeholders}` filled:
 * by CDK's DefinitionSubstitutions in AWS, by `substitute` locally. One file, both worlds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudmendError } from '../errors.js';
import { TASKS } from './tasks.js';

export const STATEMACHINES_DIR = join(import.meta.dirname, '../../statemachines');

export type Workflow = 'remediate';

export function aslText(workflow: Workflow): string {
  return readFileSync(join(STATEMACHINES_DIR, `${workflow}.asl.json`), 'utf8');
}

/** The placeholder of a task's function ARN: `${ClaimFunctionArn}`. */
export function placeholderOf(taskName: string): string {
  return `${taskName}FunctionArn`;
}

/** Fills `${Name}` placeholders; an unknown placeholder is an error, never left in. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z0-9]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new CloudmendError(`state machine placeholder \${${name}} has no value`);
    return value;
  });
}

/** The definition with every task's function ARN from `arnOf`. */
export function definition(workflow: Workflow, arnOf: (taskName: string) => string): Record<string, unknown> {
  const values = Object.fromEntries(TASKS.map((t) => [placeholderOf(t.name), arnOf(t.name)]));
  return JSON.parse(substitute(aslText(workflow), values)) as Record<string, unknown>;
}
