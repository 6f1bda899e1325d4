/**
 * What the RDS skills share: the registry modules they read, and which DB instances take a setting
 * from elsewhere (an Aurora cluster, a replication source) rather than from their own code.
 */
import { propertyAt, type CfnResource } from '../iac/cloudformation/template.js';
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { attribute } from '../iac/terraform/hcl-structure.js';
import { attrExpr, type TfModule, type TfResource } from '../iac/terraform/module.js';
import { accepted, tfString, type Remedy, type SettingRule } from './helpers.js';

export const RDS_MODULE = 'terraform-aws-modules/rds/aws';
export const AURORA_MODULE = 'terraform-aws-modules/rds-aurora/aws';

/** The DB instances and clusters Security Hub's RDS, DocumentDB and Neptune controls evaluate, with the modules that make them. */
export const TF_DATABASES = [
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_docdb_cluster',
  'aws_neptune_cluster',
  `module:${RDS_MODULE}`,
  `module:${AURORA_MODULE}`,
] as const;
export const CFN_DATABASES = ['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::DocDB::DBCluster', 'AWS::Neptune::DBCluster'] as const;

function set(module: TfModule, resource: TfResource, name: string): boolean {
  const attr = attribute(resource.block.body, name);
  return attr !== undefined && staticValue(readHclValue(attr.expr), module.resolve) !== null;
}

/** An instance of a cluster: `aws_rds_cluster_instance`, or an `aws_db_instance` with `cluster_identifier` or an `aurora*` engine. */
export function tfClusterMember(module: TfModule, resource: TfResource): boolean {
  return (
    resource.type === 'aws_rds_cluster_instance' ||
    set(module, resource, 'cluster_identifier') ||
    /^aurora/.test(tfString(module, resource.block.body, 'engine') ?? '')
  );
}

/** A read replica: `replicate_source_db` set. */
export function tfReplica(module: TfModule, resource: TfResource): boolean {
  return set(module, resource, 'replicate_source_db');
}

/** An `AWS::RDS::DBInstance` of a cluster: `DBClusterIdentifier` set, or an `aurora*` engine. */
export function cfnClusterMember(resource: CfnResource): boolean {
  const engine = propertyAt(resource, ['Properties', 'Engine']);
  return propertyAt(resource, ['Properties', 'DBClusterIdentifier']) != null || (typeof engine === 'string' && /^aurora/i.test(engine));
}

/** An `AWS::RDS::DBInstance` read replica: `SourceDBInstanceIdentifier` (or its resource id / cluster) set. */
export function cfnReplica(resource: CfnResource): boolean {
  return ['SourceDBInstanceIdentifier', 'SourceDbiResourceId', 'SourceDBClusterIdentifier'].some(
    (name) => propertyAt(resource, ['Properties', name]) != null,
  );
}

/**
 * The rds-aurora module's per-instance overrides of `name` (`instances = { one = { name = ... } }`)
 * that the rule does not accept. cloudmend does not edit inside an object expression, so each is
 * reported for a person: `instanceOverride` (data `instance`, `setting`, `value`) or
 * `instanceOverrideUnknown` (`instance`, `setting`).
 */
export function auroraInstanceOverrides(module: TfModule, resource: TfResource, name: string, rule: SettingRule): Remedy[] {
  const instances = attrExpr(resource.block.body, 'instances');
  if (instances?.type !== 'object') return [];
  return instances.entries.flatMap(({ key, value }): Remedy[] => {
    const setting = value.type === 'object' ? value.entries.find((e) => e.key === name) : undefined;
    if (!setting) return [];
    const state = staticValue(setting.value, module.resolve);
    if (state === null || (state !== undefined && accepted(rule, state))) return [];
    const known = state !== undefined;
    const data = { instance: key, setting: name, ...(known ? { value: JSON.stringify(state) } : {}) };
    const messageId = known ? 'instanceOverride' : 'instanceOverrideUnknown';
    return [
      { violation: { messageId, data, resource: resource.address, offset: resource.block.span.start, fixable: false, kind: 'violation' } },
    ];
  });
}
