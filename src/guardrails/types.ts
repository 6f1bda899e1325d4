/** The guardrail's input and verdict, shared by the checks of each rule. */

/** One file of the module or template, before and after the patch. */
export interface PatchedFile {
  /** Repository-relative path with forward slashes. */
  readonly path: string;
  /** Undefined for a file the patch creates. */
  readonly before: string | undefined;
  readonly after: string;
}

/** What a violation breaks; each rule is described on `checkPatch`. */
export type GuardrailRule =
  | 'outside-target'
  | 'removed-resource'
  | 'widened-iam'
  | 'widened-network'
  | 'code-execution'
  | 'backend-or-provider'
  | 'unparsable'
  | 'secret-in-diff'
  | 'too-large';

export interface GuardrailViolation {
  readonly rule: GuardrailRule;
  /** The file the violation is in, as the patch names it. */
  readonly file: string;
  /** `main.tf: aws_security_group.web gains ingress from 0.0.0.0/0 on 22-22/tcp`: what, where, for a reviewer. */
  readonly message: string;
}

/** How big a patch may be before the guardrail refuses it as `too-large`. */
export interface GuardrailLimits {
  /**
   * Lines the patch may add and remove, over all files (a changed line counts twice, as in `git diff --stat`).
   * @default 200 (`MAX_CHANGED_LINES`)
   */
  readonly maxChangedLines: number;
  /**
   * Bytes (UTF-8) by which one file may grow.
   * @default 65536 (`MAX_FILE_GROWTH_BYTES`)
   */
  readonly maxFileGrowthBytes: number;
  /**
   * Files the patch may change or create.
   * @default 10 (`MAX_CHANGED_FILES`)
   */
  readonly maxChangedFiles: number;
}

export interface GuardrailInput {
  readonly kind: 'terraform' | 'cloudformation';
  /** Repository-relative files the patch may touch (the located module's .tf files, or the template). */
  readonly allowedFiles: readonly string[];
  /** The whole module/template before and after: every allowed file, changed or not (`before` undefined = new file). */
  readonly files: readonly PatchedFile[];
  /**
   * Size limits, each overriding its default; a limit that is negative or not a number is ignored.
   * @default - `DEFAULT_LIMITS`: 200 changed lines, 64 KiB growth per file, 10 files
   */
  readonly limits?: Partial<GuardrailLimits> | undefined;
}
