/** sandbox/Dockerfile as instructions per build stage, for checks that need no Docker daemon. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/project.js';

export interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** The stages in order, each its `FROM` line's arguments and its instructions (comments and continuations folded). */
export function dockerfileStages(path = join(PROJECT_ROOT, 'sandbox/Dockerfile')): { from: string; instructions: Instruction[] }[] {
  const lines = readFileSync(path, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: { from: string; instructions: Instruction[] }[] = [];
  for (const line of lines) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') stages.push({ from: args, instructions: [] });
    else stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

/** The paths a stage's `VOLUME` instructions declare, JSON or plain form. */
export function volumes(instructions: readonly Instruction[]): string[] {
  return instructions
    .filter((i) => i.op === 'VOLUME')
    .flatMap((i) => (i.args.startsWith('[') ? (JSON.parse(i.args) as string[]) : i.args.split(/\s+/)));
}
