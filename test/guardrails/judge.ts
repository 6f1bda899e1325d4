/** Table rows for the guardrail: one file before and after a patch, and the verdict expected. */
import { expect } from 'vitest';
import { checkPatch, type GuardrailRule, type GuardrailViolation } from '../../src/guardrails/index.js';

export interface Row {
  readonly name: string;
  readonly kind: 'terraform' | 'cloudformation';
  /** Defaults to `main.tf`, `template.yaml` or `template.json` (when `after` starts with `{`). */
  readonly path?: string;
  readonly before: string | undefined;
  readonly after: string;
  /** Each violation expected, in order: its rule and a fragment of its message. */
  readonly expected: readonly (readonly [GuardrailRule, string])[];
}

export function pathOf(row: Pick<Row, 'kind' | 'path' | 'after'>): string {
  return row.path ?? (row.kind === 'terraform' ? 'main.tf' : /^\s*\{/.test(row.after) ? 'template.json' : 'template.yaml');
}

/** The verdict on a patch of one allowed file. */
export function judge(row: Omit<Row, 'name' | 'expected'>): Promise<GuardrailViolation[]> {
  const path = pathOf(row);
  return checkPatch({ kind: row.kind, allowedFiles: [path], files: [{ path, before: row.before, after: row.after }] });
}

/** Asserts exactly the expected violations, each message naming its file first. */
export async function expectVerdict(row: Row): Promise<void> {
  const violations = await judge(row);
  expect(
    violations.map((v) => v.rule),
    JSON.stringify(violations, null, 2),
  ).toEqual(row.expected.map(([rule]) => rule));
  violations.forEach((v, i) => {
    // Fragments may name the file without the line: `main.tf: ...` matches `main.tf:12: ...`.
    expect(unplaced(v)).toContain(row.expected[i]?.[1] ?? '');
    expectPlaced(v);
  });
}

/** `text` with `from` replaced by `to`, failing loudly when `from` is not there (a stale fixture). */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture does not contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** A violation's message starts with its file, and its line when it has one: `main.tf:12: ...`. */
export function expectPlaced(v: GuardrailViolation): void {
  expect(v.message.startsWith(v.line === undefined ? `${v.file}: ` : `${v.file}:${v.line}: `), v.message).toBe(true);
}

/** The message with its line left out: `main.tf:12: x` → `main.tf: x`. */
export function unplaced(v: GuardrailViolation): string {
  return v.line === undefined ? v.message : v.message.replace(`${v.file}:${v.line}: `, `${v.file}: `);
}
