/**
 * The guardrail: a pure policy check that judges every patch, whoever wrote it (a deterministic
 * skill or an LLM agent), before it may become a pull request. It compares the module or template
 * before and after the patch, so what was already there is never the patch's fault, and reports:
 *
 * - `outside-target`: a changed or new file that is not allowed, or a path that is absolute, has
 *   `..` or a NUL byte;
 * - `unparsable`: a file that does not parse after the patch (or that cloudmend cannot read);
 * - `removed-resource`: a resource gone, a changed `count` / `for_each` / `Condition` that can
 *   destroy instances, a changed CloudFormation `Type`;
 * - `widened-iam`: a wide Allow grant (public principal, `*` or `service:*` action, `*` resource)
 *   not covered before, a Deny that no longer holds, public ACLs, public Lambda access, full-access
 *   managed policies;
 * - `widened-network`: new ingress from a /0 CIDR or wider ports on an open rule, public IPs or
 *   `publicly_accessible` turned on, Block Public Access turned off;
 * - `code-execution`: provisioners, external / http data sources, modules from outside the
 *   registry or with a changed source, custom resources, macros, inline Lambda code, `Transform`;
 * - `backend-or-provider`: `terraform {}` and `provider` blocks, the lock file,
 *   `AWSTemplateFormatVersion` and `Transform`.
 */
import { backendOrProvider, isLockFile, lockFileChanges } from './backend.js';
import { codeExecution } from './execution.js';
import { violation } from './facts.js';
import { widenedIam } from './iam.js';
import { widenedNetwork } from './network.js';
import { badPath, changed, outsideTarget } from './paths.js';
import { removedResources } from './resources.js';
import { parseSide, type Side } from './side.js';
import type { GuardrailInput, GuardrailRule, GuardrailViolation } from './types.js';

export type { GuardrailInput, GuardrailRule, GuardrailViolation, PatchedFile } from './types.js';

const CHECKS: readonly (readonly [GuardrailRule, (before: Side, after: Side) => GuardrailViolation[]])[] = [
  ['removed-resource', removedResources],
  ['widened-iam', widenedIam],
  ['widened-network', widenedNetwork],
  ['code-execution', codeExecution],
  ['backend-or-provider', backendOrProvider],
];

function unique(violations: readonly GuardrailViolation[]): GuardrailViolation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.rule}\u0000${v.file}\u0000${v.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Every violation of the guardrail, empty when the patch may proceed. Never throws on bad input: unparsable output is a violation. */
export async function checkPatch(input: GuardrailInput): Promise<GuardrailViolation[]> {
  const allowed = new Set(input.allowedFiles);
  const violations = [...outsideTarget(input), ...lockFileChanges(input)];
  const target = input.files.filter((f) => allowed.has(f.path) && badPath(f.path) === undefined);
  // cloudmend reads Terraform from `.tf` files only: a change elsewhere in a module cannot be judged.
  const readable = input.kind === 'terraform' ? target.filter((f) => f.path.endsWith('.tf')) : target;
  for (const f of target) {
    if (!readable.includes(f) && !isLockFile(f.path) && changed(f)) violations.push(violation('unparsable', f.path, 'changed, but cloudmend reads only the .tf files of a Terraform module and cannot judge it'));
  }
  const after = await parseSide(input.kind, readable.map((f) => ({ path: f.path, text: f.after })));
  if (after.failures.length > 0) {
    const unchanged = new Set(readable.filter((f) => !changed(f)).map((f) => f.path));
    const note = (path: string): string => (unchanged.has(path) ? ' (the patch leaves it unchanged, but the module cannot be judged without it)' : '');
    return unique([...violations, ...after.failures.map((f) => violation('unparsable', f.path, `does not parse after the patch: ${f.message}${note(f.path)}`))]);
  }
  // A file that did not parse before contributes nothing: everything in it counts as the patch's.
  const before = await parseSide(input.kind, readable.flatMap((f) => (f.before === undefined ? [] : [{ path: f.path, text: f.before }])));
  for (const [rule, check] of CHECKS) {
    try {
      violations.push(...check(before.side, after.side));
    } catch (error) {
      // Fail closed: a patch the guardrail could not finish judging does not proceed.
      const file = readable.find(changed)?.path ?? '';
      violations.push(violation('unparsable', file, `the ${rule} check could not read the patch (${error instanceof Error ? error.message : String(error)}), so it cannot be judged`));
    }
  }
  return unique(violations);
}
