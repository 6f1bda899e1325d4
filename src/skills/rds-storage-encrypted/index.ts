/**
 * RDS.3 and RDS.27: DB instances and clusters encrypt their storage at rest, and so do DocumentDB
 * (DocumentDB.1) and Neptune (Neptune.1) clusters. Turning encryption on for an existing database
 * replaces it, so every fix says so and how to migrate the data; where encryption comes
 * from elsewhere (an Aurora cluster, a snapshot, a replication source) the skill points there.
 */
import { remedyRule } from '../helpers.js';
import { defineSkill } from '../types.js';
import { cloudFormationRemedies } from './cloudformation.js';
import { CFN_DATABASES, TF_DATABASES } from '../rds.js';
import { terraformRemedies } from './terraform.js';

export default defineSkill({
  meta: {
    id: 'rds-storage-encrypted',
    title: 'RDS DB instances and clusters (Aurora, DocumentDB, Neptune) encrypt their storage at rest',
    controls: ['RDS.3', 'RDS.27', 'DocumentDB.1', 'Neptune.1'],
    configRules: ['rds-storage-encrypted', 'rds-cluster-encrypted-at-rest', 'docdb-cluster-encrypted', 'neptune-cluster-encrypted'],
    fixable: 'code',
    risk: 'replacement',
    riskNote:
      'Encrypting existing storage replaces the DB instance or cluster with a new, empty one: snapshot it, copy the snapshot with encryption and restore from the encrypted copy (or migrate the data) before this change reaches a database that holds data.',
    rollback:
      'Before deploying, take a manual snapshot of the database (`aws rds create-db-snapshot` / `create-db-cluster-snapshot`) and keep it: a destroyed database does not come back by reverting this change. To roll back, restore that snapshot to a new instance or cluster and point the code at it (or import it), then revert.',
    messages: {
      settingWrong: '{{setting}} is {{value}}: the database, its backups, snapshots and replicas are stored unencrypted.',
      settingMissing: '{{setting}} is not set: the storage is unencrypted unless asked for.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
      inherited:
        'Storage encryption is not on, but it is inherited through {{source}} (a snapshot, a replication source or a global cluster): encrypt the source, through an encrypted snapshot copy, rather than this setting.',
      clusterNotEncrypted:
        'This Aurora instance is encrypted by its cluster, and {{cluster}} does not encrypt its storage: fix the cluster.',
      clusterNotFound:
        'This Aurora instance is encrypted by its cluster ({{cluster}}), which is not defined here: make sure that cluster encrypts its storage.',
    },
  },

  terraform: {
    resourceTypes: [...TF_DATABASES, 'aws_rds_cluster_instance'],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: CFN_DATABASES,
    ...remedyRule(cloudFormationRemedies),
  },

  cdk: {
    constructs: ['aws-cdk-lib.aws_rds.DatabaseInstance', 'aws-cdk-lib.aws_rds.DatabaseCluster'],
    fix: () => [{ name: 'storageEncrypted', value: true }],
  },
});
