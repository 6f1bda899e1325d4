/** One problem a validator reported. */
export interface Problem {
  /** Where and what, without line numbers, so that the same problem before and after a fix compares equal. */
  readonly key: string;
  readonly message: string;
}

/** What a validator said about one version of the code. */
export interface ValidatorResult {
  readonly tool: 'terraform-validate' | 'cfn-lint';
  /** `skipped`: the tool is absent or could not run here (the detail says why). */
  readonly status: 'passed' | 'failed' | 'skipped';
  readonly problems: readonly Problem[];
  readonly detail: string;
  /** Module calls terraform was not run on because their source is not a local path (see module-sources.ts). */
  readonly refused?: readonly string[] | undefined;
}

export interface Validator {
  readonly tool: ValidatorResult['tool'];
  validate(files: readonly { readonly path: string; readonly text: string }[]): Promise<ValidatorResult>;
}

/** A validator that always skips, for a tool that is off or absent, with the reason. */
export function skippingValidator(tool: ValidatorResult['tool'], reason: string): Validator {
  return { tool, validate: () => Promise.resolve({ tool, status: 'skipped', problems: [], detail: reason }) };
}
