/**
 * Opensearch.1 / ES.1 and Opensearch.3 / ES.3: OpenSearch Service domains (and legacy
 * Elasticsearch domains) encrypt data at rest and between nodes. Both are off by default. Any
 * OpenSearch version and Elasticsearch 6.7 or later turn them on in place (a blue/green
 * deployment, no data lost); older versions and T2/M3 instances cannot, so those are reported for
 * a person rather than fixed into a replacement or a failed update.
 */
import { cfnSettingRemedy, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';
import { domainFacts, encryptsInPlace, instanceEncrypts, type DomainFacts } from './domain.js';

function rule(resource: string, what: string): SettingRule {
  return {
    value: true,
    whenMissing: 'violation',
    note:
      `Turned on ${what} in ${resource}. OpenSearch Service applies it with a blue/green deployment (no data is lost; ` +
      'large domains take a while) and it cannot be turned off again.',
  };
}

/** Why the domain cannot take the fix in place, if it cannot. */
function blocker(facts: DomainFacts): { messageId: string; data: Record<string, string> } | undefined {
  const inPlace = encryptsInPlace(facts.version);
  if (inPlace === undefined) return { messageId: 'versionUnknown', data: {} };
  if (!inPlace) return { messageId: 'versionTooOld', data: { version: `${facts.version}${facts.versionDefault ? ' (the default)' : ''}` } };
  const instance = instanceEncrypts(facts.instanceType);
  if (instance === undefined) return { messageId: 'instanceUnknown', data: {} };
  if (!instance) return { messageId: 'instanceUnsupported', data: { instanceType: facts.instanceType ?? '' } };
  return undefined;
}

/** Fixable remedies turned into reports for a person when the domain cannot take them in place. */
function held(remedies: readonly Remedy[], facts: DomainFacts): Remedy[] {
  const why = blocker(facts);
  if (!why) return [...remedies];
  return remedies.map((r) =>
    r.violation.messageId !== 'settingUnknown'
      ? { violation: { ...r.violation, messageId: why.messageId, data: { ...r.violation.data, ...why.data }, fixable: false } }
      : r,
  );
}

function terraformRemedies(target: TfTarget): Remedy[] {
  const { module, resource } = target;
  const remedies = [
    ...tfSettingRemedy(module, resource, ['encrypt_at_rest', 'enabled'], rule(resource.address, 'encryption at rest')),
    ...tfSettingRemedy(module, resource, ['node_to_node_encryption', 'enabled'], rule(resource.address, 'node-to-node encryption')),
  ];
  return held(remedies, domainFacts(target));
}

function cloudFormationRemedies(target: CfnTarget): Remedy[] {
  const { template, resource } = target;
  const at = (path: string[], what: string) =>
    cfnSettingRemedy(template, resource, ['Properties', ...path], rule(resource.logicalId, what));
  const remedies = [
    ...at(['EncryptionAtRestOptions', 'Enabled'], 'encryption at rest'),
    ...at(['NodeToNodeEncryptionOptions', 'Enabled'], 'node-to-node encryption'),
  ];
  return held(remedies, domainFacts(target));
}

export default defineSkill({
  meta: {
    id: 'opensearch-domain-encryption',
    title: 'OpenSearch and Elasticsearch domains encrypt data at rest and between nodes',
    controls: ['Opensearch.1', 'Opensearch.3', 'ES.1', 'ES.3'],
    configRules: [
      'opensearch-encrypted-at-rest',
      'opensearch-node-to-node-encryption-check',
      'elasticsearch-encrypted-at-rest',
      'elasticsearch-node-to-node-encryption-check',
    ],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong: '{{setting}} is {{value}}: the domain keeps its data unencrypted on disk or between its nodes.',
      settingMissing: '{{setting}} is not set: OpenSearch Service encrypts neither at rest nor between nodes unless asked to.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
      versionTooOld:
        '{{setting}} is not on, and engine version {{version}} cannot turn it on in place: upgrade the domain to Elasticsearch 6.7 or later (or OpenSearch) first, or create a new encrypted domain and migrate the data.',
      versionUnknown:
        '{{setting}} is not on, and the engine version is an expression cloudmend cannot evaluate: on Elasticsearch before 6.7 turning it on needs a new domain; set it to true once the version is known to allow it.',
      instanceUnsupported:
        '{{setting}} is not on, and {{instanceType}} instances support neither encryption at rest nor node-to-node encryption: move the domain to a current instance type (t3, m5, r6g...) first, then set it to true.',
      instanceUnknown:
        '{{setting}} is not on, and the instance type is an expression cloudmend cannot evaluate: T2 and M3 instances cannot encrypt; set it to true on a current instance type.',
    },
  },

  terraform: {
    resourceTypes: ['aws_opensearch_domain', 'aws_elasticsearch_domain'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'],
    ...remedyRule(cloudFormationRemedies),
  },
});
