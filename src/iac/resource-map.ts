/**
 * Where each kind of AWS resource appears in IaC, and which attribute holds its physical name:
 * what the locator matches a finding's resource name against.
 */
export interface NamedType {
  readonly type: string;
  /** Attributes / properties holding the physical name; `tags.Name` matches the Name tag, `=x` is a fixed name. */
  readonly names: readonly string[];
  /**
   * The name is that value, `separator` and the 26-digit id Terraform appends (a module that
   * creates with `name_prefix`), unless the module input `unless` is false.
   */
  readonly prefixed?: { readonly separator: string; readonly unless: string } | undefined;
}

export interface TypeMapping {
  readonly terraform: readonly NamedType[];
  readonly cloudformation: readonly NamedType[];
}

const NAME_TAG = 'tags.Name';

/**
 * Registry modules (and their submodules, `…/aws//modules/web`) that name what they create after an input (terraform-aws-modules): a finding on
 * the resource inside is located to the module call, where that input is set.
 */
const registryModule = (source: string, input: string, prefixed?: NamedType['prefixed']): NamedType => ({
  type: `module:${source}`,
  names: [input],
  prefixed,
});

const OPENSEARCH_DOMAIN: TypeMapping = {
  terraform: [{ type: 'aws_opensearch_domain', names: ['domain_name'] }],
  cloudformation: [{ type: 'AWS::OpenSearchService::Domain', names: ['DomainName'] }],
};

export const RESOURCE_MAP: Readonly<Record<string, TypeMapping>> = {
  'AWS::S3::Bucket': {
    terraform: [{ type: 'aws_s3_bucket', names: ['bucket'] }, registryModule('terraform-aws-modules/s3-bucket/aws', 'bucket')],
    cloudformation: [{ type: 'AWS::S3::Bucket', names: ['BucketName'] }],
  },
  'AWS::EC2::SecurityGroup': {
    terraform: [
      { type: 'aws_security_group', names: ['name', NAME_TAG] },
      // The VPC default group is always named `default`.
      { type: 'aws_default_security_group', names: ['=default'] },
      registryModule('terraform-aws-modules/security-group/aws', 'name', { separator: '-', unless: 'use_name_prefix' }),
    ],
    cloudformation: [{ type: 'AWS::EC2::SecurityGroup', names: ['GroupName', NAME_TAG] }],
  },
  'AWS::EC2::Instance': {
    terraform: [{ type: 'aws_instance', names: [NAME_TAG] }, registryModule('terraform-aws-modules/ec2-instance/aws', 'name')],
    cloudformation: [{ type: 'AWS::EC2::Instance', names: [NAME_TAG] }],
  },
  'AWS::EC2::LaunchTemplate': {
    terraform: [{ type: 'aws_launch_template', names: ['name'] }],
    cloudformation: [{ type: 'AWS::EC2::LaunchTemplate', names: ['LaunchTemplateName'] }],
  },
  'AWS::EC2::VPC': {
    terraform: [{ type: 'aws_vpc', names: [NAME_TAG] }, registryModule('terraform-aws-modules/vpc/aws', 'name')],
    cloudformation: [{ type: 'AWS::EC2::VPC', names: [NAME_TAG] }],
  },
  'AWS::EC2::Subnet': {
    terraform: [{ type: 'aws_subnet', names: [NAME_TAG] }],
    cloudformation: [{ type: 'AWS::EC2::Subnet', names: [NAME_TAG] }],
  },
  'AWS::EC2::Volume': {
    // An instance's root and data volumes carry its `volume_tags`: EC2.3 is fixed on the instance.
    terraform: [
      { type: 'aws_ebs_volume', names: [NAME_TAG] },
      { type: 'aws_instance', names: ['volume_tags.Name'] },
    ],
    cloudformation: [{ type: 'AWS::EC2::Volume', names: [NAME_TAG] }],
  },
  'AWS::EFS::FileSystem': {
    terraform: [
      { type: 'aws_efs_file_system', names: [NAME_TAG, 'creation_token'] },
      registryModule('terraform-aws-modules/efs/aws', 'name'),
    ],
    cloudformation: [{ type: 'AWS::EFS::FileSystem', names: [NAME_TAG] }],
  },
  'AWS::ECR::Repository': {
    terraform: [{ type: 'aws_ecr_repository', names: ['name'] }, registryModule('terraform-aws-modules/ecr/aws', 'repository_name')],
    cloudformation: [{ type: 'AWS::ECR::Repository', names: ['RepositoryName'] }],
  },
  'AWS::EKS::Cluster': {
    terraform: [{ type: 'aws_eks_cluster', names: ['name'] }, registryModule('terraform-aws-modules/eks/aws', 'cluster_name')],
    cloudformation: [{ type: 'AWS::EKS::Cluster', names: ['Name'] }],
  },
  'AWS::Elasticsearch::Domain': {
    terraform: [{ type: 'aws_elasticsearch_domain', names: ['domain_name'] }],
    cloudformation: [{ type: 'AWS::Elasticsearch::Domain', names: ['DomainName'] }],
  },
  'AWS::OpenSearchService::Domain': OPENSEARCH_DOMAIN,
  // AWS Config (and the Opensearch.x controls) name the same domain AWS::OpenSearch::Domain.
  'AWS::OpenSearch::Domain': OPENSEARCH_DOMAIN,
  'AWS::ElastiCache::CacheCluster': {
    terraform: [{ type: 'aws_elasticache_cluster', names: ['cluster_id'] }],
    cloudformation: [{ type: 'AWS::ElastiCache::CacheCluster', names: ['ClusterName'] }],
  },
  'AWS::ElastiCache::ReplicationGroup': {
    terraform: [{ type: 'aws_elasticache_replication_group', names: ['replication_group_id'] }],
    cloudformation: [{ type: 'AWS::ElastiCache::ReplicationGroup', names: ['ReplicationGroupId'] }],
  },
  'AWS::DAX::Cluster': {
    terraform: [{ type: 'aws_dax_cluster', names: ['cluster_name'] }],
    cloudformation: [{ type: 'AWS::DAX::Cluster', names: ['ClusterName'] }],
  },
  'AWS::ElasticLoadBalancing::LoadBalancer': {
    terraform: [{ type: 'aws_elb', names: ['name'] }, registryModule('terraform-aws-modules/elb/aws', 'name')],
    cloudformation: [{ type: 'AWS::ElasticLoadBalancing::LoadBalancer', names: ['LoadBalancerName'] }],
  },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    terraform: [
      { type: 'aws_lb', names: ['name'] },
      { type: 'aws_alb', names: ['name'] },
      registryModule('terraform-aws-modules/alb/aws', 'name'),
    ],
    cloudformation: [{ type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', names: ['Name'] }],
  },
  'AWS::RDS::DBInstance': {
    terraform: [
      { type: 'aws_db_instance', names: ['identifier'] },
      // Aurora instances are DB instances to Security Hub (RDS.13 evaluates them).
      { type: 'aws_rds_cluster_instance', names: ['identifier'] },
      registryModule('terraform-aws-modules/rds/aws', 'identifier'),
    ],
    cloudformation: [{ type: 'AWS::RDS::DBInstance', names: ['DBInstanceIdentifier'] }],
  },
  'AWS::RDS::DBCluster': {
    // Security Hub reports Neptune and DocumentDB clusters as RDS clusters.
    terraform: [
      { type: 'aws_rds_cluster', names: ['cluster_identifier'] },
      { type: 'aws_neptune_cluster', names: ['cluster_identifier'] },
      { type: 'aws_docdb_cluster', names: ['cluster_identifier'] },
      registryModule('terraform-aws-modules/rds-aurora/aws', 'name'),
    ],
    cloudformation: [
      { type: 'AWS::RDS::DBCluster', names: ['DBClusterIdentifier'] },
      { type: 'AWS::Neptune::DBCluster', names: ['DBClusterIdentifier'] },
      { type: 'AWS::DocDB::DBCluster', names: ['DBClusterIdentifier'] },
    ],
  },
  'AWS::Lambda::Function': {
    terraform: [
      { type: 'aws_lambda_function', names: ['function_name'] },
      registryModule('terraform-aws-modules/lambda/aws', 'function_name'),
    ],
    // SAM's function becomes a function of the same logical id.
    cloudformation: [
      { type: 'AWS::Lambda::Function', names: ['FunctionName'] },
      { type: 'AWS::Serverless::Function', names: ['FunctionName'] },
    ],
  },
  'AWS::DynamoDB::Table': {
    terraform: [{ type: 'aws_dynamodb_table', names: ['name'] }, registryModule('terraform-aws-modules/dynamodb-table/aws', 'name')],
    cloudformation: [
      { type: 'AWS::DynamoDB::Table', names: ['TableName'] },
      { type: 'AWS::Serverless::SimpleTable', names: ['TableName'] },
    ],
  },
  'AWS::KMS::Key': {
    // A key is reported by its id: its description (which the finding's details carry) is what the code can declare too.
    terraform: [{ type: 'aws_kms_key', names: [NAME_TAG, 'description'] }],
    cloudformation: [{ type: 'AWS::KMS::Key', names: [NAME_TAG, 'Description'] }],
  },
  'AWS::CloudFront::Distribution': {
    // A distribution has no name: its id is generated, so only its Name tag (or cloudmend's source tag) locates it.
    terraform: [{ type: 'aws_cloudfront_distribution', names: [NAME_TAG] }],
    cloudformation: [{ type: 'AWS::CloudFront::Distribution', names: [NAME_TAG] }],
  },
  'AWS::CloudTrail::Trail': {
    terraform: [{ type: 'aws_cloudtrail', names: ['name'] }],
    cloudformation: [{ type: 'AWS::CloudTrail::Trail', names: ['TrailName'] }],
  },
  'AWS::IAM::Policy': {
    terraform: [{ type: 'aws_iam_policy', names: ['name'] }],
    cloudformation: [{ type: 'AWS::IAM::ManagedPolicy', names: ['ManagedPolicyName'] }],
  },
  'AWS::IAM::Role': {
    terraform: [{ type: 'aws_iam_role', names: ['name'] }],
    cloudformation: [{ type: 'AWS::IAM::Role', names: ['RoleName'] }],
  },
  'AWS::IAM::User': {
    terraform: [{ type: 'aws_iam_user', names: ['name'] }],
    cloudformation: [{ type: 'AWS::IAM::User', names: ['UserName'] }],
  },
  'AWS::IAM::Group': {
    terraform: [{ type: 'aws_iam_group', names: ['name'] }],
    cloudformation: [{ type: 'AWS::IAM::Group', names: ['GroupName'] }],
  },
  'AWS::SNS::Topic': {
    terraform: [{ type: 'aws_sns_topic', names: ['name'] }, registryModule('terraform-aws-modules/sns/aws', 'name')],
    cloudformation: [{ type: 'AWS::SNS::Topic', names: ['TopicName'] }],
  },
  'AWS::SQS::Queue': {
    terraform: [{ type: 'aws_sqs_queue', names: ['name'] }, registryModule('terraform-aws-modules/sqs/aws', 'name')],
    cloudformation: [{ type: 'AWS::SQS::Queue', names: ['QueueName'] }],
  },
  'AWS::Kinesis::Stream': {
    terraform: [{ type: 'aws_kinesis_stream', names: ['name'] }],
    cloudformation: [{ type: 'AWS::Kinesis::Stream', names: ['Name'] }],
  },
  // A stage's ARN (`arn:aws:apigateway:<region>::/restapis/<api id>/stages/<name>`, `/apis/` for v2) ends in its name;
  // the API id is generated, so the stage name is what locates it. SAM's Api creates its stage named `StageName`.
  'AWS::ApiGateway::Stage': {
    terraform: [{ type: 'aws_api_gateway_stage', names: ['stage_name'] }],
    cloudformation: [
      { type: 'AWS::ApiGateway::Stage', names: ['StageName'] },
      // A deployment with a StageName creates that stage, configured by its StageDescription.
      { type: 'AWS::ApiGateway::Deployment', names: ['StageName'] },
      { type: 'AWS::Serverless::Api', names: ['StageName'] },
    ],
  },
  'AWS::ApiGatewayV2::Stage': {
    terraform: [{ type: 'aws_apigatewayv2_stage', names: ['name'] }],
    cloudformation: [{ type: 'AWS::ApiGatewayV2::Stage', names: ['StageName'] }],
  },
  'AWS::SecretsManager::Secret': {
    terraform: [{ type: 'aws_secretsmanager_secret', names: ['name'] }],
    cloudformation: [{ type: 'AWS::SecretsManager::Secret', names: ['Name'] }],
  },
};

/**
 * Account-level controls (the finding's resource is the account) and the one resource type that
 * carries the setting; the repository must declare exactly one of them.
 */
export const ACCOUNT_LEVEL: Readonly<Record<string, Partial<Record<'terraform' | 'cloudformation', readonly string[]>>>> = {
  'S3.1': { terraform: ['aws_s3_account_public_access_block'] },
  'CloudTrail.1': { terraform: ['aws_cloudtrail'], cloudformation: ['AWS::CloudTrail::Trail'] },
  'CloudTrail.3': { terraform: ['aws_cloudtrail'], cloudformation: ['AWS::CloudTrail::Trail'] },
  'EC2.7': { terraform: ['aws_ebs_encryption_by_default'] },
};

/** `aws_kms_alias` / `AWS::KMS::Alias` name keys, whose target names a key by alias. */
export const KMS_ALIAS = {
  terraform: { type: 'aws_kms_alias', name: 'name', target: 'target_key_id' },
  cloudformation: { type: 'AWS::KMS::Alias', name: 'AliasName', target: 'TargetKeyId' },
} as const;
