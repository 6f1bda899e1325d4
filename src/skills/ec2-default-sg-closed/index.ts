/**
 * EC2.2: a VPC's default security group allows no traffic. In Terraform that is an
 * `aws_default_security_group` for every VPC, with `ingress = []` and `egress = []`: when Terraform
 * adopts the group it deletes the rules AWS created, and the empty lists keep it that way (with the
 * arguments left out, a rule added later is not reverted). CloudFormation cannot manage the default
 * security group; `ec2-default-sg-closed-cfn` explains that case.
 */
import type { TextEdit } from '../../iac/edits.js';
import { appendToBody, insertAfter, setAttribute } from '../../iac/terraform/edit.js';
import type { HclBlock } from '../../iac/terraform/hcl-structure.js';
import type { TfFile } from '../../iac/terraform/module.js';
import { renderBlock } from '../../iac/terraform/render.js';
import { lineStart } from '../../iac/text.js';
import { defineSkill, type Violation } from '../types.js';
import { DIRECTIONS, defaultGroupFor, newDefaultGroup, rulesOf, type Direction, type RuleItem } from './read.js';

export default defineSkill({
  meta: {
    id: 'ec2-default-sg-closed',
    title: 'VPC default security groups allow no traffic',
    controls: ['EC2.2'],
    configRules: ['vpc-default-security-group-closed'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'Anything still attached to the default security group loses all traffic, between its members included: move it to its own security group before merging.',
    messages: {
      ruleDefined: '{{resource}} defines {{direction}} rules ({{rule}}): EC2.2 requires the default security group to allow no traffic.',
      rulesUnknown: '{{resource}} sets {{direction}} to {{expr}}, which cloudmend cannot evaluate; EC2.2 requires it to be empty.',
      rulesUnpinned:
        '{{resource}} does not set {{direction}} = []: Terraform removed the default rules when it adopted the group, but would not revert a rule added later.',
      noDefaultGroup:
        'VPC {{vpc}} has no aws_default_security_group: its default security group keeps the rules AWS creates (all traffic between its members, all outbound).',
      defaultGroupUnclear:
        'VPC {{vpc}} has no aws_default_security_group that cloudmend can tie to it (the vpc_id of {{others}} is an expression it cannot evaluate); add one with no rules unless one of those already manages it.',
    },
  },

  terraform: {
    resourceTypes: ['aws_default_security_group', 'aws_vpc'],
    detect({ module, resource }) {
      const at = resource.block.span.start;
      if (resource.type === 'aws_vpc') {
        const found = defaultGroupFor(module, resource);
        if (found.bound) return [];
        const vpc = resource.address;
        if (found.unclear.length > 0) {
          return [
            {
              messageId: 'defaultGroupUnclear',
              data: { vpc, others: found.unclear.join(', ') },
              resource: vpc,
              offset: at,
              fixable: false,
              kind: 'violation',
            },
          ];
        }
        return [
          {
            messageId: 'noDefaultGroup',
            data: { vpc },
            resource: vpc,
            offset: at,
            fixable: newDefaultGroup(module, resource) !== undefined,
            kind: 'violation',
          },
        ];
      }
      const rules = rulesOf(resource.block);
      return DIRECTIONS.flatMap((direction): Violation[] => {
        const data = { resource: resource.address, direction };
        const items = rules.filter((r) => r.direction === direction);
        if (items.length === 0)
          return [{ messageId: 'rulesUnpinned', data, resource: resource.address, offset: at, fixable: true, kind: 'unpinned' }];
        return items.flatMap((item): Violation[] => {
          if (item.state === 'empty') return [];
          const offset = item.node.span.start;
          if (item.state === 'unknown')
            return [
              {
                messageId: 'rulesUnknown',
                data: { ...data, expr: item.text },
                resource: resource.address,
                offset,
                fixable: false,
                kind: 'violation',
              },
            ];
          return [
            {
              messageId: 'ruleDefined',
              data: { ...data, rule: item.text },
              resource: resource.address,
              offset,
              fixable: true,
              kind: 'violation',
            },
          ];
        });
      });
    },
    fix({ module, resource }) {
      const file = resource.file;
      if (resource.type === 'aws_vpc') {
        const group = newDefaultGroup(module, resource);
        if (!group) return { edits: [] };
        return {
          edits: [insertAfter(file, resource.block, renderBlock('resource', ['aws_default_security_group', group.name], group.attributes))],
          notes: [
            `Added aws_default_security_group.${group.name} for ${resource.address} with no rules: on apply, Terraform adopts the VPC's default security group and deletes the rules AWS created in it.`,
          ],
        };
      }
      const rules = rulesOf(resource.block);
      const edits: TextEdit[] = [];
      const missing: string[] = [];
      const removed: string[] = [];
      for (const direction of DIRECTIONS) {
        const items = rules.filter((r) => r.direction === direction);
        const [first, ...rest] = items;
        if (!first) {
          missing.push(`${direction} = []`);
          continue;
        }
        // Nothing fixable while a rule list cannot be evaluated: overwriting it would be a guess.
        if (items.some((i) => i.state === 'unknown')) continue;
        if (first.state !== 'empty') edits.push(emptied(file, resource.block, first, direction));
        edits.push(...rest.map((item) => removal(file, item)));
        removed.push(...items.filter((i) => i.state === 'rules').map((i) => `${direction} ${i.text}`));
      }
      if (missing.length > 0) edits.push(appendToBody(file, resource.block, missing));
      const notes = [
        ...(removed.length > 0
          ? [`Removed the rules of ${resource.address} (${removed.join('; ')}): the VPC's default security group allows no traffic.`]
          : []),
        ...(missing.length > 0
          ? [`Pinned ${missing.join(' and ')} in ${resource.address}, so that a rule added outside Terraform is reverted.`]
          : []),
      ];
      return { edits, notes };
    },
  },
});

/** The first rule item of a direction becomes `direction = []`, in place. */
function emptied(file: TfFile, block: HclBlock, item: RuleItem, direction: Direction): TextEdit {
  if (item.node.kind === 'attribute') return setAttribute(file, block, direction, '[]');
  const start = lineStart(file.text, item.node.span.start);
  const indent = file.text.slice(start, item.node.span.start);
  const nl = file.text.indexOf('\n', item.node.span.end);
  return { file: file.path, start, end: nl < 0 ? file.text.length : nl + 1, text: `${indent}${direction} = []\n` };
}

/** Removes a further rule item's lines, with the blank line before it so no double blank line is left. */
function removal(file: TfFile, item: RuleItem): TextEdit {
  const text = file.text;
  let start = lineStart(text, item.node.span.start);
  const before = lineStart(text, start - 1);
  if (start > 0 && text.slice(before, start).trim() === '') start = before;
  const nl = text.indexOf('\n', item.node.span.end);
  return { file: file.path, start, end: nl < 0 ? text.length : nl + 1, text: '' };
}
