/**
 * CloudTrail.5: trails also deliver to CloudWatch Logs, where metric filters and alarms can act on
 * API activity as it happens. Which log group, and the role CloudTrail writes with, are the team's:
 * the fix only ever sets the ones configured (`skills.cloudTrailLogGroupArn`,
 * `skills.cloudTrailCloudWatchLogsRoleArn`); without both, a finding is a suggestion.
 */
import { setProperty } from '../../iac/cloudformation/edit.js';
import { nodeAt, propertyAt } from '../../iac/cloudformation/template.js';
import type { TextEdit } from '../../iac/edits.js';
import { setAttribute } from '../../iac/terraform/edit.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { attrValue } from '../../iac/terraform/module.js';
import { hclString } from '../../iac/terraform/render.js';
import { remedyRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type SkillOptions, type TfTarget } from '../types.js';

interface Site {
  readonly trail: string;
  readonly offset: number;
  /** The group setting, absent or empty; undefined when it names a group (a literal, a reference, a caller's input). */
  readonly state: 'not set' | 'empty' | undefined;
  /** Set when the empty value comes from outside the trail (a variable's default): only a person changes it. */
  readonly through?: string | undefined;
  readonly names: { readonly group: string; readonly role: string };
  /** Edits setting the group, and the role when the trail has none. */
  readonly edits: (group: string, role: string) => TextEdit[];
}

function remedies(site: Site, options: SkillOptions): Remedy[] {
  if (site.state === undefined) return [];
  const { cloudTrailLogGroupArn: group, cloudTrailCloudWatchLogsRoleArn: role } = options;
  const data = { trail: site.trail, setting: site.names.group, state: site.state };
  const base = { resource: site.trail, offset: site.offset, kind: 'violation' as const };
  if (site.through !== undefined)
    return [{ violation: { ...base, messageId: 'groupFromInput', data: { ...data, expr: site.through }, fixable: false } }];
  if (group === undefined || role === undefined)
    return [{ violation: { ...base, messageId: 'noLogGroupConfigured', data, fixable: false } }];
  return [
    {
      violation: { ...base, messageId: 'noLogGroup', data: { ...data, group }, fixable: true },
      edits: site.edits(group, role),
      note: `Set ${site.names.group} of ${site.trail} to ${group} (with ${site.names.role}): the trail now also delivers to CloudWatch Logs, billed per GB ingested and stored. The role must let CloudTrail call logs:CreateLogStream and logs:PutLogEvents on that group.`,
    },
  ];
}

function emptiness(value: unknown, present: boolean): Site['state'] {
  if (!present) return 'not set';
  return value === '' || value === null ? 'empty' : undefined;
}

export default defineSkill({
  meta: {
    id: 'cloudtrail-cloudwatch-logs',
    title: 'CloudTrail: trails deliver to CloudWatch Logs',
    controls: ['CloudTrail.5'],
    configRules: ['cloud-trail-cloud-watch-logs-enabled'],
    fixable: 'code',
    options: ['cloudTrailLogGroupArn', 'cloudTrailCloudWatchLogsRoleArn'],
    risk: 'none',
    messages: {
      noLogGroup:
        'Trail {{trail}} does not deliver to CloudWatch Logs ({{setting}} is {{state}}); the fix sets the configured log group {{group}}.',
      groupFromInput:
        'Trail {{trail}} takes {{setting}} from {{expr}}, which defaults to no log group: pass a log group ARN (ending in :*) and its role wherever the trail is deployed.',
      noLogGroupConfigured:
        'Trail {{trail}} does not deliver to CloudWatch Logs ({{setting}} is {{state}}): set skills.cloudTrailLogGroupArn in the config to the log group ARN (ending in :*) and skills.cloudTrailCloudWatchLogsRoleArn to a role CloudTrail can assume to write to it, or set {{setting}} and its role here.',
    },
  },

  terraform: {
    resourceTypes: ['aws_cloudtrail'],
    ...remedyRule(({ module, resource, options }: TfTarget) => {
      const { file, block } = resource;
      const attr = attribute(block.body, 'cloud_watch_logs_group_arn');
      const hasRole = attribute(block.body, 'cloud_watch_logs_role_arn') !== undefined;
      return remedies(
        {
          trail: resource.address,
          offset: attr?.span.start ?? block.span.start,
          state: emptiness(attr ? attrValue(module, block.body, 'cloud_watch_logs_group_arn') : undefined, attr !== undefined),
          through: attr && !/^("\s*"|null)$/.test(attr.expr.trim()) ? `\`${attr.expr.trim()}\`` : undefined,
          names: { group: 'cloud_watch_logs_group_arn', role: 'cloud_watch_logs_role_arn' },
          edits: (group, role) => [
            setAttribute(file, block, 'cloud_watch_logs_group_arn', hclString(group)),
            ...(hasRole ? [] : [setAttribute(file, block, 'cloud_watch_logs_role_arn', hclString(role))]),
          ],
        },
        options,
      );
    }),
  },

  cloudformation: {
    resourceTypes: ['AWS::CloudTrail::Trail'],
    ...remedyRule(({ template, resource, options }: CfnTarget) => {
      const path = ['Properties', 'CloudWatchLogsLogGroupArn'];
      const value = propertyAt(resource, path);
      const hasRole = propertyAt(resource, ['Properties', 'CloudWatchLogsRoleArn']) !== undefined;
      return remedies(
        {
          trail: resource.logicalId,
          offset: nodeAt(resource, path)?.range?.[0] ?? resource.span.start,
          state: emptiness(value, value !== undefined),
          names: { group: 'CloudWatchLogsLogGroupArn', role: 'CloudWatchLogsRoleArn' },
          edits: (group, role) => [
            setProperty(template, resource, path, group),
            ...(hasRole ? [] : [setProperty(template, resource, ['Properties', 'CloudWatchLogsRoleArn'], role)]),
          ],
        },
        options,
      );
    }),
  },
});
