/**
 * The guardrail: a pure policy check that judges every patch, whoever wrote it (a deterministic
 * skill, a model, a person, another tool), before it may become a pull request. It reads both
 * sides of the patch as the real tools read them (HashiCorp's parser for Terraform, only where
 * cloudmend's own reading agrees with it; YAML 1.1 scalars for CloudFormation), evaluates values
 * (variables and parameters by their defaults, locals, functions, conditions), and compares the two
 * sides, so what was already there is never the patch's fault. What it cannot read or evaluate is
 * refused, never taken as safe. Rules:
 *
 * - `outside-target`: a changed or new file that is not allowed, or a path that is absolute, has
 *   `..` or a NUL byte;
 * - `unparsable`: a file that does not parse after the patch, or that cloudmend cannot judge (a
 *   Terraform file other than `.tf` and auto-loaded variable files, YAML aliases and merge keys);
 * - `parser-disagreement`: a Terraform file that cloudmend's reader and HashiCorp's read differently;
 * - `hidden-text`: an added line with a control or format character (`hidden-text.ts`);
 * - `outside-contract`: cloudmend's own patch doing more than its contract allows (`contract.ts`);
 * - `removed-resource` (`deletion.ts`), `replacement` (`replacement.ts`), `widened-iam` (`iam.ts`,
 *   `shares.ts`), `widened-network` (`network.ts`), `public-access` (`public-access.ts`),
 *   `weakened-encryption` (`encryption.ts`), `weakened-monitoring` (`monitoring.ts`: audit
 *   trails, Config recording, GuardDuty), `code-execution` (`execution.ts`), `external-read`
 *   (`external.ts`), `backend-or-provider` (`backend.ts`), `secret-in-diff` (`secrets.ts`);
 * - `too-large`: more changed lines, growth or files than `GuardrailInput.limits` allow.
 *
 * `replacement` alone is for a person to accept (`NEEDS_APPROVAL`); every other rule refuses.
 * Messages name the file and line, and are printable: what they quote cannot move a cursor or
 * reverse the reading order wherever the verdict is shown.
 */
import { backendOrProvider, isLockFile, lockFileChanges } from './backend.js';
import { contractViolations } from './contract.js';
import { removedResources } from './deletion.js';
import { weakenedEncryption } from './encryption.js';
import { codeExecution } from './execution.js';
import { externalReads } from './external.js';
import { violation } from './facts.js';
import { hiddenText } from './hidden-text.js';
import { widenedIam } from './iam.js';
import { weakenedMonitoring } from './monitoring.js';
import { widenedNetwork } from './network.js';
import { badPath, changed, outsideTarget } from './paths.js';
import { publicAccess } from './public-access.js';
import { replacements } from './replacement.js';
import { secretsInDiff, secretsInValues } from './secrets.js';
import { readSide, type ParseFailure, type Side } from './side.js';
import { tooLarge } from './size.js';
import type { GuardrailInput, GuardrailRule, GuardrailViolation } from './types.js';
import { isAutoVars } from '../iac/terraform/config.js';

export type { GuardrailInput, GuardrailLimits, GuardrailRule, GuardrailViolation, PatchContract, PatchedFile } from './types.js';
export { NEEDS_APPROVAL } from './types.js';
// The CDK judge (src/guardrails/cdk.ts) loads the TypeScript compiler: it is imported where a CDK patch is judged, not with every rule.
export { DEFAULT_LIMITS, MAX_CHANGED_FILES, MAX_CHANGED_LINES, MAX_FILE_GROWTH_BYTES } from './size.js';

const FAMILIES: readonly (readonly [GuardrailRule, (before: Side, after: Side) => GuardrailViolation[]])[] = [
  ['removed-resource', removedResources],
  ['replacement', replacements],
  ['widened-iam', widenedIam],
  ['widened-network', widenedNetwork],
  ['public-access', publicAccess],
  ['weakened-encryption', weakenedEncryption],
  ['weakened-monitoring', weakenedMonitoring],
  ['code-execution', codeExecution],
  ['external-read', externalReads],
  ['backend-or-provider', backendOrProvider],
  ['secret-in-diff', secretsInValues],
];

function unique(violations: readonly GuardrailViolation[]): GuardrailViolation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.rule}\u0000${v.file}\u0000${v.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Files cloudmend reads as part of a module or template. */
/** `override.tf`, `main_override.tf` and their JSON forms: what Terraform loads last and merges. */
function isOverrideFile(path: string): boolean {
  return /^(?:.*_)?override\.tf(?:\.json)?$/.test(path.slice(path.lastIndexOf('/') + 1));
}

function readable(kind: GuardrailInput['kind'], path: string): boolean {
  return kind === 'cloudformation' || path.endsWith('.tf') || isAutoVars(path);
}

/** Every violation of the guardrail, empty when the patch may proceed. Never throws on bad input: unparsable output is a violation. */
export async function checkPatch(input: GuardrailInput): Promise<GuardrailViolation[]> {
  const allowed = new Set(input.allowedFiles);
  // Judged on the text of every file the patch writes, whether or not it parses or may be written.
  const violations = [
    ...outsideTarget(input),
    ...lockFileChanges(input),
    ...tooLarge(input),
    ...hiddenText(input),
    ...secretsInDiff(input),
  ];
  const target = input.files.filter((f) => allowed.has(f.path) && badPath(f.path) === undefined);
  // Terraform merges an override file into the blocks it names, argument by argument and block by
  // block; the rules judge declarations as written, so a module with one cannot be judged.
  const overrides =
    input.kind === 'terraform' ? target.filter((f) => isOverrideFile(f.path) && (f.before !== undefined || f.after !== '')) : [];
  if (overrides.length > 0) {
    return unique([
      ...violations,
      ...overrides.map((f) =>
        violation(
          'unparsable',
          f.path,
          `is a Terraform override file, which Terraform merges into the module's other declarations; cloudmend does not judge a module that has one (${changed(f) ? 'the patch writes it' : 'the patch leaves it unchanged'})`,
        ),
      ),
    ]);
  }
  const read = target.filter((f) => readable(input.kind, f.path));
  for (const f of target) {
    if (!read.includes(f) && !isLockFile(f.path) && changed(f))
      violations.push(
        violation(
          'unparsable',
          f.path,
          `changed, but cloudmend reads only the .tf and auto-loaded .tfvars files of a Terraform module and cannot judge it`,
        ),
      );
  }
  const after = await readSide(
    input.kind,
    read.map((f) => ({ path: f.path, text: f.after })),
  );
  if (after.failures.length > 0) {
    const unchanged = new Set(read.filter((f) => !changed(f)).map((f) => f.path));
    const note = (path: string): string =>
      unchanged.has(path) ? ' (the patch leaves it unchanged, but the module cannot be judged without it)' : '';
    const said = (f: ParseFailure): string =>
      f.disagreement
        ? `${f.message}${note(f.path)}`
        : f.invalidModule
          ? `after the patch, ${f.message}`
          : `does not parse after the patch: ${f.message}${note(f.path)}`;
    const failed = after.failures.map((f) => violation(f.disagreement ? 'parser-disagreement' : 'unparsable', f.path, said(f)));
    return unique([...violations, ...failed]);
  }
  // A file that could not be read before contributes nothing: everything in it counts as the patch's.
  const before = await readSide(
    input.kind,
    read.flatMap((f) => (f.before === undefined ? [] : [{ path: f.path, text: f.before }])),
  );
  const checks = input.contract
    ? [...FAMILIES, ['outside-contract', (b: Side, a: Side) => contractViolations(b, a, input.contract!)] as const]
    : FAMILIES;
  for (const [rule, check] of checks) {
    try {
      violations.push(...check(before.side, after.side));
    } catch (error) {
      // Fail closed: a patch the guardrail could not finish judging does not proceed.
      const file = read.find(changed)?.path ?? '';
      violations.push(
        violation(
          'unparsable',
          file,
          `the ${rule} check could not finish (${error instanceof Error ? error.message : String(error)}), so the patch cannot be judged`,
        ),
      );
    }
  }
  return unique(violations);
}
