/**
 * DynamoDB.3: DynamoDB Accelerator (DAX) clusters encrypt data at rest. Off by default, and only
 * chosen at creation: turning it on replaces the cluster. A DAX cluster is a cache of its tables,
 * so what is lost is warm items and the time to refill them, and the endpoint keeps its name.
 */
import { cfnBooleanRemedy, remedyRule, tfSettingRemedy, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

const note = (resource: string) =>
  `Turned on encryption at rest in ${resource}. This REPLACES the DAX cluster: it is created again, empty, and fills from its tables; reads go to DynamoDB (slower, more read capacity) until it is warm.`;

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  return tfSettingRemedy(module, resource, ['server_side_encryption', 'enabled'], {
    value: true,
    whenMissing: 'violation',
    note: note(resource.address),
  });
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  return cfnBooleanRemedy(template, resource, ['Properties', 'SSESpecification', 'SSEEnabled'], {
    required: true,
    whenMissing: 'violation',
    note: note(resource.logicalId),
  });
}

export default defineSkill({
  meta: {
    id: 'dax-encryption',
    title: 'DynamoDB Accelerator (DAX) clusters encrypt data at rest',
    controls: ['DynamoDB.3'],
    configRules: ['dax-encryption-enabled'],
    fixable: 'code',
    risk: 'replacement',
    riskNote:
      'Turning on encryption at rest REPLACES the DAX cluster: it is destroyed and created again empty (the cached items; the tables keep the data), and its endpoint is unavailable while it is recreated.',
    rollback:
      'A DAX cluster holds no data of its own: its DynamoDB tables (and their backups) keep it, so no backup of the cluster is needed. Deploy in a quiet window with enough table read capacity for the cold cache; to roll back, revert and the cluster is recreated unencrypted, empty again.',
    messages: {
      settingWrong: '{{setting}} is {{value}}: the cluster caches table items unencrypted on its nodes.',
      settingMissing: '{{setting}} is not set: DAX clusters are not encrypted at rest unless asked to.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
    },
  },

  terraform: {
    resourceTypes: ['aws_dax_cluster'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::DAX::Cluster'],
    ...remedyRule(cloudFormationRemedies),
  },
});
