/**
 * Which ElastiCache resources the Redis OSS / Valkey controls evaluate: replication groups (Redis
 * OSS unless they say otherwise) and cache clusters of those engines. Memcached is out of scope;
 * a Terraform cluster that joins a replication group takes its settings from the group, which is
 * checked on its own.
 */
import { propertyAt, type CfnResource } from '../../iac/cloudformation/template.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { attrValue, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import type { Remedy } from '../helpers.js';

/** `redis` (Redis OSS or Valkey), `memcached`, `member` (of a replication group) or `unknown` (not evaluable). */
export type EngineRole = 'redis' | 'memcached' | 'member' | 'unknown';

function roleOf(engine: unknown, missing: boolean, group: boolean): EngineRole {
  if (missing) return group ? 'redis' : 'unknown';
  if (typeof engine !== 'string') return 'unknown';
  if (/^(redis|valkey)$/i.test(engine)) return 'redis';
  return /^memcached$/i.test(engine) ? 'memcached' : 'unknown';
}

export function tfEngineRole(module: TfModule, resource: TfResource): EngineRole {
  const body = resource.block.body;
  const group = resource.type === 'aws_elasticache_replication_group';
  if (!group && attribute(body, 'replication_group_id') !== undefined) return 'member';
  return roleOf(attrValue(module, body, 'engine'), attribute(body, 'engine') === undefined, group);
}

export function cfnEngineRole(resource: CfnResource): EngineRole {
  const engine = propertyAt(resource, ['Properties', 'Engine']);
  return roleOf(engine, engine === undefined || engine === null, resource.type === 'AWS::ElastiCache::ReplicationGroup');
}

/**
 * What a Redis OSS / Valkey control says of a resource out of its scope: nothing for Memcached and
 * group members, an `engineUnknown` report when the engine cannot be evaluated; undefined when in scope.
 */
export function outOfScope(role: EngineRole, resource: string, offset: number): Remedy[] | undefined {
  if (role === 'redis') return undefined;
  if (role !== 'unknown') return [];
  return [{ violation: { messageId: 'engineUnknown', resource, offset, fixable: false, kind: 'violation' } }];
}
