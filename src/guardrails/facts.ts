/**
 * Most rules compare sets of facts: each side of the patch is reduced to facts ("this group admits
 * 0.0.0.0/0 on 22/tcp", "this resource has a local-exec provisioner"), and a fact the after side
 * has that the before side lacks is the patch's doing.
 */
import { printable } from '../printable.js';
import type { GuardrailRule, GuardrailViolation } from './types.js';

/** Where a fact is: the resource (or setting) it belongs to, by a key that is the same before and after. */
export interface Holder {
  readonly key: string;
  /** The address, logical id or setting name, for messages. */
  readonly id: string;
  readonly file: string;
  readonly line?: number | undefined;
}

export interface Fact {
  readonly holder: Holder;
  /** What the fact is, unique within its holder. */
  readonly key: string;
  /** The sentence after `<file>:<line>: ` in the violation. */
  readonly message: string;
  /** Its own line, when more precise than the holder's. */
  readonly line?: number | undefined;
}

/**
 * A violation whose message starts with the file and line, as reviewers read them. Both are
 * printable: what they quote from the patch cannot move a cursor or reverse the reading order.
 */
export function violation(rule: GuardrailRule, file: string, message: string, line?: number): GuardrailViolation {
  const shown = printable(file);
  return { rule, file: shown, line, message: `${shown}${line === undefined ? '' : `:${line}`}: ${printable(message)}` };
}

/** One violation per fact of `after` that `before` does not have. */
export function added(rule: GuardrailRule, before: readonly Fact[], after: readonly Fact[]): GuardrailViolation[] {
  const id = (f: Fact): string => `${f.holder.key}\u0000${f.key}`;
  const seen = new Set(before.map(id));
  return after.flatMap((f) => {
    if (seen.has(id(f))) return [];
    seen.add(id(f));
    return [violation(rule, f.holder.file, f.message, f.line ?? f.holder.line)];
  });
}
