/**
 * EFS.1: EFS file systems encrypt their data at rest. The API (and so Terraform's
 * `aws_efs_file_system` and CloudFormation's `AWS::EFS::FileSystem`) creates unencrypted file
 * systems unless asked; the terraform-aws-modules/efs module encrypts by default. Encryption is
 * fixed at creation: turning it on replaces the file system with a new, empty one.
 */
import { cfnBooleanRemedy, remedyRule, tfBooleanRemedy, type BooleanRule } from '../helpers.js';
import { defineSkill } from '../types.js';

const EFS_MODULE = 'terraform-aws-modules/efs/aws';

function rule(resource: string, setting: string, whenMissing: BooleanRule['whenMissing']): BooleanRule {
  return {
    required: true,
    whenMissing,
    note:
      `Set ${setting} to true in ${resource}. This REPLACES the file system with a new, empty one (and its mount targets and access points with it): ` +
      'back it up with AWS Backup first and restore the recovery point into the new file system (or copy the data with DataSync or EFS replication) before clients use it.',
  };
}

export default defineSkill({
  meta: {
    id: 'efs-encrypted',
    title: 'EFS file systems encrypt their data at rest',
    controls: ['EFS.1'],
    configRules: ['efs-encrypted-check'],
    fixable: 'code',
    risk: 'replacement',
    riskNote:
      'An EFS file system cannot be encrypted in place: the fix replaces it (with its mount targets and access points) by a new, empty, encrypted file system; its data must be restored or copied into the new one.',
    rollback:
      'Before deploying, back up the file system with AWS Backup (`aws backup start-backup-job --resource-arn <file system ARN> ...`) and keep the recovery point: a destroyed file system does not come back by reverting this change. Restore the recovery point into the new file system; to roll back, restore it to a new file system and point the code at it (or import it), then revert.',
    messages: {
      settingWrong: '{{setting}} is {{value}}: the file system stores its data unencrypted.',
      settingMissing:
        '{{setting}} is not set: EFS file systems created through the API or infrastructure code are unencrypted unless asked for.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
    },
  },

  terraform: {
    resourceTypes: ['aws_efs_file_system', `module:${EFS_MODULE}`],
    ...remedyRule(({ module, resource }) =>
      // The module encrypts unless told not to: its `encrypted` input defaults to true.
      tfBooleanRemedy(
        module,
        resource,
        resource.block,
        'encrypted',
        rule(resource.address, 'encrypted', resource.mode === 'module' ? 'comply' : 'violation'),
      ),
    ),
  },

  cloudformation: {
    resourceTypes: ['AWS::EFS::FileSystem'],
    ...remedyRule(({ template, resource }) =>
      cfnBooleanRemedy(template, resource, ['Properties', 'Encrypted'], rule(resource.logicalId, 'Encrypted', 'violation')),
    ),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_efs.FileSystem'],
    fix: () => [{ name: 'encrypted', value: true }],
  },
});
