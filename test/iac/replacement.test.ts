import { describe, expect, it } from 'vitest';
import {
  conditionalReplacementAttributes,
  forcesReplacement,
  isKnownResourceType,
  mayForceReplacement,
  replacementAttributes,
  replacementTableSource,
} from '../../src/iac/replacement/index.js';
import type { ChangePath, IacKind } from '../../src/iac/replacement/index.js';
import cloudformationTable from '../../src/iac/replacement/replacement-cloudformation.json' with { type: 'json' };
import terraformTable from '../../src/iac/replacement/replacement-terraform-aws.json' with { type: 'json' };

// What the sources say (provider source at v6.0.0 / 5.46.0 checked against the 5.100.0 schema;
// cfn-lint 1.51.0 schemas), including where it differs from folklore: aws_db_instance.identifier
// has been updatable (renames in place) since provider 5.0, and engine is still ForceNew.
const replaces: Array<[IacKind, string, ChangePath]> = [
  ['terraform', 'aws_db_instance', ['storage_encrypted']],
  ['terraform', 'aws_db_instance', ['kms_key_id']],
  ['terraform', 'aws_db_instance', ['availability_zone']],
  ['terraform', 'aws_db_instance', ['engine']],
  ['terraform', 'aws_db_instance', ['username']],
  ['terraform', 'aws_rds_cluster', ['storage_encrypted']],
  ['terraform', 'aws_ebs_volume', ['encrypted']],
  ['terraform', 'aws_ebs_volume', ['kms_key_id']],
  ['terraform', 'aws_ebs_volume', ['availability_zone']],
  ['terraform', 'aws_efs_file_system', ['encrypted']],
  ['terraform', 'aws_instance', ['root_block_device', 0, 'encrypted']],
  ['terraform', 'aws_instance', ['ebs_block_device', 2, 'kms_key_id']],
  ['terraform', 'aws_s3_bucket', ['bucket']],
  ['terraform', 'aws_ecr_repository', ['encryption_configuration']],
  ['terraform', 'aws_ecr_repository', ['encryption_configuration', 0, 'kms_key']],
  ['terraform', 'aws_security_group', ['name']],
  ['terraform', 'aws_security_group', ['description']],
  ['terraform', 'aws_instance', ['root_block_device']], // a whole block written: may change encrypted
  ['cloudformation', 'AWS::RDS::DBInstance', ['Properties', 'StorageEncrypted']],
  ['cloudformation', 'AWS::RDS::DBInstance', ['Properties', 'DBInstanceIdentifier']],
  ['cloudformation', 'AWS::RDS::DBInstance', ['Properties', 'KmsKeyId']],
  ['cloudformation', 'AWS::S3::Bucket', ['Properties', 'BucketName']],
  ['cloudformation', 'AWS::EFS::FileSystem', ['Properties', 'Encrypted']],
  ['cloudformation', 'AWS::DynamoDB::Table', ['Properties', 'TableName']],
];

const keeps: Array<[IacKind, string, ChangePath]> = [
  ['terraform', 'aws_s3_bucket', ['tags']],
  ['terraform', 'aws_db_instance', ['deletion_protection']],
  ['terraform', 'aws_db_instance', ['identifier']],
  ['terraform', 'aws_instance', ['instance_type']],
  ['terraform', 'aws_instance', ['root_block_device', 0, 'volume_size']],
  ['terraform', 'aws_rds_cluster', ['backup_retention_period']],
  ['cloudformation', 'AWS::S3::Bucket', ['Properties', 'VersioningConfiguration']],
  ['cloudformation', 'AWS::S3::Bucket', ['Properties', 'BucketEncryption', 'ServerSideEncryptionConfiguration', 0]],
  // The EC2 volume schema has no createOnly property: CloudFormation modifies Encrypted in place.
  ['cloudformation', 'AWS::EC2::Volume', ['Properties', 'Encrypted']],
  ['cloudformation', 'AWS::RDS::DBInstance', ['DeletionPolicy']],
  ['terraform', 'aws_not_a_type', ['name']],
];

describe('replacement tables', () => {
  it.each(replaces)('says %s %s %j forces replacement', (kind, type, path) => {
    expect(forcesReplacement(kind, type, path)).toBe(true);
  });

  it.each(keeps)('says %s %s %j does not force replacement', (kind, type, path) => {
    expect(forcesReplacement(kind, type, path)).toBe(false);
  });

  it('keeps conditional replacement apart from replacement', () => {
    expect(conditionalReplacementAttributes('terraform', 'aws_instance')).toContain('instance_type');
    expect(mayForceReplacement('terraform', 'aws_instance', ['instance_type'])).toBe(true);
    expect(mayForceReplacement('terraform', 'aws_instance', ['tags'])).toBe(false);
    expect(conditionalReplacementAttributes('cloudformation', 'AWS::RDS::DBInstance')).toContain('Engine');
    expect(forcesReplacement('cloudformation', 'AWS::RDS::DBInstance', ['Properties', 'Engine'])).toBe(false);
  });

  it('says a change may replace when the source names its attribute only at plan time', () => {
    expect(conditionalReplacementAttributes('terraform', 'aws_vpc_security_group_ingress_rule')).toContain('*');
    expect(mayForceReplacement('terraform', 'aws_vpc_security_group_ingress_rule', ['cidr_ipv4'])).toBe(true);
  });

  it('matches array items of CloudFormation paths written with *', () => {
    const type = 'AWS::MSK::Replicator';
    expect(replacementAttributes('cloudformation', type)).toContain('ReplicationInfoList.*.SourceKafkaClusterArn');
    const item: ChangePath = ['Properties', 'ReplicationInfoList', 3, 'SourceKafkaClusterArn'];
    expect(forcesReplacement('cloudformation', type, item)).toBe(true);
  });

  it('lists the paths of a type as the source writes them', () => {
    expect([...replacementAttributes('terraform', 'aws_ebs_volume')]).toEqual(
      expect.arrayContaining(['encrypted', 'kms_key_id', 'snapshot_id']),
    );
    expect(replacementAttributes('terraform', 'aws_instance')).toContain('root_block_device.encrypted');
    expect(replacementAttributes('terraform', 'aws_s3_bucket')).not.toContain('tags');
    expect(replacementAttributes('terraform', 'constructor').size).toBe(0);
  });

  it('loads both tables with every type of their sources', () => {
    // terraform: the 1,526 resource types of provider 5.100.0; cloudformation: 1,617 types.
    for (const [kind, types, known, unknown] of [
      ['terraform', 1500, 'aws_s3_bucket', 'aws_not_a_type'],
      ['cloudformation', 1600, 'AWS::S3::Bucket', 'AWS::Not::AType'],
    ] as const) {
      expect(isKnownResourceType(kind, known)).toBe(true);
      expect(isKnownResourceType(kind, unknown)).toBe(false);
      expect(isKnownResourceType(kind, 'toString')).toBe(false);
      expect(replacementTableSource(kind)).toMatch(/generate-replacement-tables/);
      const count = Object.keys((kind === 'terraform' ? terraformTable : cloudformationTable).replace).length;
      expect(count).toBeGreaterThan(types);
    }
  });
});
