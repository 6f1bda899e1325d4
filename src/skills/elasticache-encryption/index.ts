/**
 * ElastiCache.4 and ElastiCache.5: replication groups encrypt their data at rest and in transit.
 * Encryption at rest can only be chosen when a group is created: turning it on replaces the group
 * with a new, empty one. Encryption in transit is changed in place from Redis OSS 7.0.5 (and on
 * Valkey) through the `preferred` mode, which keeps plain connections working while clients move to
 * TLS; on earlier versions it replaces the group too.
 */
import { setPropertyAt } from '../../iac/cloudformation/edit.js';
import { propertyAt } from '../../iac/cloudformation/template.js';
import type { TextEdit } from '../../iac/edits.js';
import { appendToBody, setAttribute } from '../../iac/terraform/edit.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { attrValue } from '../../iac/terraform/module.js';
import { cfnSettingRemedy, editOrNothing, remedyRule, tfSettingRemedy, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

interface Group {
  readonly engine: unknown;
  readonly version: unknown;
  readonly global: unknown;
  readonly modeSet: boolean;
}

/** Valkey, or Redis OSS 7.0.5 and later (`7.0` is 7.0.7; no version is the latest): transit encryption changes in place. */
function transitInPlace(group: Group): boolean {
  if (typeof group.engine === 'string' && /^valkey$/i.test(group.engine)) return true;
  if (group.version === undefined || group.version === null) return true;
  if (typeof group.version !== 'string' && typeof group.version !== 'number') return false;
  const [major = 0, minor = 0, patch = 5] = String(group.version)
    .split('.')
    .map((p) => Number.parseInt(p, 10) || 0);
  return major > 7 || (major === 7 && (minor > 0 || patch >= 5));
}

/** Valkey groups are encrypted at rest by default; Redis OSS groups are not. */
function atRestDefault(group: Group): 'comply' | 'violation' {
  return typeof group.engine === 'string' && /^valkey$/i.test(group.engine) ? 'comply' : 'violation';
}

const AT_REST_NOTE = (resource: string) =>
  `Turned on encryption at rest in ${resource}. This REPLACES the replication group with a new, empty one: take a backup first and restore it into the new group (snapshot_name / SnapshotName), in a maintenance window.`;

function transitNote(resource: string, inPlace: boolean): string {
  return inPlace
    ? `Turned on encryption in transit in ${resource} in the preferred mode: clients can still connect without TLS. Once every client connects with TLS, set the mode to required.`
    : `Turned on encryption in transit in ${resource}. Before Redis OSS 7.0.5 this REPLACES the replication group with a new, empty one (upgrade to 7.0.5 or later first to change it in place), and clients must connect with TLS.`;
}

function atRest(group: Group, resource: string): SettingRule {
  return { value: true, whenMissing: atRestDefault(group), note: AT_REST_NOTE(resource) };
}

function transit(group: Group, resource: string): SettingRule {
  return { value: true, whenMissing: 'violation', note: transitNote(resource, transitInPlace(group)) };
}

/** In place, transit encryption is turned on in the `preferred` mode: the fix adds it to the same remedy when unset. */
function withMode(remedies: Remedy[], group: Group, mode: () => TextEdit | undefined): Remedy[] {
  if (group.modeSet || !transitInPlace(group)) return remedies;
  return remedies.map((r) => {
    const edit = r.edits ? editOrNothing(mode) : undefined;
    return edit ? { ...r, edits: [...(r.edits ?? []), edit] } : r;
  });
}

/** A member of a global datastore takes its encryption from it: only a person can change that. */
function global(remedies: Remedy[], group: Group): Remedy[] {
  if (group.global === undefined || group.global === null) return remedies;
  const data = { global: typeof group.global === 'string' ? group.global : 'of this group' };
  return remedies.map((r) => ({
    violation: { ...r.violation, messageId: 'globalGroup', data: { ...r.violation.data, ...data }, fixable: false },
  }));
}

function terraformRemedies({ module, resource }: TfTarget): Remedy[] {
  const { block } = resource;
  const body = block.body;
  const group: Group = {
    engine: attribute(body, 'engine') ? attrValue(module, body, 'engine') : 'redis',
    version: attribute(body, 'engine_version') ? (attrValue(module, body, 'engine_version') ?? '?') : undefined,
    global: attribute(body, 'global_replication_group_id') ? (attrValue(module, body, 'global_replication_group_id') ?? '?') : undefined,
    modeSet: attribute(body, 'transit_encryption_mode') !== undefined,
  };
  const transitRemedies = tfSettingRemedy(module, resource, ['transit_encryption_enabled'], transit(group, resource.address));
  const missing = attribute(body, 'transit_encryption_enabled') === undefined;
  // Both lines in one edit when both are new: two insertions at the end of the block would interleave with alignment.
  const both = () => appendToBody(resource.file, block, ['transit_encryption_enabled = true', 'transit_encryption_mode    = "preferred"']);
  const inTransit =
    missing && !group.modeSet && transitInPlace(group)
      ? transitRemedies.map((r) => (r.edits ? { ...r, edits: [both()] } : r))
      : withMode(transitRemedies, group, () => setAttribute(resource.file, block, 'transit_encryption_mode', '"preferred"'));
  return global(
    [...tfSettingRemedy(module, resource, ['at_rest_encryption_enabled'], atRest(group, resource.address)), ...inTransit],
    group,
  );
}

function cloudFormationRemedies({ template, resource }: CfnTarget): Remedy[] {
  const property = (name: string) => propertyAt(resource, ['Properties', name]);
  const group: Group = {
    engine: property('Engine') ?? 'redis',
    version: property('EngineVersion') === undefined ? undefined : property('EngineVersion'),
    global: property('GlobalReplicationGroupId') ?? undefined,
    modeSet: property('TransitEncryptionMode') !== undefined,
  };
  const inTransit = withMode(
    cfnSettingRemedy(template, resource, ['Properties', 'TransitEncryptionEnabled'], transit(group, resource.logicalId)),
    group,
    () => setPropertyAt(template, resource, ['Properties', 'TransitEncryptionMode'], 'preferred'),
  );
  return global(
    [...cfnSettingRemedy(template, resource, ['Properties', 'AtRestEncryptionEnabled'], atRest(group, resource.logicalId)), ...inTransit],
    group,
  );
}

export default defineSkill({
  meta: {
    id: 'elasticache-encryption',
    title: 'ElastiCache replication groups encrypt data at rest and in transit',
    controls: ['ElastiCache.4', 'ElastiCache.5'],
    configRules: ['elasticache-repl-grp-encrypted-at-rest', 'elasticache-repl-grp-encrypted-in-transit'],
    fixable: 'code',
    risk: 'replacement',
    riskNote:
      'Turning on encryption at rest (and, before Redis OSS 7.0.5, encryption in transit) REPLACES the replication group: it is destroyed with its data and created again empty, under the same name.',
    rollback:
      'Before deploying, take a manual backup of the replication group (`aws elasticache create-snapshot --replication-group-id ... --snapshot-name ...`) and keep it: to restore the data, or to roll back, create the group from that snapshot (`snapshot_name` / `SnapshotName`), then revert. Reverting alone brings no data back.',
    messages: {
      settingWrong: '{{setting}} is {{value}}: the replication group keeps its data (or its connections) unencrypted.',
      settingMissing: '{{setting}} is not set: Redis OSS replication groups encrypt neither at rest nor in transit unless asked to.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
      globalGroup:
        '{{setting}} is not on, and this replication group takes its encryption from global datastore {{global}}: encrypt the global datastore (a new one, migrating the data).',
    },
  },

  terraform: {
    resourceTypes: ['aws_elasticache_replication_group'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::ElastiCache::ReplicationGroup'],
    ...remedyRule(cloudFormationRemedies),
  },
});
