/**
 * CloudFront.10: no deprecated SSL between edge locations and custom origins. The control fails a
 * custom origin whose `OriginSslProtocols` include SSLv3; the fix removes SSLv3 from the list and
 * keeps the TLS versions it names (TLSv1.2 when SSLv3 was the only one).
 */
import { setPropertyAt } from '../../iac/cloudformation/edit.js';
import { nodeAt, propertyAt } from '../../iac/cloudformation/template.js';
import type { TextEdit } from '../../iac/edits.js';
import { setAttribute } from '../../iac/terraform/edit.js';
import { attribute, blocks } from '../../iac/terraform/hcl-structure.js';
import { attrValue } from '../../iac/terraform/module.js';
import { renderHcl } from '../../iac/terraform/render.js';
import { editOrNothing, remedyRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget, type Violation } from '../types.js';

const DEPRECATED = 'SSLv3';

/** The remedy for one origin's protocol list: `literal` when it is written in place (else a person changes it). */
function remedy(
  resource: string,
  origin: string,
  value: unknown,
  literal: boolean,
  offset: number,
  edit: (list: string[]) => TextEdit,
): Remedy[] {
  const base = { resource, offset, kind: 'violation' as const };
  if (!Array.isArray(value) || !value.every((p) => typeof p === 'string')) {
    return [{ violation: { ...base, messageId: 'protocolsUnknown', data: { origin }, fixable: false } }];
  }
  if (!value.includes(DEPRECATED)) return [];
  const kept = value.filter((p) => p !== DEPRECATED);
  const list = kept.length > 0 ? kept : ['TLSv1.2'];
  const fix = literal ? editOrNothing(() => edit(list)) : undefined;
  const violation: Violation = { ...base, messageId: 'sslv3', data: { origin, protocols: value.join(', ') }, fixable: fix !== undefined };
  if (!fix) return [{ violation }];
  return [
    {
      violation,
      edits: [fix],
      note: `Removed SSLv3 from the origin SSL protocols of origin ${origin} of ${resource} (now ${list.join(', ')}): the origin must accept one of those.`,
    },
  ];
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  return blocks(resource.block.body, 'origin').flatMap((origin) =>
    blocks(origin.body, 'custom_origin_config').flatMap((config) => {
      const attr = attribute(config.body, 'origin_ssl_protocols');
      if (!attr) return [];
      const id = attrValue(module, origin.body, 'origin_id');
      return remedy(
        resource.address,
        typeof id === 'string' ? id : '?',
        attrValue(module, config.body, 'origin_ssl_protocols'),
        attr.expr.trim().startsWith('['),
        attr.span.start,
        (list) => setAttribute(resource.file, config, 'origin_ssl_protocols', renderHcl(list)),
      );
    }),
  );
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const originsPath = ['Properties', 'DistributionConfig', 'Origins'];
  const origins = propertyAt(resource, originsPath);
  if (!Array.isArray(origins)) return [];
  return origins.flatMap((origin, i) => {
    const path = [...originsPath, i, 'CustomOriginConfig', 'OriginSSLProtocols'];
    const value = propertyAt(resource, path);
    if (value === undefined || value === null) return [];
    const id = origin && typeof origin === 'object' && !Array.isArray(origin) && typeof origin.Id === 'string' ? origin.Id : String(i);
    return remedy(resource.logicalId, id, value, Array.isArray(value), nodeAt(resource, path)?.range?.[0] ?? resource.span.start, (list) =>
      setPropertyAt(template, resource, path, list),
    );
  });
}

export default defineSkill({
  meta: {
    id: 'cloudfront-origin-tls',
    title: 'CloudFront distributions: no SSLv3 to custom origins',
    controls: ['CloudFront.10'],
    configRules: ['cloudfront-no-deprecated-ssl-protocols'],
    fixable: 'code',
    risk: 'none',
    messages: {
      sslv3: 'Origin {{origin}} allows {{protocols}} between CloudFront and the origin: SSLv3 is broken (POODLE) and deprecated.',
      protocolsUnknown:
        'The SSL protocols of origin {{origin}} are an expression cloudmend cannot evaluate; make sure they do not include SSLv3.',
    },
  },

  terraform: {
    resourceTypes: ['aws_cloudfront_distribution'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::CloudFront::Distribution'],
    ...remedyRule(cloudFormationRemedies),
  },
});
