/**
 * RDS.3, RDS.27, DocumentDB.1 and Neptune.1 in CloudFormation: the same reading as in Terraform.
 * `StorageEncrypted` defaults to false on `AWS::RDS::DBInstance`, `AWS::RDS::DBCluster` (true for
 * `EngineMode: serverless`), `AWS::DocDB::DBCluster` and `AWS::Neptune::DBCluster`; Aurora
 * instances are encrypted by their cluster; restored, replicated and global-database members
 * inherit their encryption.
 */
import { propertyAt, refersToResource, type CfnResource, type CfnTemplate } from '../../iac/cloudformation/template.js';
import { cfnBooleanRemedy, cfnSetting, type Remedy } from '../helpers.js';
import type { CfnTarget } from '../types.js';
import { replacementNote } from './notes.js';

const INSTANCE_SOURCES = ['SourceDBInstanceIdentifier', 'SourceDbiResourceId', 'SourceDBClusterIdentifier', 'DBSnapshotIdentifier'];
const CLUSTER_SOURCES = ['SnapshotIdentifier', 'SourceDBClusterIdentifier', 'ReplicationSourceIdentifier', 'GlobalClusterIdentifier'];
const ENCRYPTED = ['Properties', 'StorageEncrypted'];

function property(resource: CfnResource, name: string): unknown {
  return propertyAt(resource, ['Properties', name]);
}

function serverless(resource: CfnResource): boolean {
  return property(resource, 'EngineMode') === 'serverless';
}

function encrypted(resource: CfnResource): boolean {
  const state = cfnSetting(resource, ENCRYPTED);
  return state === 'on' || (state === 'missing' && resource.type === 'AWS::RDS::DBCluster' && serverless(resource));
}

/** The resource of the template a property refers to (`!Ref Cluster`, `!GetAtt Db.Arn`), or names by its identifier. */
function referenced(template: CfnTemplate, value: unknown, type: string, identifierProperty: string): CfnResource | undefined {
  const candidates = template.resources.filter((r) => r.type === type);
  return (
    candidates.find((r) => refersToResource(value as never, r.logicalId)) ??
    (typeof value === 'string' ? candidates.find((r) => property(r, identifierProperty) === value) : undefined)
  );
}

function report(resource: CfnResource, messageId: string, data: Record<string, string>): Remedy {
  return { violation: { messageId, data, resource: resource.logicalId, offset: resource.span.start, fixable: false, kind: 'violation' } };
}

function settingRemedies(
  template: CfnTemplate,
  resource: CfnResource,
  whenMissing: 'comply' | 'violation',
  sources: readonly string[],
  what: 'instance' | 'cluster',
): Remedy[] {
  const remedies = cfnBooleanRemedy(template, resource, ENCRYPTED, {
    required: true,
    whenMissing,
    note: replacementNote(resource.logicalId, 'StorageEncrypted', what),
  });
  const via = sources.find((s) => property(resource, s) !== undefined);
  if (via === undefined) return remedies;
  return remedies.map((r) => ({ violation: { ...r.violation, messageId: 'inherited', data: { source: via }, fixable: false } }));
}

function instanceRemedies(template: CfnTemplate, resource: CfnResource): Remedy[] {
  const clusterId = property(resource, 'DBClusterIdentifier');
  const engine = property(resource, 'Engine');
  if (clusterId !== undefined || (typeof engine === 'string' && /^aurora/i.test(engine))) {
    const cluster = referenced(template, clusterId, 'AWS::RDS::DBCluster', 'DBClusterIdentifier');
    if (!cluster) return [report(resource, 'clusterNotFound', { cluster: JSON.stringify(clusterId ?? 'none') })];
    return encrypted(cluster) ? [] : [report(resource, 'clusterNotEncrypted', { cluster: cluster.logicalId })];
  }
  // A replica of an instance of this template is as encrypted as its source, which is checked on its own.
  const source = referenced(template, property(resource, 'SourceDBInstanceIdentifier'), 'AWS::RDS::DBInstance', 'DBInstanceIdentifier');
  if (source && encrypted(source)) return [];
  return settingRemedies(template, resource, 'violation', INSTANCE_SOURCES, 'instance');
}

/** Remedies for a CloudFormation target of the skill. */
export function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  if (resource.type === 'AWS::RDS::DBCluster')
    return settingRemedies(template, resource, serverless(resource) ? 'comply' : 'violation', CLUSTER_SOURCES, 'cluster');
  if (resource.type === 'AWS::DocDB::DBCluster' || resource.type === 'AWS::Neptune::DBCluster')
    return settingRemedies(template, resource, 'violation', CLUSTER_SOURCES, 'cluster');
  return instanceRemedies(template, resource);
}
