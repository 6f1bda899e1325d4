/**
 * ElastiCache.6 and ElastiCache.7, as suggestions. Redis OSS replication groups before 6.0 (which
 * cannot use role-based access control) need an AUTH token: a secret, which cloudmend never
 * writes. Clusters need a subnet group of their own rather than `default` (the default VPC's
 * subnets): which subnets is the team's choice, and changing it replaces the cluster.
 */
import { propertyAt, refersToResource, type CfnResource } from '../../iac/cloudformation/template.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, attrValue, refersTo } from '../../iac/terraform/module.js';
import { cfnEngineRole, tfEngineRole, type EngineRole } from '../elasticache-backups/engine.js';
import { remedyRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

/** What the code says of a resource, in either IaC kind (`undefined`: unset; `null`: not evaluable). */
interface Facts {
  readonly group: boolean;
  readonly role: EngineRole;
  readonly version: string | null | undefined;
  readonly authToken: boolean;
  readonly subnetGroup: string | null | undefined;
}

/** Redis OSS before 6.0 cannot use RBAC: ElastiCache.6 evaluates only those. Undefined: not evaluable. */
function beforeSix(version: string | null | undefined): boolean | undefined {
  if (version === undefined) return false;
  if (version === null) return undefined;
  const major = Number.parseInt(version, 10);
  return Number.isNaN(major) ? undefined : major < 6;
}

function remedies(facts: Facts, resource: string, offset: number): Remedy[] {
  // A Terraform cluster that joins a replication group has the group's subnets and AUTH.
  if (facts.role === 'member') return [];
  const report = (messageId: string, data?: Record<string, string>): Remedy => ({
    violation: { messageId, data, resource, offset, fixable: false, kind: 'violation' },
  });
  const found: Remedy[] = [];
  if (facts.group && facts.role === 'redis' && !facts.authToken) {
    const old = beforeSix(facts.version);
    if (old === true) found.push(report('authMissing', { version: facts.version ?? '' }));
    if (old === undefined) found.push(report('authVersionUnknown'));
  }
  if (facts.subnetGroup === undefined || facts.subnetGroup === 'default')
    found.push(
      report('defaultSubnetGroup', { how: facts.subnetGroup === undefined ? 'names no subnet group' : 'uses the default subnet group' }),
    );
  else if (facts.subnetGroup === null) found.push(report('subnetGroupUnknown'));
  return found;
}

function tfString(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const body = resource.block.body;
  const read = (name: string) => (attribute(body, name) === undefined ? undefined : tfString(attrValue(module, body, name)));
  const facts: Facts = {
    group: resource.type === 'aws_elasticache_replication_group',
    role: tfEngineRole(module, resource),
    version: read('engine_version'),
    authToken: attribute(body, 'auth_token') !== undefined,
    // A subnet group of this module is a custom one: `default` is reserved.
    subnetGroup: module.resources.some(
      (r) => r.type === 'aws_elasticache_subnet_group' && refersTo(attrExpr(body, 'subnet_group_name'), r.address),
    )
      ? 'custom'
      : read('subnet_group_name'),
  };
  return remedies(facts, resource.address, resource.block.span.start);
}

function cfnString(resource: CfnResource, name: string): string | null | undefined {
  const value = propertyAt(resource, ['Properties', name]);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const name = propertyAt(resource, ['Properties', 'CacheSubnetGroupName']);
  // A subnet group of this template is a custom one: `default` is reserved.
  const own = template.resources.some((r) => r.type === 'AWS::ElastiCache::SubnetGroup' && refersToResource(name, r.logicalId));
  const facts: Facts = {
    group: resource.type === 'AWS::ElastiCache::ReplicationGroup',
    role: cfnEngineRole(resource),
    version: cfnString(resource, 'EngineVersion'),
    authToken: propertyAt(resource, ['Properties', 'AuthToken']) !== undefined,
    subnetGroup: own ? 'custom' : cfnString(resource, 'CacheSubnetGroupName'),
  };
  return remedies(facts, resource.logicalId, resource.span.start);
}

export default defineSkill({
  meta: {
    id: 'elasticache-access',
    title: 'ElastiCache clusters use their own subnet groups, and Redis OSS groups before 6.0 require AUTH',
    controls: ['ElastiCache.6', 'ElastiCache.7'],
    configRules: ['elasticache-repl-grp-redis-auth-enabled', 'elasticache-subnet-group-check'],
    fixable: 'suggestion',
    risk: 'none',
    messages: {
      authMissing:
        'Redis OSS {{version}} cannot use role-based access control and this group sets no AUTH token: anyone who reaches it can run commands. Upgrade to 6.0 or later and attach user groups (user_group_ids / UserGroupIds), or set an AUTH token read from a secret (Secrets Manager; it needs encryption in transit), never a literal.',
      authVersionUnknown:
        'The engine version is an expression cloudmend cannot evaluate and the group sets no AUTH token: before Redis OSS 6.0, require AUTH with a token read from a secret.',
      defaultSubnetGroup:
        "The cluster {{how}}: it runs in the default VPC's subnets. Create a subnet group of private subnets for it (aws_elasticache_subnet_group / AWS::ElastiCache::SubnetGroup) and name it; changing it replaces the cluster, so plan the move with a backup.",
      subnetGroupUnknown: 'The subnet group is an expression cloudmend cannot evaluate: make sure it is not "default".',
    },
  },

  terraform: {
    resourceTypes: ['aws_elasticache_replication_group', 'aws_elasticache_cluster'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster'],
    ...remedyRule(cloudFormationRemedies),
  },
});
