/**
 * CloudTrail.2: trail log files encrypted with a KMS key (SSE-KMS) rather than S3-managed keys.
 * Which key is a decision with consequences (its policy must let CloudTrail encrypt and every log
 * reader decrypt), so the fix only ever sets the key the team configured; without one, a finding
 * is a suggestion. A key declared next to the trail whose policy admits CloudTrail is mentioned in
 * that suggestion, never picked.
 */
import { isMap, isScalar } from 'yaml';
import { setProperty } from '../../iac/cloudformation/edit.js';
import { nodeAt, propertyAt, type CfnTemplate, type CfnValue } from '../../iac/cloudformation/template.js';
import { setAttribute } from '../../iac/terraform/edit.js';
import { readHclValue, type HclValue, type Resolver } from '../../iac/terraform/hcl-expr.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { hclString } from '../../iac/terraform/render.js';
import { parsePolicy, tfPolicy, type PolicyDocument } from '../policy-document.js';
import { defineSkill, type Violation } from '../types.js';

/** `set`: names a key. `empty`: no key, in the trail itself. `indirect`: no key, by a variable or local's default. */
type KeyState = 'set' | 'missing' | 'empty' | 'indirect' | 'unknown';

function tfKeyState(value: HclValue, resolve: Resolver, depth = 0): KeyState {
  if (depth > 20) return 'unknown';
  switch (value.type) {
    case 'literal':
      return typeof value.value === 'string' && value.value !== ''
        ? 'set'
        : value.value === '' || value.value === null
          ? 'empty'
          : 'unknown';
    case 'template':
      // An interpolated ARN (`arn:aws:kms:${var.region}:...`) names a key.
      return 'set';
    case 'reference': {
      // A resource attribute, or a variable without default: a key the caller or AWS supplies.
      const target = resolve(value.path);
      if (target === undefined) return 'set';
      const state = tfKeyState(target, resolve, depth + 1);
      return state === 'empty' ? 'indirect' : state;
    }
    default:
      return 'unknown';
  }
}

/** A `Ref` to a template parameter whose default is empty: the optional-key pattern, empty unless passed. */
function emptyParameter(t: CfnTemplate, name: string): boolean {
  return t.docs.some((doc) => {
    const parameter = doc.getIn(['Parameters', name], true);
    if (!isMap(parameter)) return false;
    const def = parameter.get('Default', true);
    return isScalar(def) && (def.value === '' || def.value === null);
  });
}

function cfnKeyState(t: CfnTemplate, value: CfnValue | undefined): KeyState {
  if (value === undefined) return 'missing';
  if (value === null || value === '') return 'empty';
  if (typeof value === 'string') return 'set';
  if (typeof value !== 'object' || Array.isArray(value)) return 'unknown';
  const ref = value.Ref;
  if (typeof ref === 'string') return emptyParameter(t, ref) ? 'indirect' : 'set';
  // Fn::If may resolve to AWS::NoValue; other functions (GetAtt, ImportValue, Sub...) name a key.
  return 'Fn::If' in value ? 'unknown' : 'set';
}

/** A key whose policy lets CloudTrail in: worth naming in a suggestion, never picked by the fix. */
function allowsCloudTrail(policy: PolicyDocument | undefined): boolean {
  return !!policy?.statements.some(
    (s) => s.effect === 'Allow' && typeof s.principal === 'object' && !!s.principal.Service?.includes('cloudtrail.amazonaws.com'),
  );
}

const STATES: Readonly<Record<string, string>> = { missing: 'not set', empty: 'empty' };

const RISK =
  'The key policy must allow cloudtrail.amazonaws.com to use the key (kms:GenerateDataKey*, kms:DescribeKey) for this trail, and everyone who reads the logs needs kms:Decrypt; otherwise log delivery stops or readers are denied.';

/** Violations of one trail's key setting. */
function violationsOf(
  trail: string,
  setting: string,
  state: KeyState,
  expr: string,
  key: string | undefined,
  candidates: readonly string[],
  offset: number,
): Violation[] {
  const v = (messageId: string, data: Record<string, string>, fixable: boolean): Violation[] => [
    { messageId, data, resource: trail, offset, fixable, kind: 'violation' },
  ];
  if (state === 'set') return [];
  if (state === 'unknown') return v('keyUnknown', { setting, expr }, false);
  if (state === 'indirect') return v('keyFromInput', { trail, setting, expr }, false);
  const hint = candidates.length > 0 ? ` (${candidates.join(', ')} lets CloudTrail use it: check whether it is meant for this trail)` : '';
  if (key === undefined) return v('noKeyConfigured', { trail, setting, state: STATES[state] ?? state, hint }, false);
  return v('noKey', { trail, setting, state: STATES[state] ?? state, key }, true);
}

function notes(trail: string, setting: string, key: string, terraform: boolean): string[] {
  const alias =
    terraform && key.includes(':alias/')
      ? [
          `CloudTrail reports the key ARN behind an alias, so with an alias ARN Terraform plans a change to ${setting} on every run: configure the key ARN if that happens.`,
        ]
      : [];
  return [`Set ${setting} of ${trail} to ${key}: log files are now encrypted with SSE-KMS. ${RISK}`, ...alias];
}

export default defineSkill({
  meta: {
    id: 'cloudtrail-kms',
    title: 'CloudTrail: log files encrypted with a KMS key',
    controls: ['CloudTrail.2'],
    configRules: ['cloud-trail-encryption-enabled'],
    fixable: 'code',
    options: ['cloudTrailKmsKeyId'],
    risk: 'access-change',
    riskNote: RISK,
    messages: {
      noKey:
        'Trail {{trail}} does not encrypt its log files with a KMS key ({{setting}} is {{state}}); the fix sets the configured key {{key}}.',
      noKeyConfigured:
        'Trail {{trail}} does not encrypt its log files with a KMS key ({{setting}} is {{state}}). Configure skills.cloudTrailKmsKeyId, or set {{setting}} to a key whose policy lets CloudTrail encrypt and log readers decrypt{{hint}}.',
      keyFromInput:
        'Trail {{trail}} takes {{setting}} from {{expr}}, which defaults to no key: pass a KMS key for it wherever the trail is deployed.',
      keyUnknown:
        '{{setting}} is set to {{expr}}, which cloudmend cannot evaluate; make sure it names a KMS key wherever the trail is deployed.',
    },
  },

  terraform: {
    resourceTypes: ['aws_cloudtrail'],
    detect({ module, resource, options }) {
      const attr = attribute(resource.block.body, 'kms_key_id');
      const state = attr ? tfKeyState(readHclValue(attr.expr), module.resolve) : 'missing';
      const keys = module.resources
        .filter((r) => r.mode === 'resource' && r.type === 'aws_kms_key')
        .filter((r) => {
          const policy = tfPolicy(module, r.block.body, 'policy');
          return policy?.form === 'static' || policy?.form === 'data-source' ? allowsCloudTrail(policy.document) : false;
        })
        .map((r) => r.address);
      return violationsOf(
        resource.address,
        'kms_key_id',
        state,
        `\`${attr?.expr ?? ''}\``,
        options.cloudTrailKmsKeyId,
        keys,
        attr?.span.start ?? resource.block.span.start,
      );
    },
    fix({ resource, options }) {
      const key = options.cloudTrailKmsKeyId;
      if (key === undefined) return { edits: [] };
      const { file, block } = resource;
      const edit = setAttribute(file, block, 'kms_key_id', hclString(key));
      return { edits: [edit], notes: notes(resource.address, 'kms_key_id', key, true) };
    },
  },

  cloudformation: {
    resourceTypes: ['AWS::CloudTrail::Trail'],
    detect({ template, resource, options }) {
      const path = ['Properties', 'KMSKeyId'];
      const value = propertyAt(resource, path);
      const state = cfnKeyState(template, value);
      const ref = value && typeof value === 'object' && !Array.isArray(value) ? value.Ref : undefined;
      const expr = typeof ref === 'string' ? `parameter ${ref}` : 'Fn::If';
      const keys = template.resources
        .filter((r) => r.type === 'AWS::KMS::Key' && allowsCloudTrail(parsePolicy(propertyAt(r, ['Properties', 'KeyPolicy']))))
        .map((r) => r.logicalId);
      return violationsOf(
        resource.logicalId,
        'KMSKeyId',
        state,
        expr,
        options.cloudTrailKmsKeyId,
        keys,
        nodeAt(resource, path)?.range?.[0] ?? resource.span.start,
      );
    },
    fix({ template, resource, options }) {
      const key = options.cloudTrailKmsKeyId;
      if (key === undefined) return { edits: [] };
      return {
        edits: [setProperty(template, resource, ['Properties', 'KMSKeyId'], key)],
        notes: notes(resource.logicalId, 'KMSKeyId', key, false),
      };
    },
  },
});
