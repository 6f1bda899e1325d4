/**
 * RDS.3, RDS.27, DocumentDB.1 and Neptune.1 in Terraform. `aws_db_instance`, `aws_rds_cluster`,
 * `aws_docdb_cluster` and `aws_neptune_cluster` default to unencrypted storage (an Aurora cluster in
 * `engine_mode = "serverless"` is always encrypted). An Aurora instance has no
 * encryption of its own: it is its cluster's. An instance restored from a snapshot, a replica or a
 * cluster joined to a global database inherits its encryption, so setting the flag there does not
 * encrypt anything: those are reported for a person.
 */
import { readHclValue, staticValue } from '../../iac/terraform/hcl-expr.js';
import { attribute, blocks, type HclBody } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, refersTo, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { minimumMajor, tfBooleanRemedy, tfSetting, tfString, type Remedy } from '../helpers.js';
import { AURORA_MODULE, tfClusterMember } from '../rds.js';
import type { TfTarget, Violation } from '../types.js';
import { replacementNote } from './notes.js';

/** Arguments that make an instance or a cluster take its encryption from elsewhere. */
const INSTANCE_SOURCES = ['replicate_source_db', 'snapshot_identifier', 'restore_to_point_in_time'];
const CLUSTER_SOURCES = [
  'snapshot_identifier',
  'replication_source_identifier',
  'global_cluster_identifier',
  'source_region',
  'restore_to_point_in_time',
];

/** The first of `names` set (to something other than null) as an argument or a nested block. */
function inheritedFrom(module: TfModule, body: HclBody, names: readonly string[]): string | undefined {
  return names.find((name) => {
    const attr = attribute(body, name);
    if (attr) return staticValue(readHclValue(attr.expr), module.resolve) !== null;
    return blocks(body, name).length > 0;
  });
}

/** The `aws_rds_cluster` an Aurora instance belongs to: by reference, or by a literal identifier. */
function clusterOf(module: TfModule, body: HclBody): TfResource | undefined {
  const clusters = module.resources.filter((r) => r.mode === 'resource' && r.type === 'aws_rds_cluster');
  const expr = attrExpr(body, 'cluster_identifier');
  const id = tfString(module, body, 'cluster_identifier');
  return (
    clusters.find((c) => refersTo(expr, c.address)) ??
    (id === undefined ? undefined : clusters.find((c) => tfString(module, c.block.body, 'cluster_identifier') === id))
  );
}

/** A serverless (v1) cluster is encrypted whatever it says; provisioned ones default to unencrypted. */
function serverless(module: TfModule, body: HclBody): boolean {
  return tfString(module, body, 'engine_mode') === 'serverless';
}

/** Whether a cluster's storage is encrypted, by what its code says. */
function clusterEncrypted(module: TfModule, cluster: TfResource): boolean {
  const state = tfSetting(module, cluster.block.body, 'storage_encrypted');
  return state === 'on' || (state === 'missing' && serverless(module, cluster.block.body));
}

function violation(resource: TfResource, messageId: string, data: Record<string, string>): Remedy {
  const v: Violation = {
    messageId,
    data,
    resource: resource.address,
    offset: resource.block.span.start,
    fixable: false,
    kind: 'violation',
  };
  return { violation: v };
}

/** The setting's remedies, turned into reports for a person when encryption comes from elsewhere. */
function settingRemedies(
  module: TfModule,
  resource: TfResource,
  whenMissing: 'comply' | 'violation',
  sources: readonly string[],
  what: 'instance' | 'cluster',
): Remedy[] {
  const remedies = tfBooleanRemedy(module, resource, resource.block, 'storage_encrypted', {
    required: true,
    whenMissing,
    note: replacementNote(resource.address, 'storage_encrypted', what),
  });
  const via = inheritedFrom(module, resource.block.body, sources);
  if (via === undefined) return remedies;
  return remedies.map((r) => ({ violation: { ...r.violation, messageId: 'inherited', data: { source: via }, fixable: false } }));
}

function auroraRemedies(module: TfModule, resource: TfResource): Remedy[] {
  const cluster = clusterOf(module, resource.block.body);
  if (!cluster)
    return [violation(resource, 'clusterNotFound', { cluster: attribute(resource.block.body, 'cluster_identifier')?.expr ?? 'none' })];
  return clusterEncrypted(module, cluster) ? [] : [violation(resource, 'clusterNotEncrypted', { cluster: cluster.address })];
}

function instanceRemedies(module: TfModule, resource: TfResource): Remedy[] {
  if (tfClusterMember(module, resource)) return auroraRemedies(module, resource);
  // A replica of an instance of this module is as encrypted as its source, which is checked on its own.
  const source = module.resources.find(
    (r) => r.type === 'aws_db_instance' && refersTo(attrExpr(resource.block.body, 'replicate_source_db'), r.address),
  );
  if (source && tfSetting(module, source.block.body, 'storage_encrypted') === 'on') return [];
  return settingRemedies(module, resource, 'violation', INSTANCE_SOURCES, 'instance');
}

/** Remedies for a Terraform target of the skill. */
export function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const body = resource.block.body;
  if (resource.mode === 'module') {
    // rds-aurora has defaulted to encrypted storage from its first releases; rds from v4.0.0.
    const defaultsOn = resource.type.endsWith(AURORA_MODULE) || (minimumMajor(tfString(module, body, 'version')) ?? 0) >= 4;
    const aurora = resource.type.endsWith(AURORA_MODULE);
    return settingRemedies(
      module,
      resource,
      defaultsOn ? 'comply' : 'violation',
      aurora ? CLUSTER_SOURCES : INSTANCE_SOURCES,
      aurora ? 'cluster' : 'instance',
    );
  }
  if (resource.type === 'aws_rds_cluster')
    return settingRemedies(module, resource, serverless(module, body) ? 'comply' : 'violation', CLUSTER_SOURCES, 'cluster');
  // DocumentDB and Neptune clusters are unencrypted unless asked, like provisioned Aurora ones.
  if (resource.type === 'aws_docdb_cluster' || resource.type === 'aws_neptune_cluster')
    return settingRemedies(module, resource, 'violation', CLUSTER_SOURCES, 'cluster');
  return instanceRemedies(module, resource);
}
