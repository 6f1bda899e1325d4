/**
 * EC2.8: instances require IMDSv2 (`http_tokens = "required"`, `HttpTokens: required`), on the
 * instance or on the launch template or launch configuration instances are launched from; EC2.170:
 * launch templates require it (their default version, which the code's template data becomes). A
 * missing setting is a violation: the default is `optional` unless the AMI says otherwise, which
 * the code does not show.
 */
import { setProperty } from '../../iac/cloudformation/edit.js';
import { nodeAt, propertyAt, refersToResource, type CfnResource, type CfnTemplate } from '../../iac/cloudformation/template.js';
import { appendToBody, setAttribute } from '../../iac/terraform/edit.js';
import { attribute, blocks, type HclBlock } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, attrValue, refersTo, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { tfString } from '../helpers.js';
import { defineSkill, type Violation } from '../types.js';
import { moduleTokens, moduleTokensEdit } from './module.js';

const EC2_MODULE = 'terraform-aws-modules/ec2-instance/aws';
const TF_SETTING = 'metadata_options.http_tokens';
const CFN_SETTING = 'MetadataOptions.HttpTokens';

/** Where each CloudFormation type keeps its metadata options. */
const CFN_PATHS: Readonly<Record<string, readonly string[]>> = {
  'AWS::EC2::Instance': ['Properties', 'MetadataOptions'],
  'AWS::EC2::LaunchTemplate': ['Properties', 'LaunchTemplateData', 'MetadataOptions'],
  'AWS::AutoScaling::LaunchConfiguration': ['Properties', 'MetadataOptions'],
};

/** What applying `http_tokens = "required"` does to each kind of resource, for the pull request. */
const TF_EFFECT: Readonly<Record<string, string>> = {
  aws_instance: 'applies in place, without a restart',
  aws_launch_template:
    'creates a new launch template version; instances get it when they are next launched from that version. EC2.170 checks the default version: unless update_default_version = true, make the new version the default',
  aws_launch_configuration:
    'replaces the launch configuration (its metadata options cannot change in place); the Auto Scaling group uses the new one for new instances',
};

const CFN_EFFECT: Readonly<Record<string, string>> = {
  'AWS::EC2::Instance': 'applies without interruption',
  'AWS::EC2::LaunchTemplate': 'creates a new launch template version; instances get it when they are next launched from that version',
  'AWS::AutoScaling::LaunchConfiguration': 'replaces the launch configuration; the Auto Scaling group uses the new one for new instances',
};

/** The launch template of this module an instance is launched from: it takes its metadata options from there. */
function tfLaunchTemplateOf(module: TfModule, instance: TfResource): TfResource | undefined {
  const [lt] = blocks(instance.block.body, 'launch_template');
  if (!lt) return undefined;
  return module.resources.find(
    (r) => r.type === 'aws_launch_template' && ['id', 'name'].some((a) => refersTo(attrExpr(lt.body, a), r.address)),
  );
}

function cfnLaunchTemplateOf(template: CfnTemplate, instance: CfnResource): CfnResource | undefined {
  const spec = propertyAt(instance, ['Properties', 'LaunchTemplate']);
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
  const refs = [spec.LaunchTemplateId, spec.LaunchTemplateName];
  return template.resources.find((r) => r.type === 'AWS::EC2::LaunchTemplate' && refs.some((ref) => refersToResource(ref, r.logicalId)));
}

/**
 * An instance without metadata options of its own, launched from a launch template that does not
 * require IMDSv2: reported on the instance (a finding may point there), fixed on the template.
 */
function inherited(own: readonly Violation[], instance: string, template: string, offset: number): Violation[] {
  if (own.length === 0) return [];
  const kind = own.some((v) => v.kind === 'violation') ? 'violation' : 'unpinned';
  return [{ messageId: 'launchTemplate', data: { resource: instance, template }, resource: instance, offset, fixable: false, kind }];
}

function tfDetectOwn(module: TfModule, resource: TfResource): Violation[] {
  const data = { resource: resource.address, setting: TF_SETTING };
  const body = resource.block.body;
  if (blocks(body, 'dynamic').some((d) => d.labels[0] === 'metadata_options')) {
    return [
      {
        messageId: 'tokensUnknown',
        data: { ...data, expr: 'a dynamic block' },
        resource: resource.address,
        offset: resource.block.span.start,
        fixable: false,
        kind: 'violation',
      },
    ];
  }
  const [options] = blocks(body, 'metadata_options');
  const lt = !options && resource.type === 'aws_instance' ? tfLaunchTemplateOf(module, resource) : undefined;
  if (lt)
    return inherited(
      tfDetectOwn(module, lt),
      resource.address,
      lt.address,
      blocks(body, 'launch_template')[0]?.span.start ?? resource.block.span.start,
    );
  const tokensAttr = options ? attribute(options.body, 'http_tokens') : undefined;
  const tokens = options ? attrValue(module, options.body, 'http_tokens') : undefined;
  const endpoint = options ? tfString(module, options.body, 'http_endpoint') : undefined;
  const verdict = judge(tokens, tokensAttr !== undefined, endpoint);
  if (!verdict) return [];
  const offset = tokensAttr?.span.start ?? options?.span.start ?? resource.block.span.start;
  return [{ ...verdict, data: { ...data, expr: tokensAttr?.expr ?? '' }, resource: resource.address, offset }];
}

function cfnDetectOwn(template: CfnTemplate, resource: CfnResource): Violation[] {
  const path = CFN_PATHS[resource.type] ?? [];
  const options = nodeAt(resource, path);
  const lt = !options && resource.type === 'AWS::EC2::Instance' ? cfnLaunchTemplateOf(template, resource) : undefined;
  if (lt)
    return inherited(
      cfnDetectOwn(template, lt),
      resource.logicalId,
      lt.logicalId,
      nodeAt(resource, ['Properties', 'LaunchTemplate'])?.range?.[0] ?? resource.span.start,
    );
  const tokens = propertyAt(resource, [...path, 'HttpTokens']);
  const endpoint = propertyAt(resource, [...path, 'HttpEndpoint']);
  const verdict = judge(tokens, tokens !== undefined && tokens !== null, endpoint);
  if (!verdict) return [];
  const offset = nodeAt(resource, [...path, 'HttpTokens'])?.range?.[0] ?? options?.range?.[0] ?? resource.span.start;
  const expr = typeof tokens === 'string' ? JSON.stringify(tokens) : 'an intrinsic function';
  return [{ ...verdict, data: { resource: resource.logicalId, setting: CFN_SETTING, expr }, resource: resource.logicalId, offset }];
}

/** The verdict on a tokens setting, given the endpoint setting: nothing, or a violation to report. */
function judge(tokens: unknown, present: boolean, endpoint: unknown): Pick<Violation, 'messageId' | 'kind' | 'fixable'> | undefined {
  if (tokens === 'required') return undefined;
  if (present && tokens !== 'optional') return { messageId: 'tokensUnknown', kind: 'violation', fixable: false };
  // With the endpoint off nothing can reach IMDSv1, but EC2.8 looks at HttpTokens alone.
  if (endpoint === 'disabled') return { messageId: 'endpointDisabled', kind: 'unpinned', fixable: true };
  return { messageId: present ? 'tokensOptional' : 'tokensMissing', kind: 'violation', fixable: true };
}

export default defineSkill({
  meta: {
    id: 'ec2-imdsv2',
    title: 'EC2 instances require IMDSv2',
    controls: ['EC2.8', 'EC2.170'],
    configRules: ['ec2-imdsv2-check', 'ec2-launch-template-imdsv2-check'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'IMDSv1 requests stop working: software on the instances that reads instance metadata or credentials without a session token must use IMDSv2 (AWS SDKs and the CLI have done so since 2019).',
    messages: {
      tokensMissing:
        '{{resource}} does not set {{setting}}: IMDSv1 stays available unless the AMI defaults to IMDSv2. Set it to "required".',
      tokensOptional: '{{resource}} sets {{setting}} to "optional": IMDSv1 is available. EC2.8 requires "required".',
      tokensUnknown: '{{resource}} sets {{setting}} to {{expr}}, which cloudmend cannot evaluate; make sure it is "required".',
      endpointDisabled: '{{resource}} turns the metadata endpoint off, but EC2.8 checks {{setting}} alone: pin it to "required".',
      launchTemplate: '{{resource}} takes its metadata options from {{template}}, which does not require IMDSv2: fix it there.',
    },
  },

  terraform: {
    resourceTypes: ['aws_instance', 'aws_launch_template', 'aws_launch_configuration', `module:${EC2_MODULE}`],
    detect({ module, resource }) {
      const data = { resource: resource.address, setting: TF_SETTING };
      if (resource.mode === 'module') {
        const found = moduleTokens(module, resource);
        if (!found) return [];
        return [
          {
            messageId: 'tokensOptional',
            data,
            resource: resource.address,
            offset: found.offset,
            fixable: found.editable,
            kind: 'violation',
          },
        ];
      }
      return tfDetectOwn(module, resource);
    },
    fix({ module, resource }) {
      const file = resource.file;
      const note = `Set ${TF_SETTING} = "required" in ${resource.address}`;
      if (resource.mode === 'module') {
        const edit = moduleTokensEdit(module, resource);
        return { edits: edit ? [edit] : [], notes: [`${note}.`] };
      }
      const [options] = blocks(resource.block.body, 'metadata_options');
      const edit = options
        ? setAttribute(file, options, 'http_tokens', '"required"')
        : appendToBody(file, resource.block, newOptionsBlock(resource.block));
      return { edits: [edit], notes: [`${note}: ${TF_EFFECT[resource.type] ?? 'applies on the next apply'}.`] };
    },
  },

  cloudformation: {
    resourceTypes: Object.keys(CFN_PATHS),
    detect({ template, resource }) {
      return cfnDetectOwn(template, resource);
    },
    fix({ template, resource }) {
      const path = CFN_PATHS[resource.type] ?? [];
      return {
        edits: [setProperty(template, resource, [...path, 'HttpTokens'], 'required')],
        notes: [`Set ${CFN_SETTING} to required in ${resource.logicalId}: ${CFN_EFFECT[resource.type] ?? 'applies on the next update'}.`],
      };
    },
  },
});

/** A new `metadata_options` block, set apart by a blank line unless the body is empty. */
function newOptionsBlock(block: HclBlock): string[] {
  const lines = ['metadata_options {', '  http_tokens = "required"', '}'];
  return block.body.items.length > 0 ? ['', ...lines] : lines;
}
