/**
 * SNS.1: topics encrypt messages at rest with a KMS key. Topics are unencrypted unless they name a
 * key (`kms_master_key_id` / `KmsMasterKeyId`).
 *
 * Which key is the catch. The AWS managed key `alias/aws/sns` needs no value from the team and
 * serves publishers of the account, but its policy cannot be changed: AWS services that publish to
 * a topic (CloudWatch alarms, EventBridge rules, S3 event notifications...) and other accounts
 * cannot use it, and their messages are then dropped without an error anyone sees. So the fix uses
 * the key the team configured (`skills.snsKmsKeyId`) when there is one; otherwise
 * `alias/aws/sns` only for a topic no AWS service publishes to in the code, and reports the others
 * for a person, naming what publishes.
 */
import { setProperty } from '../../iac/cloudformation/edit.js';
import { nodeAt, propertyAt, refersToResource, type CfnTemplate, type CfnValue } from '../../iac/cloudformation/template.js';
import { setAttribute } from '../../iac/terraform/edit.js';
import { readHclValue } from '../../iac/terraform/hcl-expr.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { hclString } from '../../iac/terraform/render.js';
import type { TfModule, TfResource } from '../../iac/terraform/module.js';
import { editOrNothing, remedyRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget, type Violation } from '../types.js';

const AWS_KEY = 'alias/aws/sns';

/** Terraform resources through which an AWS service publishes to a topic they name. */
const TF_PUBLISHERS = new Set([
  'aws_cloudwatch_metric_alarm',
  'aws_cloudwatch_composite_alarm',
  'aws_cloudwatch_event_target',
  'aws_s3_bucket_notification',
  'aws_db_event_subscription',
  'aws_autoscaling_notification',
  'aws_codestarnotifications_notification_rule',
  'aws_budgets_budget',
  'aws_config_delivery_channel',
  'aws_cloudtrail',
  'aws_backup_vault_notifications',
  'aws_ses_identity_notification_topic',
  'aws_elasticache_cluster',
  'aws_elasticache_replication_group',
  'aws_redshift_event_subscription',
  'aws_dms_event_subscription',
  'aws_glacier_vault',
  'aws_iot_topic_rule',
]);

/** CloudFormation resources through which an AWS service publishes to a topic they name. */
const CFN_PUBLISHERS = new Set([
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::Events::Rule',
  'AWS::S3::Bucket',
  'AWS::RDS::EventSubscription',
  'AWS::AutoScaling::AutoScalingGroup',
  'AWS::CodeStarNotifications::NotificationRule',
  'AWS::Budgets::Budget',
  'AWS::Config::DeliveryChannel',
  'AWS::CloudTrail::Trail',
  'AWS::Backup::BackupVault',
  'AWS::ElastiCache::CacheCluster',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::Redshift::EventSubscription',
  'AWS::DMS::EventSubscription',
  'AWS::IoT::TopicRule',
  'AWS::Scheduler::Schedule',
  'AWS::Pipes::Pipe',
]);

/** A policy that lets a service principal (`*.amazonaws.com`) in. */
const SERVICE_PRINCIPAL = /[a-z0-9-]+\.amazonaws\.com/;

function blockText(resource: TfResource): string {
  return resource.file.text.slice(resource.block.span.start, resource.block.span.end);
}

/** The addresses of what publishes to `topic` as an AWS service, in the module. */
function tfPublishers(module: TfModule, topic: TfResource): string[] {
  const named = new RegExp(`\\b${topic.address.replace('.', '\\.')}\\b`);
  const own = attribute(topic.block.body, 'policy');
  return [
    ...(own && SERVICE_PRINCIPAL.test(own.expr) ? [`${topic.address} policy`] : []),
    ...module.resources
      .filter((r) => r !== topic && named.test(blockText(r)))
      .filter((r) => TF_PUBLISHERS.has(r.type) || (r.type === 'aws_sns_topic_policy' && SERVICE_PRINCIPAL.test(blockText(r))))
      .map((r) => r.address),
  ];
}

function mentions(value: CfnValue | undefined, logicalId: string): boolean {
  if (refersToResource(value, logicalId)) return true;
  if (Array.isArray(value)) return value.some((v) => mentions(v, logicalId));
  if (value && typeof value === 'object') return Object.values(value).some((v) => mentions(v, logicalId));
  return false;
}

function cfnPublishers(template: CfnTemplate, topic: string): string[] {
  return template.resources
    .filter((r) => r.logicalId !== topic && mentions(propertyAt(r, ['Properties']), topic))
    .filter(
      (r) =>
        CFN_PUBLISHERS.has(r.type) ||
        (r.type === 'AWS::SNS::TopicPolicy' && SERVICE_PRINCIPAL.test(JSON.stringify(propertyAt(r, ['Properties', 'PolicyDocument'])))),
    )
    .map((r) => r.logicalId);
}

/** The key a fix writes, or why there is none. */
function keyFor(configured: string | undefined, publishers: readonly string[]): string | undefined {
  if (configured !== undefined) return configured;
  return publishers.length === 0 ? AWS_KEY : undefined;
}

function note(resource: string, setting: string, key: string): string {
  return key === AWS_KEY
    ? `Set ${setting} of ${resource} to the AWS managed key ${AWS_KEY}. No AWS service publishes to it in this code; if one does elsewhere (an alarm, an EventBridge rule, S3 events) or another account publishes, use a customer managed key that grants them instead.`
    : `Set ${setting} of ${resource} to the configured key ${key}: its key policy must allow every publisher (services such as cloudwatch.amazonaws.com and events.amazonaws.com need kms:GenerateDataKey* and kms:Decrypt).`;
}

function remedy(
  resource: string,
  setting: string,
  offset: number,
  configured: string | undefined,
  publishers: readonly string[],
  edit: (key: string) => Remedy['edits'],
): Remedy[] {
  const key = keyFor(configured, publishers);
  const edits = key === undefined ? undefined : edit(key);
  const violation: Violation =
    key === undefined
      ? {
          messageId: 'servicePublishers',
          data: { setting, publishers: publishers.join(', ') },
          resource,
          offset,
          fixable: false,
          kind: 'violation',
        }
      : { messageId: 'noKey', data: { setting }, resource, offset, fixable: edits !== undefined, kind: 'violation' };
  return [{ violation, edits, note: key === undefined ? undefined : note(resource, setting, key) }];
}

function terraformRemedies({ module, resource, options }: TfTarget): Remedy[] {
  const attr = attribute(resource.block.body, 'kms_master_key_id');
  const value = attr ? readHclValue(attr.expr) : undefined;
  if (value && !(value.type === 'literal' && (value.value === null || value.value === ''))) return [];
  const offset = attr?.span.start ?? resource.block.span.start;
  return remedy(resource.address, 'kms_master_key_id', offset, options.snsKmsKeyId, tfPublishers(module, resource), (key) => [
    setAttribute(resource.file, resource.block, 'kms_master_key_id', hclString(key)),
  ]);
}

function cloudFormationRemedies({ template, resource, options }: CfnTarget): Remedy[] {
  const path = ['Properties', 'KmsMasterKeyId'];
  const value = propertyAt(resource, path);
  if (value !== undefined && value !== null && value !== '') return [];
  const offset = nodeAt(resource, path)?.range?.[0] ?? resource.span.start;
  return remedy(resource.logicalId, 'KmsMasterKeyId', offset, options.snsKmsKeyId, cfnPublishers(template, resource.logicalId), (key) => {
    const edit = editOrNothing(() => setProperty(template, resource, path, key));
    return edit ? [edit] : undefined;
  });
}

export default defineSkill({
  meta: {
    id: 'sns-encrypted',
    title: 'SNS topics are encrypted at rest with KMS',
    controls: ['SNS.1'],
    configRules: ['sns-encrypted-kms'],
    fixable: 'code',
    options: ['snsKmsKeyId'],
    risk: 'access-change',
    riskNote:
      'Publishers must be able to use the key: AWS services (CloudWatch alarms, EventBridge, S3 events...) and other accounts cannot use the AWS managed key alias/aws/sns and their messages are then dropped, so check every publisher of the topic, including those outside this repository.',
    messages: {
      noKey: '{{setting}} is not set: messages are stored unencrypted.',
      servicePublishers:
        '{{setting}} is not set: messages are stored unencrypted. AWS services publish to this topic ({{publishers}}) and cannot use the AWS managed key alias/aws/sns: set skills.snsKmsKeyId in the config to a customer managed key whose policy lets them use it (kms:GenerateDataKey*, kms:Decrypt), or set {{setting}} to such a key.',
    },
  },

  terraform: {
    // terraform-aws-modules/sns passes its kms_master_key_id input (default null) to the topic.
    resourceTypes: ['aws_sns_topic', 'module:terraform-aws-modules/sns/aws'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::SNS::Topic'],
    ...remedyRule(cloudFormationRemedies),
  },
});
