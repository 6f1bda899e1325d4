/**
 * KMS.4: customer managed keys rotate their key material automatically. Only symmetric
 * encryption keys with AWS-generated material can: asymmetric, HMAC, imported-material and
 * custom-key-store keys are out of the control's scope, not violations. Rotation is off by default.
 * A rotation period, when set, is left as it is.
 */
import { propertyAt, type CfnResource } from '../../iac/cloudformation/template.js';
import { readHclValue, staticValue } from '../../iac/terraform/hcl-expr.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import type { TfModule, TfResource } from '../../iac/terraform/module.js';
import { cfnBooleanRemedy, remedyRule, tfBooleanRemedy, type BooleanRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

/** Whether a key can rotate: `yes`, `no`, or `unknown` with the expression that hides it. */
type Rotatable = { readonly can: 'yes' } | { readonly can: 'no' } | { readonly can: 'unknown'; readonly expr: string };

/**
 * Reads the properties that decide whether a key rotates: each is absent or null (the AWS default,
 * which rotates), one of its `allowed` values, another value (the key cannot rotate), or an
 * expression cloudmend cannot read.
 */
function rotatable(
  read: (name: string) => { present: boolean; value: unknown; expr: string },
  allowed: Readonly<Record<string, readonly string[]>>,
): Rotatable {
  let unknown: string | undefined;
  for (const [name, values] of Object.entries(allowed)) {
    const { present, value, expr } = read(name);
    if (!present || value === null) continue;
    if (typeof value !== 'string') unknown ??= expr;
    else if (!values.includes(value)) return { can: 'no' };
  }
  return unknown === undefined ? { can: 'yes' } : { can: 'unknown', expr: unknown };
}

function note(resource: string, setting: string): string {
  return `Set ${setting} to true in ${resource}: KMS rotates the key material yearly (or every rotation period, when set) and keeps the old material for decrypting existing data, so nothing needs re-encrypting.`;
}

/** Remedies given whether the key can rotate: none when it cannot, reports when that is unclear. */
function withScope(scope: Rotatable, resource: string, offset: number, remedies: readonly Remedy[]): Remedy[] {
  if (scope.can === 'no') return [];
  if (scope.can === 'yes') return [...remedies];
  return remedies.map(() => ({
    violation: { messageId: 'keySpecUnknown', data: { expr: scope.expr }, resource, offset, fixable: false, kind: 'violation' },
  }));
}

function tfRead(module: TfModule, resource: TfResource) {
  return (name: string) => {
    const attr = attribute(resource.block.body, name);
    return {
      present: attr !== undefined,
      value: attr ? staticValue(readHclValue(attr.expr), module.resolve) : undefined,
      expr: attr?.expr ?? '',
    };
  };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const rule: BooleanRule = { required: true, whenMissing: 'violation', note: note(resource.address, 'enable_key_rotation') };
  const scope = rotatable(tfRead(module, resource), {
    customer_master_key_spec: ['SYMMETRIC_DEFAULT'],
    key_usage: ['ENCRYPT_DECRYPT'],
    // Keys in a CloudHSM or external key store never rotate automatically.
    custom_key_store_id: [],
    xks_key_id: [],
  });
  return withScope(
    scope,
    resource.address,
    resource.block.span.start,
    tfBooleanRemedy(module, resource, resource.block, 'enable_key_rotation', rule),
  );
}

function cfnRead(resource: CfnResource) {
  return (name: string) => {
    const value = propertyAt(resource, ['Properties', name]);
    return { present: value !== undefined, value, expr: JSON.stringify(value) ?? '' };
  };
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const rule: BooleanRule = { required: true, whenMissing: 'violation', note: note(resource.logicalId, 'EnableKeyRotation') };
  const scope = rotatable(cfnRead(resource), {
    KeySpec: ['SYMMETRIC_DEFAULT'],
    KeyUsage: ['ENCRYPT_DECRYPT'],
    // Imported (EXTERNAL) material and custom key stores never rotate automatically.
    Origin: ['AWS_KMS'],
  });
  return withScope(
    scope,
    resource.logicalId,
    resource.span.start,
    cfnBooleanRemedy(template, resource, ['Properties', 'EnableKeyRotation'], rule),
  );
}

export default defineSkill({
  meta: {
    id: 'kms-key-rotation',
    title: 'KMS keys rotate their key material automatically',
    controls: ['KMS.4'],
    configRules: ['cmk-backing-key-rotation-enabled'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: the key material of this symmetric encryption key never changes.',
      settingMissing: '{{setting}} is not set: KMS does not rotate customer managed keys unless asked to.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
      keySpecUnknown:
        'Rotation is not on, and whether this key can rotate depends on an expression cloudmend cannot evaluate ({{expr}}): symmetric encryption keys must rotate, other keys cannot.',
    },
  },

  terraform: {
    resourceTypes: ['aws_kms_key'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::KMS::Key'],
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_kms.Key'],
    fix: () => [{ name: 'enableKeyRotation', value: true }],
  },
});
