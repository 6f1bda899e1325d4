/**
 * DynamoDB.6: tables have deletion protection on. It is off by default, for a table and for each
 * replica of a global table, which AWS evaluates as a table of its own in its Region. The
 * dynamodb-table module turns it on by default from v5; earlier versions leave it off.
 */
import { propertyAt } from '../../iac/cloudformation/template.js';
import { attribute, blocks } from '../../iac/terraform/hcl-structure.js';
import { cfnSettingRemedy, minimumMajor, remedyRule, tfSettingRemedy, tfString, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget, type Violation } from '../types.js';

const TABLE_MODULE = 'terraform-aws-modules/dynamodb-table/aws';

function rule(resource: string, setting: string): SettingRule {
  return {
    value: true,
    whenMissing: 'violation',
    note: `Set ${setting} to true in ${resource}: deleting the table (a destroy, a stack deletion, a replacement) now fails until the flag is turned off first.`,
  };
}

function report(resource: string, offset: number, messageId: string, data: Record<string, string>): Remedy {
  const violation: Violation = { messageId, data, resource, offset, fixable: false, kind: 'violation' };
  return { violation };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const setting = 'deletion_protection_enabled';
  if (resource.mode === 'module') {
    // v5 defaults the input to true; before, it is off unless set (and absent before v3.3).
    const defaultsOn = (minimumMajor(tfString(module, resource.block.body, 'version')) ?? 0) >= 5;
    const own = tfSettingRemedy(module, resource, [setting], { ...rule(resource.address, setting), whenMissing: 'comply' });
    if (defaultsOn || attribute(resource.block.body, setting)) return own;
    return [report(resource.address, resource.block.span.start, 'moduleDefault', {})];
  }
  const own = tfSettingRemedy(module, resource, [setting], rule(resource.address, setting));
  if (resource.type !== 'aws_dynamodb_table') return own;
  // The AWS provider takes deletion protection in a replica block from v6 only: one written there is read, a missing one reported.
  const replicas = blocks(resource.block.body, 'replica').flatMap((replica) => {
    const region = tfString(module, replica.body, 'region_name') ?? '?';
    if (!attribute(replica.body, setting)) return [report(resource.address, replica.span.start, 'replicaMissing', { region })];
    return tfSettingRemedy(
      module,
      resource,
      [setting],
      rule(`${resource.address} (replica ${region})`, setting),
      replica,
      `${setting} of replica ${region}`,
    );
  });
  return [...own, ...replicas];
}

const ENABLED = 'DeletionProtectionEnabled';

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  if (resource.type === 'AWS::DynamoDB::Table')
    return cfnSettingRemedy(template, resource, ['Properties', ENABLED], rule(resource.logicalId, ENABLED));
  const replicas = propertyAt(resource, ['Properties', 'Replicas']);
  if (!Array.isArray(replicas)) return [report(resource.logicalId, resource.span.start, 'replicasUnknown', {})];
  return replicas.flatMap((replica, i) => {
    const region =
      replica && typeof replica === 'object' && !Array.isArray(replica) && typeof replica.Region === 'string' ? replica.Region : String(i);
    return cfnSettingRemedy(
      template,
      resource,
      ['Properties', 'Replicas', i, ENABLED],
      rule(`${resource.logicalId} (replica ${region})`, ENABLED),
    );
  });
}

export default defineSkill({
  meta: {
    id: 'dynamodb-deletion-protection',
    title: 'DynamoDB tables have deletion protection on',
    controls: ['DynamoDB.6'],
    configRules: ['dynamodb-table-deletion-protection-enabled'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: one DeleteTable call, stack deletion or replacing plan deletes the table and its data.',
      settingMissing: '{{setting}} is not set: DynamoDB leaves deletion protection off unless asked for.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
      moduleDefault:
        'deletion_protection_enabled is not set and this version of the dynamodb-table module leaves it off (it defaults to true from v5): set it to true (the input exists from v3.3) or upgrade the module.',
      replicaMissing:
        'The replica in {{region}} is a table of its own, without deletion protection: set deletion_protection_enabled = true in its replica block (AWS provider v6 and later) or protect it outside Terraform.',
      replicasUnknown:
        'The replicas of this global table are an expression cloudmend cannot evaluate; make sure each has DeletionProtectionEnabled: true.',
    },
  },

  terraform: {
    resourceTypes: ['aws_dynamodb_table', 'aws_dynamodb_table_replica', `module:${TABLE_MODULE}`],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_dynamodb.Table', 'aws-cdk-lib.aws_dynamodb.TableV2'],
    fix: () => [{ name: 'deletionProtection', value: true }],
  },
});
