/**
 * The Security Hub controls cloudmend knows: id, severity, the resource types they evaluate and
 * the AWS Config rules behind them. Config compliance events name a rule, not a control; this
 * table turns one into the other, and skills declare which of these controls they answer.
 *
 * Titles and rules follow the Security Hub user guide (consolidated control ids). A control with
 * no Config rule is evaluated by Security Hub itself.
 */
import { parseSeverityLabel, type SeverityLabel } from './severity.js';

export interface Control {
  readonly id: string;
  readonly title: string;
  readonly severity: SeverityLabel;
  /** CloudFormation / Config resource types; `AWS::::Account` for account-level controls. */
  readonly resourceTypes: readonly string[];
  /** Config rule identifiers in lower-kebab form, as they appear in Security Hub's rule names. */
  readonly configRules: readonly string[];
}

const ACCOUNT = 'AWS::::Account';

// [id, severity, resource types, Config rules, title]; '|' separates several values.
const ROWS: ReadonlyArray<readonly [string, string, string, string, string]> = [
  ['AutoScaling.1', 'Low', 'AWS::AutoScaling::AutoScalingGroup', 'autoscaling-group-elb-healthcheck-required', 'Auto Scaling groups associated with a load balancer should use ELB health checks'],
  ['CloudFormation.1', 'Low', 'AWS::CloudFormation::Stack', 'cloudformation-stack-notification-check', 'CloudFormation stacks should be integrated with Simple Notification Service (SNS)'],
  ['CloudFront.1', 'Critical', 'AWS::CloudFront::Distribution', 'cloudfront-default-root-object-configured', 'CloudFront distributions should have a default root object configured'],
  ['CloudTrail.1', 'High', ACCOUNT, 'multi-region-cloudtrail-enabled', 'CloudTrail should be enabled and configured with at least one multi-Region trail that includes read and write management events'],
  ['CloudTrail.2', 'Medium', 'AWS::CloudTrail::Trail', 'cloud-trail-encryption-enabled', 'CloudTrail should have encryption at-rest enabled'],
  ['CloudTrail.3', 'High', ACCOUNT, 'cloudtrail-enabled', 'CloudTrail should be enabled'],
  ['CloudTrail.4', 'Low', 'AWS::CloudTrail::Trail', 'cloud-trail-log-file-validation-enabled', 'CloudTrail log file validation should be enabled'],
  ['CloudTrail.5', 'Low', 'AWS::CloudTrail::Trail', 'cloud-trail-cloud-watch-logs-enabled', 'CloudTrail trails should be integrated with Amazon CloudWatch Logs'],
  ['CloudTrail.6', 'Critical', 'AWS::S3::Bucket', '', 'Ensure the S3 bucket used to store CloudTrail logs is not publicly accessible'],
  ['CloudTrail.7', 'Low', 'AWS::S3::Bucket', '', 'Ensure S3 bucket access logging is enabled on the CloudTrail S3 bucket'],
  ['CodeBuild.1', 'Critical', 'AWS::CodeBuild::Project', 'codebuild-project-source-repo-url-check', 'CodeBuild Bitbucket source repository URLs should not contain sensitive credentials'],
  ['CodeBuild.2', 'Critical', 'AWS::CodeBuild::Project', 'codebuild-project-envvar-awscred-check', 'CodeBuild project environment variables should not contain clear text credentials'],
  ['CodeBuild.5', 'High', 'AWS::CodeBuild::Project', 'codebuild-project-environment-privileged-check', 'CodeBuild project environments should not have privileged mode enabled'],
  ['Config.1', 'Medium', ACCOUNT, '', 'AWS Config should be enabled'],
  ['DynamoDB.1', 'Medium', 'AWS::DynamoDB::Table', 'dynamodb-autoscaling-enabled', 'DynamoDB tables should automatically scale capacity with demand'],
  ['DynamoDB.2', 'Medium', 'AWS::DynamoDB::Table', 'dynamodb-pitr-enabled', 'DynamoDB tables should have point-in-time recovery enabled'],
  ['DynamoDB.3', 'Medium', 'AWS::DAX::Cluster', 'dax-encryption-enabled', 'DynamoDB Accelerator (DAX) clusters should be encrypted at rest'],
  ['DynamoDB.4', 'Medium', 'AWS::DynamoDB::Table', 'dynamodb-resources-protected-by-backup-plan', 'DynamoDB tables should be covered by a backup plan'],
  ['EC2.1', 'Critical', ACCOUNT, 'ebs-snapshot-public-restorable-check', 'Amazon EBS snapshots should not be publicly restorable'],
  ['EC2.2', 'High', 'AWS::EC2::SecurityGroup', 'vpc-default-security-group-closed', 'VPC default security groups should not allow inbound or outbound traffic'],
  ['EC2.3', 'Medium', 'AWS::EC2::Volume', 'encrypted-volumes', 'Attached Amazon EBS volumes should be encrypted at-rest'],
  ['EC2.4', 'Medium', 'AWS::EC2::Instance', 'ec2-stopped-instance', 'Stopped EC2 instances should be removed after a specified time period'],
  ['EC2.6', 'Medium', 'AWS::EC2::VPC', 'vpc-flow-logs-enabled', 'VPC flow logging should be enabled in all VPCs'],
  ['EC2.7', 'Medium', ACCOUNT, 'ec2-ebs-encryption-by-default', 'EBS default encryption should be enabled'],
  ['EC2.8', 'High', 'AWS::EC2::Instance', 'ec2-imdsv2-check', 'EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)'],
  ['EC2.9', 'High', 'AWS::EC2::Instance', 'ec2-instance-no-public-ip', 'Amazon EC2 instances should not have a public IPv4 address'],
  ['EC2.10', 'Medium', 'AWS::EC2::VPC', 'service-vpc-endpoint-enabled', 'Amazon EC2 should be configured to use VPC endpoints that are created for the Amazon EC2 service'],
  ['EC2.12', 'Low', 'AWS::EC2::EIP', 'eip-attached', 'Unused Amazon EC2 EIPs should be removed'],
  ['EC2.13', 'High', 'AWS::EC2::SecurityGroup', 'restricted-ssh', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22'],
  ['EC2.14', 'High', 'AWS::EC2::SecurityGroup', 'restricted-common-ports', 'Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389'],
  ['EC2.15', 'Medium', 'AWS::EC2::Subnet', 'subnet-auto-assign-public-ip-disabled', 'Amazon EC2 subnets should not automatically assign public IP addresses'],
  ['EC2.16', 'Low', 'AWS::EC2::NetworkAcl', 'vpc-network-acl-unused-check', 'Unused Network Access Control Lists should be removed'],
  ['EC2.17', 'Low', 'AWS::EC2::Instance', 'ec2-instance-multiple-eni-check', 'Amazon EC2 instances should not use multiple ENIs'],
  ['EC2.18', 'High', 'AWS::EC2::SecurityGroup', 'vpc-sg-open-only-to-authorized-ports', 'Security groups should only allow unrestricted incoming traffic for authorized ports'],
  ['EC2.19', 'Critical', 'AWS::EC2::SecurityGroup', 'vpc-sg-restricted-common-ports', 'Security groups should not allow unrestricted access to ports with high risk'],
  ['EC2.20', 'Medium', 'AWS::EC2::VPNConnection', 'vpc-vpn-2-tunnels-up', 'Both VPN tunnels for an AWS Site-to-Site VPN connection should be up'],
  ['EC2.21', 'Medium', 'AWS::EC2::NetworkAcl', 'nacl-no-unrestricted-ssh-rdp', 'Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389'],
  ['EC2.22', 'Medium', 'AWS::EC2::SecurityGroup', 'ec2-security-group-attached-to-eni-periodic', 'Unused Amazon EC2 security groups should be removed'],
  ['EC2.23', 'High', 'AWS::EC2::TransitGateway', 'ec2-transit-gateway-auto-vpc-attach-disabled', 'Amazon EC2 Transit Gateways should not automatically accept VPC attachment requests'],
  ['EC2.24', 'Medium', 'AWS::EC2::Instance', 'ec2-paravirtual-instance-check', 'Amazon EC2 paravirtual instance types should not be used'],
  ['EC2.25', 'High', 'AWS::EC2::LaunchTemplate', 'ec2-launch-template-public-ip-disabled', 'Amazon EC2 launch templates should not assign public IPs to network interfaces'],
  ['EC2.28', 'Low', 'AWS::EC2::Volume', 'ebs-resources-protected-by-backup-plan', 'EBS volumes should be covered by a backup plan'],
  ['EC2.29', 'High', 'AWS::EC2::Instance', 'ec2-instances-in-vpc', 'EC2 instances should be launched in a VPC'],
  ['IAM.1', 'High', 'AWS::IAM::Policy', 'iam-policy-no-statements-with-admin-access', 'IAM policies should not allow full "*" administrative privileges'],
  ['IAM.2', 'Low', 'AWS::IAM::User', 'iam-user-no-policies-check', 'IAM users should not have IAM policies attached'],
  ['IAM.3', 'Medium', 'AWS::IAM::User', 'access-keys-rotated', "IAM users' access keys should be rotated every 90 days or less"],
  ['IAM.4', 'Critical', ACCOUNT, 'iam-root-access-key-check', 'IAM root user access key should not exist'],
  ['IAM.5', 'Medium', 'AWS::IAM::User', 'mfa-enabled-for-iam-console-access', 'MFA should be enabled for all IAM users that have a console password'],
  ['IAM.6', 'Critical', ACCOUNT, 'root-account-hardware-mfa-enabled', 'Hardware MFA should be enabled for the root user'],
  ['IAM.7', 'Medium', ACCOUNT, 'iam-password-policy', 'Password policies for IAM users should have strong configurations'],
  ['IAM.8', 'Medium', 'AWS::IAM::User', 'iam-user-unused-credentials-check', 'Unused IAM user credentials should be removed'],
  ['IAM.9', 'Critical', ACCOUNT, 'root-account-mfa-enabled', 'MFA should be enabled for the root user'],
  ['IAM.10', 'Medium', ACCOUNT, 'iam-password-policy', 'Password policies for IAM users should have strong configurations'],
  ['IAM.11', 'Medium', ACCOUNT, 'iam-password-policy', 'Ensure IAM password policy requires at least one uppercase letter'],
  ['IAM.12', 'Medium', ACCOUNT, 'iam-password-policy|iam-password-policy-lowercase-letter-check', 'Ensure IAM password policy requires at least one lowercase letter'],
  ['IAM.13', 'Medium', ACCOUNT, 'iam-password-policy', 'Ensure IAM password policy requires at least one symbol'],
  ['IAM.14', 'Medium', ACCOUNT, 'iam-password-policy', 'Ensure IAM password policy requires at least one number'],
  ['IAM.15', 'Medium', ACCOUNT, 'iam-password-policy', 'Ensure IAM password policy requires minimum password length of 14 or greater'],
  ['IAM.16', 'Low', ACCOUNT, 'iam-password-policy', 'Ensure IAM password policy prevents password reuse'],
  ['IAM.17', 'Low', ACCOUNT, 'iam-password-policy', 'Ensure IAM password policy expires passwords within 90 days or less'],
  ['IAM.18', 'Low', ACCOUNT, 'iam-policy-in-use', 'Ensure a support role has been created to manage incidents with AWS Support'],
  ['IAM.19', 'Medium', 'AWS::IAM::User', 'iam-user-mfa-enabled', 'MFA should be enabled for all IAM users'],
  ['IAM.21', 'Low', 'AWS::IAM::Policy', 'iam-policy-no-statements-with-full-access', 'IAM customer managed policies that you create should not allow wildcard actions for services'],
  ['KMS.1', 'Medium', 'AWS::IAM::Policy', 'iam-customer-policy-blocked-kms-actions', 'IAM customer managed policies should not allow decryption actions on all KMS keys'],
  ['KMS.2', 'Medium', 'AWS::IAM::Group|AWS::IAM::Role|AWS::IAM::User', 'iam-inline-policy-blocked-kms-actions', 'IAM principals should not have IAM inline policies that allow decryption actions on all KMS keys'],
  ['KMS.3', 'Critical', 'AWS::KMS::Key', 'kms-cmk-not-scheduled-for-deletion', 'AWS KMS keys should not be deleted unintentionally'],
  ['KMS.4', 'Medium', 'AWS::KMS::Key', 'cmk-backing-key-rotation-enabled', 'AWS KMS key rotation should be enabled'],
  ['Lambda.1', 'Critical', 'AWS::Lambda::Function', 'lambda-function-public-access-prohibited', 'Lambda function policies should prohibit public access'],
  ['Lambda.2', 'Medium', 'AWS::Lambda::Function', 'lambda-function-settings-check', 'Lambda functions should use supported runtimes'],
  ['Lambda.3', 'Low', 'AWS::Lambda::Function', 'lambda-inside-vpc', 'Lambda functions should be in a VPC'],
  ['Lambda.5', 'Medium', 'AWS::Lambda::Function', 'lambda-vpc-multi-az-check', 'VPC Lambda functions should operate in multiple Availability Zones'],
  ['RDS.1', 'Critical', 'AWS::RDS::DBSnapshot|AWS::RDS::DBClusterSnapshot', 'rds-snapshots-public-prohibited', 'RDS snapshot should be private'],
  ['RDS.2', 'Critical', 'AWS::RDS::DBInstance', 'rds-instance-public-access-check', 'RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration'],
  ['RDS.3', 'Medium', 'AWS::RDS::DBInstance', 'rds-storage-encrypted', 'RDS DB instances should have encryption at-rest enabled'],
  ['RDS.4', 'Medium', 'AWS::RDS::DBClusterSnapshot|AWS::RDS::DBSnapshot', 'rds-snapshot-encrypted', 'RDS cluster snapshots and database snapshots should be encrypted at rest'],
  ['RDS.5', 'Medium', 'AWS::RDS::DBInstance', 'rds-multi-az-support', 'RDS DB instances should be configured with multiple Availability Zones'],
  ['RDS.6', 'Low', 'AWS::RDS::DBInstance', 'rds-enhanced-monitoring-enabled', 'Enhanced monitoring should be configured for RDS DB instances'],
  ['RDS.7', 'Low', 'AWS::RDS::DBCluster', 'rds-cluster-deletion-protection-enabled', 'RDS clusters should have deletion protection enabled'],
  ['RDS.8', 'Low', 'AWS::RDS::DBInstance', 'rds-instance-deletion-protection-enabled', 'RDS DB instances should have deletion protection enabled'],
  ['RDS.9', 'Medium', 'AWS::RDS::DBInstance', 'rds-logging-enabled', 'RDS DB instances should publish logs to CloudWatch Logs'],
  ['RDS.10', 'Medium', 'AWS::RDS::DBInstance', 'rds-instance-iam-authentication-enabled', 'IAM authentication should be configured for RDS instances'],
  ['RDS.11', 'Medium', 'AWS::RDS::DBInstance', 'db-instance-backup-enabled', 'RDS instances should have automatic backups enabled'],
  ['RDS.12', 'Medium', 'AWS::RDS::DBCluster', 'rds-cluster-iam-authentication-enabled', 'IAM authentication should be configured for RDS clusters'],
  ['RDS.13', 'High', 'AWS::RDS::DBInstance', 'rds-automatic-minor-version-upgrade-enabled', 'RDS automatic minor version upgrades should be enabled'],
  ['RDS.14', 'Medium', 'AWS::RDS::DBCluster', 'aurora-mysql-backtracking-enabled', 'Amazon Aurora clusters should have backtracking enabled'],
  ['RDS.15', 'Medium', 'AWS::RDS::DBCluster', 'rds-cluster-multi-az-enabled', 'RDS DB clusters should be configured for multiple Availability Zones'],
  ['RDS.16', 'Low', 'AWS::RDS::DBCluster', 'rds-cluster-copy-tags-to-snapshots-enabled', 'RDS DB clusters should be configured to copy tags to snapshots'],
  ['RDS.17', 'Low', 'AWS::RDS::DBInstance', 'rds-instance-copy-tags-to-snapshots-enabled', 'RDS DB instances should be configured to copy tags to snapshots'],
  ['RDS.18', 'High', 'AWS::RDS::DBInstance', 'rds-deployed-in-vpc', 'RDS instances should be deployed in a VPC'],
  ['RDS.23', 'Low', 'AWS::RDS::DBInstance', 'rds-no-default-ports', 'RDS instances should not use a database engine default port'],
  ['RDS.24', 'Medium', 'AWS::RDS::DBCluster', 'rds-cluster-default-admin-check', 'RDS Database clusters should use a custom administrator username'],
  ['RDS.25', 'Medium', 'AWS::RDS::DBInstance', 'rds-instance-default-admin-check', 'RDS database instances should use a custom administrator username'],
  ['RDS.26', 'Low', 'AWS::RDS::DBInstance', 'rds-resources-protected-by-backup-plan', 'RDS DB instances should be covered by a backup plan'],
  ['Redshift.1', 'Critical', 'AWS::Redshift::Cluster', 'redshift-cluster-public-access-check', 'Amazon Redshift clusters should prohibit public access'],
  ['Redshift.3', 'Medium', 'AWS::Redshift::Cluster', 'redshift-backup-enabled', 'Amazon Redshift clusters should have automatic snapshots enabled'],
  ['Redshift.4', 'Medium', 'AWS::Redshift::Cluster', 'redshift-cluster-audit-logging-enabled', 'Amazon Redshift clusters should have audit logging enabled'],
  ['Redshift.6', 'Medium', 'AWS::Redshift::Cluster', 'redshift-cluster-maintenancesettings-check', 'Amazon Redshift should have automatic upgrades to major versions enabled'],
  ['S3.1', 'Medium', ACCOUNT, 's3-account-level-public-access-blocks-periodic', 'S3 general purpose buckets should have block public access settings enabled'],
  ['S3.2', 'Critical', 'AWS::S3::Bucket', 's3-bucket-public-read-prohibited', 'S3 general purpose buckets should block public read access'],
  ['S3.3', 'Critical', 'AWS::S3::Bucket', 's3-bucket-public-write-prohibited', 'S3 general purpose buckets should block public write access'],
  ['S3.4', 'Medium', 'AWS::S3::Bucket', 's3-bucket-server-side-encryption-enabled', 'S3 general purpose buckets should have server-side encryption enabled'],
  ['S3.5', 'Medium', 'AWS::S3::Bucket', 's3-bucket-ssl-requests-only', 'S3 general purpose buckets should require requests to use SSL'],
  ['S3.6', 'High', 'AWS::S3::Bucket', 's3-bucket-blacklisted-actions-prohibited', 'S3 general purpose bucket policies should restrict access to other AWS accounts'],
  ['S3.7', 'Low', 'AWS::S3::Bucket', 's3-bucket-cross-region-replication-enabled', 'S3 general purpose buckets should use cross-Region replication'],
  ['S3.8', 'High', 'AWS::S3::Bucket', 's3-bucket-level-public-access-prohibited', 'S3 general purpose buckets should block public access'],
  ['S3.9', 'Medium', 'AWS::S3::Bucket', 's3-bucket-logging-enabled', 'S3 general purpose buckets should have server access logging enabled'],
  ['S3.10', 'Medium', 'AWS::S3::Bucket', 's3-version-lifecycle-policy-check', 'S3 general purpose buckets with versioning enabled should have Lifecycle configurations'],
  ['S3.11', 'Medium', 'AWS::S3::Bucket', 's3-event-notifications-enabled', 'S3 general purpose buckets should have event notifications enabled'],
  ['S3.12', 'Medium', 'AWS::S3::Bucket', 's3-bucket-acl-prohibited', 'ACLs should not be used to manage user access to S3 general purpose buckets'],
  ['S3.13', 'Low', 'AWS::S3::Bucket', 's3-lifecycle-policy-check', 'S3 general purpose buckets should have Lifecycle configurations'],
  ['S3.14', 'Low', 'AWS::S3::Bucket', 's3-bucket-versioning-enabled', 'S3 general purpose buckets should have versioning enabled'],
  ['SecretsManager.1', 'Medium', 'AWS::SecretsManager::Secret', 'secretsmanager-rotation-enabled-check', 'Secrets Manager secrets should have automatic rotation enabled'],
  ['SecretsManager.2', 'Medium', 'AWS::SecretsManager::Secret', 'secretsmanager-scheduled-rotation-success-check', 'Secrets Manager secrets configured with automatic rotation should rotate successfully'],
  ['SecretsManager.3', 'Medium', 'AWS::SecretsManager::Secret', 'secretsmanager-secret-unused', 'Remove unused Secrets Manager secrets'],
  ['SecretsManager.4', 'Medium', 'AWS::SecretsManager::Secret', 'secretsmanager-secret-periodic-rotation', 'Secrets Manager secrets should be rotated within a specified number of days'],
  ['SNS.1', 'Medium', 'AWS::SNS::Topic', 'sns-encrypted-kms', 'SNS topics should be encrypted at-rest using AWS KMS'],
  ['SNS.2', 'Medium', 'AWS::SNS::Topic', 'sns-topic-message-delivery-notification-enabled', 'Logging of delivery status should be enabled for notification messages sent to a topic'],
  ['SQS.1', 'Medium', 'AWS::SQS::Queue', 'sqs-queue-encrypted', 'Amazon SQS queues should be encrypted at rest'],
];

function split(cell: string): string[] {
  return cell === '' ? [] : cell.split('|');
}

function toControl([id, severity, types, rules, title]: readonly [string, string, string, string, string]): Control {
  const label = parseSeverityLabel(severity);
  if (!label) throw new Error(`controls table: ${id} has unknown severity ${severity}`);
  return { id, title, severity: label, resourceTypes: split(types), configRules: split(rules) };
}

/** Every known control by id. */
export const CONTROLS: ReadonlyMap<string, Control> = new Map(ROWS.map((row) => [row[0], toControl(row)]));

export function getControl(id: string): Control | undefined {
  return CONTROLS.get(id);
}
