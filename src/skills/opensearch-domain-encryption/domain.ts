/**
 * What an OpenSearch Service domain can do in place, by its engine and instance type, in both
 * resource families: `aws_opensearch_domain` / `AWS::OpenSearchService::Domain` and the legacy
 * `aws_elasticsearch_domain` / `AWS::Elasticsearch::Domain`.
 */
import { cfnResolver } from '../../iac/cloudformation/resolve.js';
import { propertyAt, type CfnResource, type CfnTemplate } from '../../iac/cloudformation/template.js';
import { attrValue, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { attribute, blocks } from '../../iac/terraform/hcl-structure.js';
import { optionsOf } from '../../iac/values.js';

/** A domain's engine version and data instance type as the code states them (undefined: not evaluable). */
export interface DomainFacts {
  /** `OpenSearch_2.11`, `Elasticsearch_7.10` or, on the legacy types, `7.10`. */
  readonly version: string | undefined;
  /** True when the version is left to the default. */
  readonly versionDefault: boolean;
  /** Null when CloudFormation leaves it unstated (no documented default: not held against a fix). */
  readonly instanceType: string | null | undefined;
}

/** Legacy domains without a version run Elasticsearch 1.5 (provider and CloudFormation default). */
const LEGACY_DEFAULT_VERSION = '1.5';

function tfFacts(module: TfModule, resource: TfResource): DomainFacts {
  const body = resource.block.body;
  const legacy = resource.type === 'aws_elasticsearch_domain';
  const name = legacy ? 'elasticsearch_version' : 'engine_version';
  const set = attribute(body, name) !== undefined;
  const value = attrValue(module, body, name);
  const [cluster] = blocks(body, 'cluster_config');
  const type = cluster ? attrValue(module, cluster.body, 'instance_type') : undefined;
  const typeSet = cluster !== undefined && attribute(cluster.body, 'instance_type') !== undefined;
  return {
    version: !set ? (legacy ? LEGACY_DEFAULT_VERSION : 'OpenSearch_latest') : typeof value === 'string' ? value : undefined,
    versionDefault: !set,
    // The provider's default data instance is m3.medium.
    instanceType: !typeSet ? (legacy ? 'm3.medium.elasticsearch' : 'm3.medium.search') : typeof type === 'string' ? type : undefined,
  };
}

function cfnString(template: CfnTemplate, resource: CfnResource, path: readonly string[]): string | undefined | null {
  const value = propertyAt(resource, path);
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  const resolved = cfnResolver(template).resolve(value);
  const options = resolved === undefined ? [] : optionsOf(resolved);
  return options.length === 1 && typeof options[0] === 'string' ? options[0] : undefined;
}

function cfnFacts(template: CfnTemplate, resource: CfnResource): DomainFacts {
  const legacy = resource.type === 'AWS::Elasticsearch::Domain';
  const version = cfnString(template, resource, ['Properties', legacy ? 'ElasticsearchVersion' : 'EngineVersion']);
  const type = cfnString(template, resource, ['Properties', legacy ? 'ElasticsearchClusterConfig' : 'ClusterConfig', 'InstanceType']);
  return {
    version: version === null ? (legacy ? LEGACY_DEFAULT_VERSION : 'OpenSearch_latest') : version,
    versionDefault: version === null,
    // CloudFormation documents no default instance type: an unstated one is not held against the fix.
    instanceType: type,
  };
}

export function domainFacts(
  target: { module: TfModule; resource: TfResource } | { template: CfnTemplate; resource: CfnResource },
): DomainFacts {
  return 'module' in target ? tfFacts(target.module, target.resource) : cfnFacts(target.template, target.resource);
}

/**
 * Whether encryption at rest and node-to-node encryption can be turned on in place: any OpenSearch
 * version, Elasticsearch 6.7 or later (earlier versions need a new domain). Undefined: not evaluable.
 */
export function encryptsInPlace(version: string | undefined): boolean | undefined {
  if (version === undefined) return undefined;
  if (/^OpenSearch_/i.test(version)) return true;
  const m = /^(?:Elasticsearch_)?(\d+)\.(\d+)/i.exec(version);
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 6 || (major === 6 && minor >= 7);
}

/** Previous-generation T2 and M3 instances support neither encryption at rest nor node-to-node encryption. */
export function instanceEncrypts(instanceType: string | null | undefined): boolean | undefined {
  if (instanceType === undefined) return undefined;
  if (instanceType === null) return true;
  return !/^(t2|m3)\./i.test(instanceType);
}
