/**
 * The guardrail: a pure policy check that judges every patch, whoever wrote it (a deterministic
 * skill or an LLM agent), before it may become a pull request. It compares the module or template
 * before and after the patch, so what was already there is never the patch's fault, and reports:
 *
 * - `outside-target`: a changed or new file that is not allowed, or a path that is absolute, has
 *   `..` or a NUL byte;
 * - `unparsable`: a file that does not parse after the patch (or that cloudmend cannot read or
 *   judge: a Terraform file that is not `.tf`, YAML aliases and merge keys);
 * - `removed-resource`: a resource gone, a changed `count` / `for_each` / `Condition` that can
 *   destroy instances, a changed CloudFormation `Type`; a weakened `DeletionPolicy` /
 *   `UpdateReplacePolicy`, deletion or termination protection or `prevent_destroy` turned off,
 *   `force_destroy` / `skip_final_snapshot` turned on;
 * - `widened-iam`: an Allow grant not covered before that is wide (public principal, `*` or
 *   `service:*` action, `*` resource, `NotAction` / `NotResource`, privilege escalation,
 *   `iam:PassRole` on any role, an action cloudmend cannot read) or names a principal (account,
 *   role, service, federated), a Deny that no longer holds, a policy cloudmend cannot read; public
 *   ACLs, function URLs and API methods without authorization, attached managed policies, new
 *   principals of Lambda and layer permissions, AMI, snapshot (`all` for public), RAM and KMS
 *   sharing, new credentials, group memberships, changed execution roles and permission boundaries;
 * - `widened-network`: new ingress from a /0 CIDR (or one nearly as wide, or one cloudmend cannot
 *   read) or wider ports on an open rule, public IPs, Elastic IPs, internet-facing load balancers,
 *   public EKS endpoints, `publicly_accessible`, VPC peering, Block Public Access (S3, AMIs, EBS
 *   snapshots) turned off;
 * - `code-execution`: provisioners, `null_resource` / `terraform_data`, external / http data
 *   sources (in `check` blocks too), SSM associations, local files, new modules or modules with a
 *   changed source or version; custom resources, macros, extensions and third-party types, inline
 *   Lambda code, nested stacks, `AWS::CloudFormation::Init`, `Transform`; changed user data,
 *   machine or container images, and function code;
 * - `backend-or-provider`: `terraform {}`, `provider`, `import` and `removed` blocks, the lock
 *   file, `AWSTemplateFormatVersion` and `Transform`;
 * - `secret-in-diff`: an added line holding a credential (AWS keys, private keys, GitHub or Slack
 *   tokens, literal passwords); the message names the file and line, never the credential;
 * - `too-large`: more changed lines, more growth of one file, or more changed files than
 *   `GuardrailInput.limits` allow (`DEFAULT_LIMITS`: 200 lines, 64 KiB, 10 files).
 *
 * Messages and file names are printable: what they quote from the patch cannot move a cursor or
 * reverse the reading order wherever the verdict is shown.
 */
import { backendOrProvider, isLockFile, lockFileChanges } from './backend.js';
import { codeExecution } from './execution.js';
import { violation } from './facts.js';
import { widenedIam } from './iam.js';
import { widenedNetwork } from './network.js';
import { badPath, changed, outsideTarget } from './paths.js';
import { newPayloads } from './payloads.js';
import { weakenedProtection } from './protection.js';
import { removedResources } from './resources.js';
import { secretsInDiff } from './secrets.js';
import { parseSide, type Side } from './side.js';
import { tooLarge } from './size.js';
import type { GuardrailInput, GuardrailRule, GuardrailViolation } from './types.js';

export type { GuardrailInput, GuardrailLimits, GuardrailRule, GuardrailViolation, PatchedFile } from './types.js';
export { DEFAULT_LIMITS, MAX_CHANGED_FILES, MAX_CHANGED_LINES, MAX_FILE_GROWTH_BYTES } from './size.js';

const CHECKS: readonly (readonly [GuardrailRule, (before: Side, after: Side) => GuardrailViolation[]])[] = [
  ['removed-resource', removedResources],
  ['removed-resource', weakenedProtection],
  ['widened-iam', widenedIam],
  ['widened-network', widenedNetwork],
  ['code-execution', codeExecution],
  ['code-execution', newPayloads],
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
  // Judged on the text of every file the patch writes, whether or not it parses or may be written.
  const violations = [...outsideTarget(input), ...lockFileChanges(input), ...tooLarge(input), ...secretsInDiff(input)];
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
