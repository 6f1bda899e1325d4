/**
 * One case of the adversarial corpus: a whole module or template before and after a patch an attacker
 * wrote, and the verdict the guardrail must reach on it. Written against the guardrail's specification
 * (issue 13), not against its code: what a case expects is what the rule families promise.
 */

/** The rule family a case attacks (or, for `safe`, must not trip). */
export type Family =
  | 'deletion'
  | 'replacement'
  | 'iam'
  | 'network'
  | 'public-access'
  | 'encryption'
  | 'monitoring'
  | 'code-execution'
  | 'external-read'
  | 'secrets'
  | 'backend-provider'
  | 'canonical-text'
  | 'parser-agreement'
  | 'yaml-1.1'
  | 'evaluation'
  | 'contract'
  | 'safe';

export interface CaseFile {
  readonly path: string;
  /** Undefined: the patch creates the file. */
  readonly before?: string;
  readonly after: string;
}

/** Where the real tool sees what a smuggle hides: a file and a key path into its parsed form. */
export interface Hidden {
  readonly path: string;
  /**
   * Keys from the root of what HashiCorp's parser (hcl2json) returns for a Terraform file, or of the
   * template as CloudFormation reads it (YAML 1.1, every YAML line break honoured) for a template.
   */
  readonly at: readonly string[];
  /** The value the real tool reads there, when the smuggle changes a key that was already present. */
  readonly value?: unknown;
}

export interface AdversarialCase {
  /** Unique, kebab-case, says the trick. */
  readonly id: string;
  readonly family: Family;
  readonly kind: 'terraform' | 'cloudformation';
  /** The whole module or template, every file before and after (before undefined: a new file). */
  readonly files: readonly CaseFile[];
  /**
   * Judged as cloudmend's own patch for this located resource (the contract applies); absent: as `cloudmend guard`.
   * `address` is a Terraform resource address or a CloudFormation logical id.
   */
  readonly target?: { readonly address: string; readonly controlId?: string };
  /** Expected verdicts: guard = rule families only; patch = as cloudmend's own patch (only when `target` is set). */
  readonly expect: { readonly guard: 'refuse' | 'pass'; readonly patch?: 'refuse' | 'pass' | 'approval' };
  /** One sentence: what the attacker wants and why it must be caught. */
  readonly why: string;
  /** A smuggle: the block or key the real tool sees and a naive reader does not (absent before the patch). */
  readonly hidden?: Hidden;
  /** The case is about text that does not parse: the runner asserts that it does not. */
  readonly unparsable?: true;
}

/** A case without its kind and files, which the fixtures' builders fill in. */
export type CaseHead = Omit<AdversarialCase, 'kind' | 'files'>;

/** `text` with each `[from, to]` applied once, failing loudly when `from` is missing or ambiguous (a stale fixture). */
export function edit(text: string, ...changes: readonly (readonly [string, string])[]): string {
  return changes.reduce((current, [from, to]) => {
    const at = current.indexOf(from);
    if (at < 0) throw new Error(`fixture does not contain ${JSON.stringify(from)}`);
    if (current.indexOf(from, at + 1) >= 0) throw new Error(`fixture contains ${JSON.stringify(from)} more than once`);
    return `${current.slice(0, at)}${to}${current.slice(at + from.length)}`;
  }, text);
}

/** What a patch does to one file: new contents, or an edit of the old ones. */
export type Change = string | ((before: string) => string);

/**
 * Every file of `base` (unchanged unless `changes` names it) followed by the files `changes` creates, so a
 * case always carries the whole module or template, as the guardrail receives it.
 */
export function patched(base: Readonly<Record<string, string>>, changes: Readonly<Record<string, Change>>): CaseFile[] {
  const after = (path: string, before: string | undefined): string => {
    const change = changes[path];
    if (change === undefined) return before ?? '';
    if (typeof change === 'string') return change;
    if (before === undefined) throw new Error(`${path} is new: give its contents, not an edit`);
    return change(before);
  };
  const existing = Object.entries(base).map(([path, before]) => ({ path, before, after: after(path, before) }));
  const created = Object.keys(changes)
    .filter((path) => !(path in base))
    .map((path) => ({ path, after: after(path, undefined) }));
  return [...existing, ...created];
}

/**
 * A change appending `block` after a blank line; in a template whose last section is `Outputs`,
 * before it, so that a resource lands under `Resources`.
 */
export function appended(block: string): (before: string) => string {
  return (before) => {
    const outputs = before.indexOf('\nOutputs:');
    return outputs >= 0 && /^\s{2}\w+:\n\s{4}Type: /.test(block)
      ? `${before.slice(0, outputs)}\n${block}${before.slice(outputs)}`
      : `${before}\n${block}`;
  };
}

/** An edit of one file, for `patched`. */
export function editing(...changes: readonly (readonly [string, string])[]): (before: string) => string {
  return (before) => edit(before, ...changes);
}
