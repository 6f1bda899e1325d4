/**
 * Opensearch.8 / ES.8: a domain's endpoint requires HTTPS with the latest TLS security policy,
 * `Policy-Min-TLS-1-2-PFS-2023-10` (the control's fixed parameter: the value it passes on, not a
 * guess). Clients on plain HTTP or older TLS lose access: the fix is an access change.
 */
import { propertyAt } from '../../iac/cloudformation/template.js';
import { setPropertyAt } from '../../iac/cloudformation/edit.js';
import { appendToBody } from '../../iac/terraform/edit.js';
import { blocks } from '../../iac/terraform/hcl-structure.js';
import { cfnSettingRemedy, editOrNothing, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

export const LATEST_TLS_POLICY = 'Policy-Min-TLS-1-2-PFS-2023-10';

const NOTE =
  'Clients must connect over HTTPS with TLS 1.2 and a forward-secret cipher: plain HTTP and older TLS clients are refused after this change.';

function rules(resource: string, httpsDefault: 'comply' | 'violation'): { https: SettingRule; tls: SettingRule } {
  return {
    https: { value: true, whenMissing: httpsDefault, note: `Required HTTPS on ${resource}. ${NOTE}` },
    tls: {
      value: LATEST_TLS_POLICY,
      whenMissing: 'violation',
      note: `Set the TLS security policy of ${resource} to ${LATEST_TLS_POLICY}. ${NOTE}`,
    },
  };
}

function missingBlock(resource: string, offset: number, edit: () => ReturnType<typeof appendToBody> | undefined): Remedy {
  const edits = editOrNothing(edit);
  return {
    violation: { messageId: 'endpointOptionsMissing', resource, offset, fixable: edits !== undefined, kind: 'violation' },
    edits: edits ? [edits] : undefined,
    note: `Required HTTPS with ${LATEST_TLS_POLICY} on ${resource}. ${NOTE}`,
  };
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const { block } = resource;
  const dynamic = blocks(block.body, 'dynamic').some((d) => d.labels[0] === 'domain_endpoint_options');
  if (!dynamic && blocks(block.body, 'domain_endpoint_options').length === 0) {
    const lines = [
      ...(block.body.items.length > 0 ? [''] : []),
      'domain_endpoint_options {',
      '  enforce_https       = true',
      `  tls_security_policy = "${LATEST_TLS_POLICY}"`,
      '}',
    ];
    return [missingBlock(resource.address, block.span.start, () => appendToBody(resource.file, block, lines))];
  }
  // Inside the block, the provider defaults enforce_https to true.
  const { https, tls } = rules(resource.address, 'comply');
  return [
    ...tfSettingRemedy(module, resource, ['domain_endpoint_options', 'enforce_https'], https),
    ...tfSettingRemedy(module, resource, ['domain_endpoint_options', 'tls_security_policy'], tls),
  ];
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const options = propertyAt(resource, ['Properties', 'DomainEndpointOptions']);
  if (options === undefined || options === null) {
    const value = { EnforceHTTPS: true, TLSSecurityPolicy: LATEST_TLS_POLICY };
    return [
      missingBlock(resource.logicalId, resource.span.start, () =>
        setPropertyAt(template, resource, ['Properties', 'DomainEndpointOptions'], value),
      ),
    ];
  }
  // EnforceHTTPS defaults to false.
  const { https, tls } = rules(resource.logicalId, 'violation');
  return [
    ...cfnSettingRemedy(template, resource, ['Properties', 'DomainEndpointOptions', 'EnforceHTTPS'], https),
    ...cfnSettingRemedy(template, resource, ['Properties', 'DomainEndpointOptions', 'TLSSecurityPolicy'], tls),
  ];
}

export default defineSkill({
  meta: {
    id: 'opensearch-https-tls',
    title: 'OpenSearch and Elasticsearch domains require HTTPS with the latest TLS security policy',
    controls: ['Opensearch.8', 'ES.8'],
    configRules: ['opensearch-https-required', 'elasticsearch-https-required'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'The domain endpoint then refuses plain HTTP and TLS older than 1.2 with forward secrecy: check that every client (Logstash, Fluent Bit, old SDKs, dashboards proxies) connects over HTTPS with TLS 1.2 before merging.',
    messages: {
      settingWrong: '{{setting}} is {{value}}: clients can reach the domain without encryption or with outdated TLS.',
      settingMissing: '{{setting}} is not set: the domain accepts outdated TLS (the default policy allows TLS 1.0) or plain HTTP.',
      settingUnknown:
        '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure HTTPS is enforced with ' +
        LATEST_TLS_POLICY +
        '.',
      endpointOptionsMissing:
        'The domain states no endpoint options: it accepts plain HTTP and TLS 1.0 unless HTTPS is enforced with the latest TLS security policy.',
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
