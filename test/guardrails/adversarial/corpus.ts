/**
 * The adversarial corpus of issue 13: hostile (and safe) patches written as an attacker would write them,
 * against the guardrail's specification, to be judged by `checkPatch` as `cloudmend guard` and, where a
 * case names a located target, as cloudmend's own patch under the change contract.
 */
import type { GuardrailInput } from '../../../src/guardrails/index.js';
import type { AdversarialCase } from './case.js';
import { CLOUDFORMATION_CONTRACT_CASES } from './cases-cloudformation-contract.js';
import { CLOUDFORMATION_EVALUATION_CASES } from './cases-cloudformation-evaluation.js';
import { CLOUDFORMATION_EXECUTION_CASES } from './cases-cloudformation-execution.js';
import { CLOUDFORMATION_EXPOSURE_CASES } from './cases-cloudformation-exposure.js';
import { CLOUDFORMATION_IAM_CASES } from './cases-cloudformation-iam.js';
import { CLOUDFORMATION_LIFECYCLE_CASES } from './cases-cloudformation-lifecycle.js';
import { CLOUDFORMATION_SAFE_CASES } from './cases-cloudformation-safe.js';
import { CLOUDFORMATION_TARGETED_CASES } from './cases-cloudformation-targeted.js';
import { CLOUDFORMATION_YAML_CASES } from './cases-cloudformation-yaml.js';
import { MONITORING_CASES } from './cases-monitoring.js';
import { TERRAFORM_CONTRACT_CASES } from './cases-terraform-contract.js';
import { TERRAFORM_EVALUATION_CASES } from './cases-terraform-evaluation.js';
import { TERRAFORM_EXECUTION_CASES } from './cases-terraform-execution.js';
import { TERRAFORM_EXPOSURE_CASES } from './cases-terraform-exposure.js';
import { TERRAFORM_IAM_CASES } from './cases-terraform-iam.js';
import { TERRAFORM_LIFECYCLE_CASES } from './cases-terraform-lifecycle.js';
import { TERRAFORM_SAFE_CASES } from './cases-terraform-safe.js';
import { TERRAFORM_TARGETED_CASES } from './cases-terraform-targeted.js';
import { TERRAFORM_SMUGGLING_CASES } from './cases-terraform-smuggling.js';

export type { AdversarialCase, Family } from './case.js';

export const CORPUS: readonly AdversarialCase[] = [
  ...TERRAFORM_LIFECYCLE_CASES,
  ...TERRAFORM_IAM_CASES,
  ...TERRAFORM_EXPOSURE_CASES,
  ...TERRAFORM_EXECUTION_CASES,
  ...TERRAFORM_SMUGGLING_CASES,
  ...TERRAFORM_EVALUATION_CASES,
  ...TERRAFORM_CONTRACT_CASES,
  ...TERRAFORM_SAFE_CASES,
  ...TERRAFORM_TARGETED_CASES,
  ...MONITORING_CASES,
  ...CLOUDFORMATION_LIFECYCLE_CASES,
  ...CLOUDFORMATION_IAM_CASES,
  ...CLOUDFORMATION_EXPOSURE_CASES,
  ...CLOUDFORMATION_EXECUTION_CASES,
  ...CLOUDFORMATION_YAML_CASES,
  ...CLOUDFORMATION_EVALUATION_CASES,
  ...CLOUDFORMATION_CONTRACT_CASES,
  ...CLOUDFORMATION_SAFE_CASES,
  ...CLOUDFORMATION_TARGETED_CASES,
];

/** The guardrail's input for a case; with `asPatch`, judged as cloudmend's own patch for the case's target. */
export function inputOf(c: AdversarialCase, asPatch: boolean): GuardrailInput {
  const input: GuardrailInput = {
    kind: c.kind,
    allowedFiles: c.files.map((f) => f.path),
    files: c.files.map((f) => ({ path: f.path, before: f.before, after: f.after })),
  };
  if (!asPatch || !c.target) return input;
  return { ...input, contract: { address: c.target.address, controlId: c.target.controlId } };
}
