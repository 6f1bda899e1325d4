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
  | 'outside-contract'
  | 'unparsable'
  | 'parser-disagreement'
  | 'hidden-text'
  | 'removed-resource'
  | 'replacement'
  | 'widened-iam'
  | 'widened-network'
  | 'public-access'
  | 'weakened-encryption'
  | 'weakened-monitoring'
  | 'code-execution'
  | 'external-read'
  | 'backend-or-provider'
  | 'secret-in-diff'
  | 'too-large';

/**
 * Rules whose violations a person may accept: a change that replaces a resource is refused by
 * `cloudmend guard` and needs an approver in the workflow, never passes silently.
 */
export const NEEDS_APPROVAL: ReadonlySet<GuardrailRule> = new Set(['replacement']);

export interface GuardrailViolation {
  readonly rule: GuardrailRule;
  /** The file the violation is in, as the patch names it (printable). */
  readonly file: string;
  /** The line in the file after the patch (before it, for what the patch removes), when known. */
  readonly line?: number | undefined;
  /** `main.tf:12: aws_security_group.web gains ingress from 0.0.0.0/0 on 22-22/tcp`: where, what, for a reviewer. */
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

/**
 * What cloudmend's own patch was written to do: the resource it fixes and the control. With a
 * contract, the patch is held to the allow-list (`contract.ts`) besides every rule family.
 */
export interface PatchContract {
  /** The located resource: a Terraform address or a CloudFormation logical id. */
  readonly address: string;
  /** The Security Hub control the patch answers, for the resource types it may add. */
  readonly controlId?: string | undefined;
  /** More located resources (a work item fixes several in one patch). */
  readonly alsoAddresses?: readonly string[] | undefined;
  /** More controls the patch answers (a work item's findings of several controls on one resource). */
  readonly alsoControlIds?: readonly string[] | undefined;
}

export interface GuardrailInput {
  readonly kind: 'terraform' | 'cloudformation';
  /** Repository-relative files the patch may touch (the located module's files, or the template). */
  readonly allowedFiles: readonly string[];
  /** The whole module/template before and after: every allowed file, changed or not (`before` undefined = new file). */
  readonly files: readonly PatchedFile[];
  /**
   * Size limits, each overriding its default; a limit that is negative or not a number is ignored.
   * @default - `DEFAULT_LIMITS`: 200 changed lines, 64 KiB growth per file, 10 files
   */
  readonly limits?: Partial<GuardrailLimits> | undefined;
  /**
   * cloudmend's own patch: the allow-list applies. Absent for a change by anyone (`cloudmend guard`).
   * @default - the rule families only
   */
  readonly contract?: PatchContract | undefined;
}
