/**
 * S3.1 / S3.8: Block Public Access on, all four settings, on the bucket (or the account). A bucket
 * with no public access block relies on the default new buckets get since April 2023: secure, but
 * unpinned, so a fix adds an explicit block.
 */
import { setProperty } from '../../iac/cloudformation/edit.js';
import { nodeAt } from '../../iac/cloudformation/template.js';
import { appendToBody, insertAfter, setAttribute } from '../../iac/terraform/edit.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, refersTo } from '../../iac/terraform/module.js';
import { HclRaw, renderBlock } from '../../iac/terraform/render.js';
import { cfnSetting, type Setting, tfSetting, tfString } from '../helpers.js';
import { defineSkill, type Violation } from '../types.js';

const TF_SETTINGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'] as const;
const CFN_SETTINGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;
const S3_MODULE = 'terraform-aws-modules/s3-bucket/aws';

/** terraform-aws-modules/s3-bucket turned all four settings on by default in v4.0.0. */
function moduleDefaultsOn(version: string | undefined): boolean {
  const major = version === undefined ? undefined : /(\d+)/.exec(version)?.[1];
  return major !== undefined && Number(major) >= 4 && !/[<~^]|,/.test(version ?? '');
}

/** A setting of the block that is off or missing (fixable), or not a literal `expr` (left to a person). */
function settingViolation(setting: string, state: Exclude<Setting, 'on'>, expr: string, resource: string, offset: number): Violation {
  if (state === 'unknown')
    return { messageId: 'settingUnknown', data: { setting, expr }, resource, offset, fixable: false, kind: 'violation' };
  const data = { setting, state: state === 'off' ? 'false' : 'not set (defaults to false)' };
  return { messageId: 'settingOff', data, resource, offset, fixable: true, kind: 'violation' };
}

export default defineSkill({
  meta: {
    id: 's3-block-public-access',
    title: 'S3 Block Public Access: all four settings on',
    controls: ['S3.1', 'S3.8'],
    configRules: ['s3-account-level-public-access-blocks-periodic', 's3-bucket-level-public-access-prohibited'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'Public ACLs and public bucket policies stop working: anything that relies on anonymous access to this bucket will be denied.',
    messages: {
      settingOff: '{{setting}} is {{state}}: Block Public Access needs all four settings on.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
      noBlock: 'Bucket {{bucket}} has no public access block: it relies on the S3 default instead of saying so.',
    },
  },

  terraform: {
    resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block', `module:${S3_MODULE}`],
    detect({ module, resource }) {
      const { body } = resource.block;
      const at = resource.block.span.start;
      if (resource.type === 'aws_s3_bucket') {
        const bound = module.resources.some(
          (r) => r.type === 'aws_s3_bucket_public_access_block' && refersTo(attrExpr(r.block.body, 'bucket'), resource.address),
        );
        return bound
          ? []
          : [
              {
                messageId: 'noBlock',
                data: { bucket: resource.name },
                resource: resource.address,
                offset: at,
                fixable: true,
                kind: 'unpinned',
              },
            ];
      }
      const defaultsOn = resource.mode === 'module' && moduleDefaultsOn(tfString(module, body, 'version'));
      return TF_SETTINGS.flatMap((setting): Violation[] => {
        const state = tfSetting(module, body, setting);
        if (state === 'on' || (state === 'missing' && defaultsOn)) return [];
        const offset = attribute(body, setting)?.span.start ?? at;
        return [settingViolation(setting, state, attribute(body, setting)?.expr ?? '', resource.address, offset)];
      });
    },
    fix({ resource }, violations) {
      const file = resource.file;
      if (violations.some((v) => v.messageId === 'noBlock')) {
        const block = renderBlock('resource', ['aws_s3_bucket_public_access_block', resource.name], {
          bucket: new HclRaw(`${resource.address}.id`),
          ...Object.fromEntries(TF_SETTINGS.map((s) => [s, true])),
        });
        return {
          edits: [insertAfter(file, resource.block, block)],
          notes: [`Added aws_s3_bucket_public_access_block.${resource.name} with all four settings on.`],
        };
      }
      const settings = violations.filter((v) => v.messageId === 'settingOff').map((v) => v.data?.setting ?? '');
      const present = settings.filter((s) => attribute(resource.block.body, s));
      const missing = settings.filter((s) => !attribute(resource.block.body, s));
      const edits = present.map((s) => setAttribute(file, resource.block, s, 'true'));
      if (missing.length > 0)
        edits.push(
          appendToBody(
            file,
            resource.block,
            missing.map((s) => `${s.padEnd(Math.max(...missing.map((m) => m.length)))} = true`),
          ),
        );
      return { edits, notes: [`Turned on ${settings.join(', ')} in ${resource.address}.`] };
    },
  },

  cloudformation: {
    resourceTypes: ['AWS::S3::Bucket'],
    detect({ resource }) {
      const path = ['Properties', 'PublicAccessBlockConfiguration'];
      const config = nodeAt(resource, path);
      const at = resource.span.start;
      if (!config)
        return [
          {
            messageId: 'noBlock',
            data: { bucket: resource.logicalId },
            resource: resource.logicalId,
            offset: at,
            fixable: true,
            kind: 'unpinned',
          },
        ];
      return CFN_SETTINGS.flatMap((setting): Violation[] => {
        const state = cfnSetting(resource, [...path, setting]);
        const offset = nodeAt(resource, [...path, setting])?.range?.[0] ?? config.range?.[0] ?? at;
        if (state === 'on') return [];
        return [settingViolation(setting, state, 'an intrinsic function', resource.logicalId, offset)];
      });
    },
    fix({ template, resource }, violations) {
      const path = ['Properties', 'PublicAccessBlockConfiguration'];
      if (violations.some((v) => v.messageId === 'noBlock')) {
        const all = Object.fromEntries(CFN_SETTINGS.map((s) => [s, true]));
        return {
          edits: [setProperty(template, resource, path, all)],
          notes: [`Added PublicAccessBlockConfiguration with all four settings on to ${resource.logicalId}.`],
        };
      }
      const settings = violations.filter((v) => v.messageId === 'settingOff').map((v) => v.data?.setting ?? '');
      return {
        edits: settings.map((s) => setProperty(template, resource, [...path, s], true)),
        notes: [`Turned on ${settings.join(', ')} in ${resource.logicalId}.`],
      };
    },
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_s3.Bucket'],
    fix: () => [{ name: 'blockPublicAccess', value: { $ref: 'aws-cdk-lib.aws_s3.BlockPublicAccess.BLOCK_ALL' } }],
  },
});
