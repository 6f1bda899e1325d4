/**
 * Security Hub (ASFF) resource types and AWS Config resource types name the same things
 * differently (`AwsS3Bucket` vs `AWS::S3::Bucket`). cloudmend speaks the CloudFormation / Config
 * names everywhere, because those are what IaC sources declare.
 */
const ASFF_TO_CLOUDFORMATION: Readonly<Record<string, string>> = {
  AwsAccount: 'AWS::::Account',
  AwsAutoScalingAutoScalingGroup: 'AWS::AutoScaling::AutoScalingGroup',
  AwsCloudFormationStack: 'AWS::CloudFormation::Stack',
  AwsCloudFrontDistribution: 'AWS::CloudFront::Distribution',
  AwsCloudTrailTrail: 'AWS::CloudTrail::Trail',
  AwsCodeBuildProject: 'AWS::CodeBuild::Project',
  AwsDynamoDbTable: 'AWS::DynamoDB::Table',
  AwsEc2Eip: 'AWS::EC2::EIP',
  AwsEc2Instance: 'AWS::EC2::Instance',
  AwsEc2LaunchTemplate: 'AWS::EC2::LaunchTemplate',
  AwsEc2NetworkAcl: 'AWS::EC2::NetworkAcl',
  AwsEc2NetworkInterface: 'AWS::EC2::NetworkInterface',
  AwsEc2SecurityGroup: 'AWS::EC2::SecurityGroup',
  AwsEc2Subnet: 'AWS::EC2::Subnet',
  AwsEc2Volume: 'AWS::EC2::Volume',
  AwsEc2Vpc: 'AWS::EC2::VPC',
  AwsEcrRepository: 'AWS::ECR::Repository',
  AwsEcsCluster: 'AWS::ECS::Cluster',
  AwsEcsService: 'AWS::ECS::Service',
  AwsEcsTaskDefinition: 'AWS::ECS::TaskDefinition',
  AwsEksCluster: 'AWS::EKS::Cluster',
  AwsEfsFileSystem: 'AWS::EFS::FileSystem',
  AwsElastiCacheCacheCluster: 'AWS::ElastiCache::CacheCluster',
  AwsElastiCacheReplicationGroup: 'AWS::ElastiCache::ReplicationGroup',
  AwsElasticsearchDomain: 'AWS::Elasticsearch::Domain',
  AwsElbv2LoadBalancer: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
  AwsElbLoadBalancer: 'AWS::ElasticLoadBalancing::LoadBalancer',
  AwsIamAccessKey: 'AWS::IAM::AccessKey',
  AwsIamGroup: 'AWS::IAM::Group',
  AwsIamPolicy: 'AWS::IAM::Policy',
  AwsIamRole: 'AWS::IAM::Role',
  AwsIamUser: 'AWS::IAM::User',
  AwsKmsKey: 'AWS::KMS::Key',
  AwsLambdaFunction: 'AWS::Lambda::Function',
  AwsOpenSearchServiceDomain: 'AWS::OpenSearchService::Domain',
  AwsRdsDbCluster: 'AWS::RDS::DBCluster',
  AwsRdsDbClusterSnapshot: 'AWS::RDS::DBClusterSnapshot',
  AwsRdsDbInstance: 'AWS::RDS::DBInstance',
  AwsRdsDbSnapshot: 'AWS::RDS::DBSnapshot',
  AwsRedshiftCluster: 'AWS::Redshift::Cluster',
  AwsS3AccountPublicAccessBlock: 'AWS::S3::AccountPublicAccessBlock',
  AwsS3Bucket: 'AWS::S3::Bucket',
  AwsSecretsManagerSecret: 'AWS::SecretsManager::Secret',
  AwsSnsTopic: 'AWS::SNS::Topic',
  AwsSqsQueue: 'AWS::SQS::Queue',
  AwsSsmPatchCompliance: 'AWS::SSM::PatchCompliance',
};

/** The CloudFormation / Config type for an ASFF type; unknown types pass through unchanged. */
export function cloudFormationTypeOf(asffType: string): string {
  return ASFF_TO_CLOUDFORMATION[asffType] ?? asffType;
}
