/**
 * KMS keys: automatic rotation, enabled state, key policy, description and tags. Config records
 * rotation as `supplementaryConfiguration.KeyRotationStatus`; it does not usually record the key
 * policy, which is then reported as not recorded rather than compared.
 */
import type { Declaration } from '../declaration.js';
import type { ConfigItem } from '../item.js';
import { pick } from '../partial.js';
import type { DriftType, Fact, Spec } from '../types.js';
import { declaredTags, liveTags, put, secureWhenTrue, TAGS_SPEC, toBool } from './common.js';

const specs: Spec[] = [
  {
    kind: 'scalar',
    path: 'keyRotation',
    label: 'KMS automatic key rotation',
    category: 'encryption',
    normalize: toBool,
    weakens: secureWhenTrue,
  },
  // A disabled key breaks decryption (availability), it does not expose data.
  { kind: 'scalar', path: 'enabled', label: 'KMS key enabled', category: 'encryption', normalize: toBool },
  { kind: 'policy', path: 'keyPolicy', label: 'key policy' },
  { kind: 'scalar', path: 'description', label: 'KMS key description' },
  TAGS_SPEC,
];

function declared(d: Declaration): Record<string, Fact> {
  const tf = d.kind === 'terraform';
  const facts: Record<string, Fact> = {};
  put(facts, 'keyRotation', tf ? d.props.enable_key_rotation : d.props.EnableKeyRotation);
  put(facts, 'enabled', tf ? d.props.is_enabled : d.props.Enabled);
  put(facts, 'keyPolicy', tf ? d.props.policy : d.props.KeyPolicy);
  put(facts, 'description', tf ? d.props.description : d.props.Description);
  put(facts, 'tags', declaredTags(d));
  return facts;
}

function live(item: ConfigItem): Record<string, Fact> {
  const s = item.supplementary;
  const facts: Record<string, Fact> = { tags: liveTags(item) };
  put(facts, 'keyRotation', pick(s, 'KeyRotationStatus') ?? pick(item.configuration, 'keyRotationEnabled'));
  put(facts, 'enabled', pick(item.configuration, 'enabled'));
  put(facts, 'keyPolicy', pick(s, 'KeyPolicy') ?? pick(s, 'Policy') ?? pick(item.configuration, 'keyPolicy'));
  put(facts, 'description', pick(item.configuration, 'description'));
  return facts;
}

export const kmsKeyType: DriftType = {
  configType: 'AWS::KMS::Key',
  terraform: ['aws_kms_key'],
  cloudformation: ['AWS::KMS::Key'],
  specs,
  declared,
  live,
};
