/**
 * Which declared resource a configuration item is compared with: the one named, or else the only
 * resource of the item's type, or else the one whose physical name is the item's. Never a guess:
 * several equally good candidates are an error that lists them.
 */
import { evaluateString } from '../iac/cloudformation/evaluate.js';
import { propertyAt } from '../iac/cloudformation/template.js';
import { RESOURCE_MAP } from '../iac/resource-map.js';
import { addressOf, resourcesOf, typeOf, type Source, type SourceResource } from '../iac/source.js';
import { attrValue } from '../iac/terraform/module.js';
import { AmbiguousResourceError, DeclaredResourceNotFoundError, ResourceTypeMismatchError } from './errors.js';
import type { ConfigItem } from './item.js';
import type { DriftType } from './types.js';

function declaringTypes(source: Source, type: DriftType): readonly string[] {
  return source.kind === 'terraform' ? type.terraform : type.cloudformation;
}

function list(resources: readonly SourceResource[]): string {
  const names = resources.map(addressOf);
  return names.length > 8 ? `${names.slice(0, 8).join(', ')} and ${names.length - 8} more` : names.join(', ');
}

/** The physical names a resource declares, as far as they are static (defaults count: this only identifies). */
function namesOf(source: Source, r: SourceResource, item: ConfigItem): string[] {
  const mapping = RESOURCE_MAP[item.resourceType];
  const named = (source.kind === 'terraform' ? mapping?.terraform : mapping?.cloudformation)?.find((m) => m.type === typeOf(r));
  return (named?.names ?? []).flatMap((name): string[] => {
    if (name.startsWith('=')) return [name.slice(1)];
    if (source.kind === 'terraform' && r.kind === 'terraform') {
      const body = r.resource.block.body;
      const value = name === 'tags.Name' ? attrValue(source.module, body, 'tags') : attrValue(source.module, body, name);
      const v = name === 'tags.Name' && value && typeof value === 'object' && !Array.isArray(value) ? value.Name : value;
      return typeof v === 'string' ? [v] : [];
    }
    if (source.kind === 'cloudformation' && r.kind === 'cloudformation') {
      const pseudo = { account: item.accountId ?? '', region: item.region ?? '', partition: item.partition };
      if (name === 'tags.Name') {
        const tags = propertyAt(r.resource, ['Properties', 'Tags']);
        const tag = Array.isArray(tags) ? tags.find((t) => t && typeof t === 'object' && !Array.isArray(t) && t.Key === 'Name') : undefined;
        const v = tag && typeof tag === 'object' && !Array.isArray(tag) ? evaluateString(tag.Value, source.template, pseudo) : undefined;
        return v === undefined ? [] : [v];
      }
      const v = evaluateString(propertyAt(r.resource, ['Properties', name]), source.template, pseudo);
      return v === undefined ? [] : [v];
    }
    return [];
  });
}

function mismatch(r: SourceResource, item: ConfigItem, expected: readonly string[]): ResourceTypeMismatchError {
  const hint =
    typeOf(r) === 'AWS::IAM::Policy'
      ? " In CloudFormation, AWS::IAM::Policy is an inline policy: compare the role it is attached to with the role's configuration item."
      : '';
  return new ResourceTypeMismatchError(
    `${addressOf(r)} is ${typeOf(r)}, but the configuration item describes ${item.resourceType} ${item.resourceId}, declared as ${expected.join(' or ')}.${hint}`,
  );
}

/**
 * The declared resource to compare with `item`. `address` is a Terraform address or a
 * CloudFormation logical id; `preferFiles` narrows an automatic choice to the files the user named.
 */
export function selectResource(
  source: Source,
  type: DriftType,
  item: ConfigItem,
  address?: string,
  preferFiles?: readonly string[],
): SourceResource {
  const expected = declaringTypes(source, type);
  const all = resourcesOf(source);
  const candidates = all.filter((r) => expected.includes(typeOf(r)));
  if (address !== undefined) {
    const wanted = address.replace(/^resource\./, '');
    const found = all.find((r) => addressOf(r) === wanted);
    if (!found) {
      const others = candidates.length > 0 ? `; ${expected.join(' / ')} resources there: ${list(candidates)}` : '';
      throw new DeclaredResourceNotFoundError(`no resource ${JSON.stringify(address)} in the template${others}`);
    }
    if (!expected.includes(typeOf(found))) throw mismatch(found, item, expected);
    return found;
  }
  if (candidates.length === 0)
    throw new DeclaredResourceNotFoundError(
      `the template declares no ${expected.join(' or ')}, the type of ${item.resourceType} ${item.resourceId}`,
    );
  if (candidates.length === 1) return candidates[0] as SourceResource;
  const preferred = preferFiles ? candidates.filter((r) => r.kind === 'terraform' && preferFiles.includes(r.resource.file.path)) : [];
  if (preferred.length === 1) return preferred[0] as SourceResource;
  const ids = new Set([item.resourceId, item.resourceName, item.tags.Name].filter((v): v is string => typeof v === 'string'));
  const byName = (preferred.length > 1 ? preferred : candidates).filter((r) => namesOf(source, r, item).some((n) => ids.has(n)));
  if (byName.length === 1) return byName[0] as SourceResource;
  const pool = byName.length > 1 ? byName : candidates;
  throw new AmbiguousResourceError(
    `${pool.length} resources could be ${item.resourceType} ${item.resourceName ?? item.resourceId}: ${list(pool)}; pass --resource with one of them`,
  );
}
