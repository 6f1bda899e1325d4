/**
 * The state machine definitions in `statemachines/*.asl.json`, with their `${Placeholders}` filled:
 * by CDK's DefinitionSubstitutions in AWS, by `substitute` locally. One file, both worlds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudmendError } from '../errors.js';
import { TASKS, type TaskSpec } from './tasks.js';

export const STATEMACHINES_DIR = join(import.meta.dirname, '../../statemachines');

export type Workflow = 'remediate' | 'drift-scan';

export function aslText(workflow: Workflow): string {
  return readFileSync(join(STATEMACHINES_DIR, `${workflow}.asl.json`), 'utf8');
}

/** The placeholder of a task's function ARN: `${ClaimFunctionArn}`. */
export function placeholderOf(taskName: string): string {
  return `${taskName}FunctionArn`;
}

/** What fills a task's placeholders: a function ARN, or the sandbox's cluster and task definition. */
export type PlaceholderKind = 'function' | 'cluster' | 'taskDefinition';

/** Every placeholder the ASL holds, from the task table: `[placeholder, task, kind]`. */
export function placeholders(): [string, TaskSpec, PlaceholderKind][] {
  return TASKS.flatMap((t): [string, TaskSpec, PlaceholderKind][] =>
    t.sandbox
      ? [
          [`${t.name}ClusterArn`, t, 'cluster'],
          [`${t.name}TaskDefinitionArn`, t, 'taskDefinition'],
        ]
      : [[placeholderOf(t.name), t, 'function']],
  );
}

/** Fills `${Name}` placeholders; an unknown placeholder is an error, never left in. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z0-9]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new CloudmendError(`state machine placeholder \${${name}} has no value`);
    return value;
  });
}

/** The role the drift scan assumes in each scanned account; one name, so its ARN is built from the account id. */
export const DRIFT_SCAN_ROLE_NAME = 'cloudmend-drift-scan';

/**
 * The drift scan's definition, publishing to `eventBusName` and assuming `roleArn` (an ARN with `{}`
 * where the scanned account's id goes) in each account.
 */
export function driftScanDefinition(
  eventBusName: string,
  roleArn = `arn:aws:iam::{}:role/${DRIFT_SCAN_ROLE_NAME}`,
): Record<string, unknown> {
  return JSON.parse(substitute(aslText('drift-scan'), { EventBusName: eventBusName, DriftScanRoleArn: roleArn })) as Record<
    string,
    unknown
  >;
}

/** The definition with every placeholder filled by `arnOf`. */
export function definition(workflow: Workflow, arnOf: (taskName: string, kind: PlaceholderKind) => string): Record<string, unknown> {
  const values = Object.fromEntries(placeholders().map(([placeholder, t, kind]) => [placeholder, arnOf(t.name, kind)]));
  return JSON.parse(substitute(aslText(workflow), values)) as Record<string, unknown>;
}
