/**
 * DynamoDB.2: tables keep point-in-time recovery (continuous backups) on. It is off by default,
 * for a table and for each replica of a global table, which AWS evaluates as a table of its own in
 * its Region.
 */
import { propertyAt } from '../../iac/cloudformation/template.js';
import { appendToBody } from '../../iac/terraform/edit.js';
import { blocks } from '../../iac/terraform/hcl-structure.js';
import { cfnBooleanRemedy, remedyRule, tfBooleanRemedy, tfString, type BooleanRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

const COST = 'Point-in-time recovery is billed per GB-month of table size (plus restores): check the cost for large tables.';

function rule(resource: string): BooleanRule {
  return { required: true, whenMissing: 'violation', note: `Turned on point-in-time recovery in ${resource}. ${COST}` };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const { block } = resource;
  if (resource.type === 'aws_dynamodb_table_replica')
    return tfBooleanRemedy(module, resource, block, 'point_in_time_recovery', rule(resource.address));
  const replicas = blocks(block.body, 'replica').flatMap((replica) => {
    const region = tfString(module, replica.body, 'region_name') ?? '?';
    return tfBooleanRemedy(
      module,
      resource,
      replica,
      'point_in_time_recovery',
      rule(`${resource.address} (replica ${region})`),
      `point_in_time_recovery of replica ${region}`,
    );
  });
  const dynamic = blocks(block.body, 'dynamic').some((d) => d.labels[0] === 'point_in_time_recovery');
  const [pitr] = blocks(block.body, 'point_in_time_recovery');
  if (dynamic) {
    const offset = block.span.start;
    return [
      { violation: { messageId: 'dynamicBlock', resource: resource.address, offset, fixable: false, kind: 'violation' } },
      ...replicas,
    ];
  }
  if (pitr)
    return [...tfBooleanRemedy(module, resource, pitr, 'enabled', rule(resource.address), 'point_in_time_recovery.enabled'), ...replicas];
  const lines = [...(block.body.items.length > 0 ? [''] : []), 'point_in_time_recovery {', '  enabled = true', '}'];
  const missing: Remedy = {
    violation: { messageId: 'blockMissing', resource: resource.address, offset: block.span.start, fixable: true, kind: 'violation' },
    edits: [appendToBody(resource.file, block, lines)],
    note: rule(resource.address).note,
  };
  return [missing, ...replicas];
}

const ENABLED = ['PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled'];

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  if (resource.type === 'AWS::DynamoDB::Table')
    return cfnBooleanRemedy(template, resource, ['Properties', ...ENABLED], rule(resource.logicalId));
  const replicas = propertyAt(resource, ['Properties', 'Replicas']);
  if (!Array.isArray(replicas)) {
    return [
      {
        violation: {
          messageId: 'replicasUnknown',
          resource: resource.logicalId,
          offset: resource.span.start,
          fixable: false,
          kind: 'violation',
        },
      },
    ];
  }
  return replicas.flatMap((replica, i) => {
    const region =
      replica && typeof replica === 'object' && !Array.isArray(replica) && typeof replica.Region === 'string' ? replica.Region : String(i);
    return cfnBooleanRemedy(
      template,
      resource,
      ['Properties', 'Replicas', i, ...ENABLED],
      rule(`${resource.logicalId} (replica ${region})`),
    );
  });
}

export default defineSkill({
  meta: {
    id: 'dynamodb-pitr',
    title: 'DynamoDB tables have point-in-time recovery on',
    controls: ['DynamoDB.2'],
    configRules: ['dynamodb-pitr-enabled'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: the table cannot be restored to a point in time after a bad write or delete.',
      settingMissing: '{{setting}} is not set: DynamoDB keeps no continuous backups unless asked to.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
      blockMissing: 'The table has no point_in_time_recovery block: DynamoDB keeps no continuous backups unless asked to.',
      dynamicBlock: 'point_in_time_recovery comes from a dynamic block cloudmend cannot evaluate; make sure it is enabled.',
      replicasUnknown:
        'The replicas of this global table are an expression cloudmend cannot evaluate; make sure each has point-in-time recovery on.',
    },
  },

  terraform: {
    resourceTypes: ['aws_dynamodb_table', 'aws_dynamodb_table_replica'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable'],
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_dynamodb.Table', 'aws-cdk-lib.aws_dynamodb.TableV2'],
    // The deprecated boolean where the code uses it (both at once is an error), else its replacement.
    fix: ({ props }) =>
      props.has('pointInTimeRecovery')
        ? [{ name: 'pointInTimeRecovery', value: true }]
        : [{ name: 'pointInTimeRecoverySpecification', value: { pointInTimeRecoveryEnabled: true } }],
  },
});
