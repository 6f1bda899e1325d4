/**
 * Per Security Hub control, the resource types a fix may add besides setting arguments: the
 * setting lives in a resource of its own in Terraform (a bucket's public access block, its
 * encryption configuration, its policy) or in CloudFormation. Written here, apart from the skills,
 * so that what a fix may add is decided by the guardrail, not by the code it judges. A type marked
 * `(standalone)` is an account-level setting, which belongs to no located resource. A control
 * without an entry allows no new resource: its fix sets arguments only.
 */
const CONTRACTS: Readonly<Record<string, readonly string[]>> = {
  'S3.1': ['aws_s3_account_public_access_block', 'aws_s3_account_public_access_block (standalone)'],
  'S3.2': ['aws_s3_bucket_public_access_block', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_acl'],
  'S3.3': ['aws_s3_bucket_public_access_block', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_acl'],
  'S3.4': ['aws_s3_bucket_server_side_encryption_configuration'],
  'S3.5': ['aws_s3_bucket_policy', 'AWS::S3::BucketPolicy'],
  'S3.8': ['aws_s3_bucket_public_access_block'],
  'S3.9': ['aws_s3_bucket_logging'],
  'S3.14': ['aws_s3_bucket_versioning'],
  'S3.6': ['aws_s3_bucket_policy', 'AWS::S3::BucketPolicy'],
  'EC2.2': ['aws_default_security_group'],
  'EC2.7': ['aws_ebs_encryption_by_default', 'aws_ebs_encryption_by_default (standalone)'],
  'SQS.3': ['aws_sqs_queue_policy', 'AWS::SQS::QueuePolicy'],
  'SNS.4': ['aws_sns_topic_policy', 'AWS::SNS::TopicPolicy'],
  'ECR.3': ['aws_ecr_lifecycle_policy'],
  'APIGateway.1': ['aws_api_gateway_method_settings'],
  'SecretsManager.1': ['aws_secretsmanager_secret_rotation', 'AWS::SecretsManager::RotationSchedule'],
};

/** The resource types a fix for `controlId` may add (and which of them stand alone). */
export function newResourceTypes(controlId: string | undefined): ReadonlySet<string> {
  return new Set(controlId === undefined ? [] : (CONTRACTS[controlId] ?? []));
}
