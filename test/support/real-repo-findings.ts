/**
 * Security Hub findings as AWS would send them for what public repositories deploy (test/fixtures/
 * real-repos): the resource ARN, id and name AWS derives from the deployed resource (bucket names
 * with the account id, KMS keys by key id, generated CloudFormation names) and only the tags the
 * code itself puts on it, or that CloudFormation adds (`aws:cloudformation:*`). No cloudmend tags.
 * `expect` is the address the finding belongs to, or null where the code cannot tell it (said why).
 */
import { join } from 'node:path';
import type { IacKind } from '../../src/iac/source.js';
import { ACCOUNT, asffFinding } from './events.js';

type Json = Record<string, unknown>;

export interface RealFinding {
  readonly control: string;
  readonly asff: Json;
  /** The resource's address (Terraform) or logical id (CloudFormation), or null when the code cannot tell it. */
  readonly expect: string | null;
}

export interface RealRepo {
  readonly name: string;
  readonly iac: IacKind;
  readonly root: string;
  readonly findings: readonly RealFinding[];
}

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'real-repos');

/** ARNs of resources in one region of the test account. */
const arnIn =
  (region: string) =>
  (service: string, resource: string): string =>
    `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;

function finding(
  control: string,
  region: string,
  resource: { type: string; id: string; details?: Json; tags?: Record<string, string> },
  expect: string | null,
): RealFinding {
  const { type, id, details, tags } = resource;
  const entry: Json = { Type: type, Id: id, Partition: 'aws', Region: region, ...(tags ? { Tags: tags } : {}) };
  const asff = asffFinding({
    control,
    Region: region,
    Id: `arn:aws:securityhub:${region}:${ACCOUNT}:security-control/${control}/finding/${id.slice(-12).replace(/[^a-z0-9]/gi, '0')}`,
    Resources: [details ? { ...entry, Details: { [type]: details } } : entry],
  });
  return { control, asff, expect };
}

// --- bridgecrewio/terragoat, terraform/aws: deployed with its defaults (var.region us-west-2, company acme, environment dev).
const TG_REGION = 'us-west-2';
const PREFIX = `${ACCOUNT}-acme-dev`;

/** The provenance tags yor wrote into terragoat's code for one resource. */
function yor(file: string, trace: string, commit = 'd68d2897add9bc2203a5ed0632a5cdd8ff8cefb0'): Record<string, string> {
  return {
    git_commit: commit,
    git_file: `terraform/aws/${file}`,
    git_last_modified_at: '2020-06-16 14:46:24',
    git_last_modified_by: 'nimrodkor@gmail.com',
    git_modifiers: 'nimrodkor',
    git_org: 'bridgecrewio',
    git_repo: 'terragoat',
    yor_trace: trace,
  };
}

const named = (name: string): Record<string, string> => ({ Name: name, Environment: PREFIX });

function bucket(control: string, suffix: string, tags: Record<string, string>, address: string): RealFinding {
  const name = `${PREFIX}-${suffix}`;
  return finding(control, TG_REGION, { type: 'AwsS3Bucket', id: `arn:aws:s3:::${name}`, details: { Name: name }, tags }, address);
}

const tgArn = arnIn(TG_REGION);

const DATA_TAGS = {
  ...named(`${PREFIX}-data`),
  ...yor('s3.tf', '0874007d-903a-4b4c-945f-c9c233e13243', '4d57f83ca4d3a78a44fb36d1dcf0d23983fa44f5'),
};
const FIN_TAGS = { ...named(`${PREFIX}-financials`), ...yor('s3.tf', '0e012640-b597-4e5d-9378-d4b584aea913') };
const OPS_TAGS = { ...named(`${PREFIX}-operations`), ...yor('s3.tf', '29efcf7b-22a8-4bd6-8e14-1f55b3a2d743') };
const SCIENCE_TAGS = yor('s3.tf', '9a7c8788-5655-4708-bbc3-64ead9847f64');
const LOGS_TAGS = { ...named(`${PREFIX}-logs`), ...yor('s3.tf', '01946fe9-aae2-4c99-a975-e9b0d3a4696c') };
const FLOW_TAGS = { ...named(`${PREFIX}-flowlogs`), ...yor('ec2.tf', 'f058838a-b1e0-4383-b965-7e06e987ffb1') };
const SG_WEB = {
  type: 'AwsEc2SecurityGroup',
  id: tgArn('ec2', 'security-group/sg-0c5a8e3f1d2b4a697'),
  details: { GroupName: `${PREFIX}-sg`, GroupId: 'sg-0c5a8e3f1d2b4a697', VpcId: 'vpc-0a1b2c3d4e5f60718' },
  tags: yor('ec2.tf', 'b7af1b40-64eb-4519-a1a0-ab198db4b193'),
};
const RDS_DEFAULT = {
  type: 'AwsRdsDbInstance',
  id: tgArn('rds', `db:rds-${PREFIX}`),
  details: { DbInstanceIdentifier: `rds-${PREFIX}`, Engine: 'mysql' },
  tags: { ...named(`${PREFIX}-rds`), ...yor('db-app.tf', '47c13290-c2ce-48a7-b666-1b0085effb92') },
};

const INSTANCE_WEB = {
  type: 'AwsEc2Instance',
  id: tgArn('ec2', 'instance/i-0a7b6c5d4e3f21098'),
  details: { Type: 't2.nano', VpcId: 'vpc-0a1b2c3d4e5f60718' },
  tags: { Name: `${PREFIX}-ec2`, ...yor('ec2.tf', '347af3cd-4f70-4632-aca3-4d5e30ffc0b6') },
};
const INSTANCE_DBAPP = {
  type: 'AwsEc2Instance',
  id: tgArn('ec2', 'instance/i-0f1e2d3c4b5a69788'),
  details: { Type: 't2.nano' },
  tags: { Name: `${PREFIX}-dbapp`, ...yor('db-app.tf', 'f7999d4e-c983-43ee-bd88-7903a6f8483e') },
};
const ECR_REPO = {
  type: 'AwsEcrRepository',
  id: tgArn('ecr', `repository/${PREFIX}-repository`),
  details: { RepositoryName: `${PREFIX}-repository` },
  tags: { Name: `${PREFIX}-repository`, ...yor('ecr.tf', '7a3ec657-fa54-4aa2-8467-5d08d6c90bc2') },
};
const ES_DOMAIN = {
  type: 'AwsElasticsearchDomain',
  id: tgArn('es', 'domain/tg-dev-es'),
  details: { DomainName: 'tg-dev-es', ElasticsearchVersion: '2.3' },
  tags: yor('es.tf', '95131dec-d7c9-49bb-9aff-eb0e2736603b'),
};
// Neptune clusters are RDS clusters to Security Hub.
const NEPTUNE = {
  type: 'AwsRdsDbCluster',
  id: tgArn('rds', 'cluster:neptunedb1'),
  details: { DbClusterIdentifier: 'neptunedb1', Engine: 'neptune' },
  tags: yor('neptune.tf', '0d4cbb85-73ed-4ca0-b1da-296e4185f34e'),
};

/** The nine clusters of rds.tf (no engine: Aurora MySQL), none with encryption, deletion protection or tag copying. */
const RDS_CLUSTERS: readonly (readonly [string, string])[] = [
  ['app1-rds-cluster', 'b6f2c2ec-0715-46a0-83d4-502e588826d1'],
  ['app2-rds-cluster', 'd33c9292-952b-4c1f-9973-b6dbad519461'],
  ['app3-rds-cluster', '2a8584b1-7e9d-4739-8e37-366620c92027'],
  ['app4-rds-cluster', '284aaeed-fd3f-4b7a-b5f8-61a8457f4d83'],
  ['app5-rds-cluster', '0b2bea23-5ca5-4bd1-956e-b9ed978daadf'],
  ['app6-rds-cluster', 'fcffb961-d859-4be5-997f-d51b50665ada'],
  ['app7-rds-cluster', 'ebc2ac20-23a3-4518-a7ef-3a102b003ab6'],
  ['app8-rds-cluster', 'af643747-0967-4251-8645-3b54882c2507'],
  ['app9-rds-cluster', 'a0c98536-c751-4743-92f1-a106ce750249'],
];

const rdsCluster = (name: string, trace: string) => ({
  type: 'AwsRdsDbCluster',
  id: tgArn('rds', `cluster:${name}`),
  details: { DbClusterIdentifier: name, Engine: 'aurora-mysql' },
  tags: yor('rds.tf', trace, '079fe74f6b96d887c245664fbd8cf676c92f20e5'),
});

function rootVolume(id: string, instance: string, address: string): RealFinding {
  const details = {
    VolumeId: id,
    Size: 8,
    Encrypted: false,
    Attachments: [{ InstanceId: instance, DeleteOnTermination: true, Status: 'attached' }],
  };
  return finding('EC2.3', TG_REGION, { type: 'AwsEc2Volume', id: tgArn('ec2', `volume/${id}`), details }, address);
}

/** A subnet with `map_public_ip_on_launch = true`: Security Hub reports it by subnet id, with the code's tags. */
function subnet(file: string, id: string, name: string, trace: string, address: string): RealFinding {
  const details = { SubnetId: id, MapPublicIpOnLaunch: true };
  const tags = { Name: `${PREFIX}-${name}`, ...yor(file, trace, '6e62522d2ab8f63740e53752b84a6e99cd65696a') };
  return finding('EC2.15', TG_REGION, { type: 'AwsEc2Subnet', id: tgArn('ec2', `subnet/${id}`), details, tags }, address);
}

export const TERRAGOAT: RealRepo = {
  name: 'terragoat',
  iac: 'terraform',
  root: join(FIXTURES, 'terragoat'),
  findings: [
    bucket('S3.8', 'data', DATA_TAGS, 'aws_s3_bucket.data'),
    bucket('S3.4', 'data', DATA_TAGS, 'aws_s3_bucket.data'),
    bucket('S3.5', 'data', DATA_TAGS, 'aws_s3_bucket.data'),
    bucket('S3.9', 'data', DATA_TAGS, 'aws_s3_bucket.data'),
    bucket('S3.14', 'data', DATA_TAGS, 'aws_s3_bucket.data'),
    bucket('S3.8', 'financials', FIN_TAGS, 'aws_s3_bucket.financials'),
    bucket('S3.4', 'financials', FIN_TAGS, 'aws_s3_bucket.financials'),
    bucket('S3.5', 'financials', FIN_TAGS, 'aws_s3_bucket.financials'),
    bucket('S3.9', 'financials', FIN_TAGS, 'aws_s3_bucket.financials'),
    bucket('S3.14', 'financials', FIN_TAGS, 'aws_s3_bucket.financials'),
    bucket('S3.8', 'operations', OPS_TAGS, 'aws_s3_bucket.operations'),
    bucket('S3.5', 'operations', OPS_TAGS, 'aws_s3_bucket.operations'),
    bucket('S3.9', 'operations', OPS_TAGS, 'aws_s3_bucket.operations'),
    bucket('S3.8', 'data-science', SCIENCE_TAGS, 'aws_s3_bucket.data_science'),
    bucket('S3.5', 'data-science', SCIENCE_TAGS, 'aws_s3_bucket.data_science'),
    bucket('S3.8', 'logs', LOGS_TAGS, 'aws_s3_bucket.logs'),
    bucket('S3.5', 'logs', LOGS_TAGS, 'aws_s3_bucket.logs'),
    bucket('S3.9', 'logs', LOGS_TAGS, 'aws_s3_bucket.logs'),
    bucket('S3.8', 'flowlogs', FLOW_TAGS, 'aws_s3_bucket.flowbucket'),
    bucket('S3.9', 'flowlogs', FLOW_TAGS, 'aws_s3_bucket.flowbucket'),
    bucket('S3.14', 'flowlogs', FLOW_TAGS, 'aws_s3_bucket.flowbucket'),
    // A KMS key is reported by its key id; the details carry its description, not its alias.
    finding(
      'KMS.4',
      TG_REGION,
      {
        type: 'AwsKmsKey',
        id: tgArn('kms', 'key/6f1d2e3c-4b5a-4978-8a6b-5c4d3e2f1a0b'),
        details: { KeyId: '6f1d2e3c-4b5a-4978-8a6b-5c4d3e2f1a0b', KeyManager: 'CUSTOMER', Description: `${PREFIX}-logs bucket key` },
        tags: yor('kms.tf', 'cd8fa2a7-4868-4cd1-993d-da4644808ce5'),
      },
      'aws_kms_key.logs_key',
    ),
    finding('EC2.19', TG_REGION, SG_WEB, 'aws_security_group.web-node'),
    finding('EC2.18', TG_REGION, SG_WEB, 'aws_security_group.web-node'),
    finding('EC2.13', TG_REGION, SG_WEB, 'aws_security_group.web-node'),
    finding('EC2.8', TG_REGION, INSTANCE_WEB, 'aws_instance.web_host'),
    finding('EC2.8', TG_REGION, INSTANCE_DBAPP, 'aws_instance.db_app'),
    // Both instances are in web_subnet, which maps a public IPv4 address on launch (the code outputs their public DNS names).
    // Each instance's root volume, unencrypted (no root_block_device; the account does not encrypt by default): reported by
    // volume id, untagged, with the instance only in its attachment. The instance's root_block_device owns it.
    rootVolume('vol-0b1c2d3e4f5a60718', 'i-0a7b6c5d4e3f21098', 'aws_instance.web_host'),
    rootVolume('vol-0c2d3e4f5a6b70819', 'i-0f1e2d3c4b5a69788', 'aws_instance.db_app'),
    finding('EC2.9', TG_REGION, INSTANCE_WEB, 'aws_instance.web_host'),
    finding('EC2.9', TG_REGION, INSTANCE_DBAPP, 'aws_instance.db_app'),
    subnet('ec2.tf', 'subnet-0a1b2c3d4e5f60001', 'subnet', '0345f650-d280-4ca8-86c9-c71c38c0eda8', 'aws_subnet.web_subnet'),
    subnet('ec2.tf', 'subnet-0a1b2c3d4e5f60002', 'subnet2', '224af03a-00e0-4981-be30-14965833c2db', 'aws_subnet.web_subnet2'),
    subnet('eks.tf', 'subnet-0b2c3d4e5f6070003', 'eks-subnet', '1fb4fa23-a5d6-4d6a-b7dc-88749383f48d', 'aws_subnet.eks_subnet1'),
    subnet('eks.tf', 'subnet-0b2c3d4e5f6070004', 'eks-subnet2', '9ce04af2-5321-4e6c-a262-e4d7c1f69525', 'aws_subnet.eks_subnet2'),
    finding(
      'EC2.3',
      TG_REGION,
      {
        type: 'AwsEc2Volume',
        id: tgArn('ec2', 'volume/vol-0123456789abcdef0'),
        details: { Size: 1, Encrypted: false },
        tags: { Name: `${PREFIX}-ebs`, ...yor('ec2.tf', 'c5509daf-10f0-46af-9e03-41989212521d') },
      },
      'aws_ebs_volume.web_host_storage',
    ),
    finding('RDS.2', TG_REGION, RDS_DEFAULT, 'aws_db_instance.default'),
    finding('RDS.3', TG_REGION, RDS_DEFAULT, 'aws_db_instance.default'),
    // backup_retention_period = 0; deletion protection and copy_tags_to_snapshot unset (off).
    ...['RDS.8', 'RDS.11', 'RDS.17'].map((control) => finding(control, TG_REGION, RDS_DEFAULT, 'aws_db_instance.default')),
    finding(
      'IAM.2',
      TG_REGION,
      {
        type: 'AwsIamUser',
        id: `arn:aws:iam::${ACCOUNT}:user/${PREFIX}-user`,
        details: { UserName: `${PREFIX}-user` },
        tags: { ...named(`${PREFIX}-user`), ...yor('iam.tf', '9b45b298-c1ea-426a-9644-610780021eaa') },
      },
      'aws_iam_user.user',
    ),
    finding(
      'Lambda.2',
      TG_REGION,
      {
        type: 'AwsLambdaFunction',
        id: tgArn('lambda', `function:${PREFIX}-analysis`),
        details: { FunctionName: `${PREFIX}-analysis`, Runtime: 'nodejs12.x' },
        tags: yor('lambda.tf', 'f7d8bc47-e5d9-4b09-9d8f-e7b9724d826e'),
      },
      'aws_lambda_function.analysis_lambda',
    ),
    ...['ES.1', 'ES.3', 'ES.8'].map((control) => finding(control, TG_REGION, ES_DOMAIN, 'aws_elasticsearch_domain.monitoring-framework')),
    ...['ECR.1', 'ECR.2', 'ECR.3'].map((control) => finding(control, TG_REGION, ECR_REPO, 'aws_ecr_repository.repository')),
    finding(
      'EKS.1',
      TG_REGION,
      {
        type: 'AwsEksCluster',
        id: tgArn('eks', `cluster/${PREFIX}-eks`),
        details: { Name: `${PREFIX}-eks` },
        tags: yor('eks.tf', '7fa14261-c18d-4fa2-aec4-746f6e64d2d3'),
      },
      'aws_eks_cluster.eks_cluster',
    ),
    // Backups kept 5 days, fewer than the control's 7; deletion protection and tag copying unset (off).
    ...['Neptune.1', 'Neptune.4', 'Neptune.5', 'Neptune.8'].map((control) =>
      finding(control, TG_REGION, NEPTUNE, 'aws_neptune_cluster.default'),
    ),
    ...RDS_CLUSTERS.flatMap(([name, trace]) => {
      const cluster = rdsCluster(name, trace);
      return ['RDS.27', 'RDS.7', 'RDS.16'].map((control) => finding(control, TG_REGION, cluster, `aws_rds_cluster.${name}`));
    }),
    finding(
      'ELB.5',
      TG_REGION,
      {
        type: 'AwsElbLoadBalancer',
        id: tgArn('elasticloadbalancing', 'loadbalancer/weblb-terraform-elb'),
        details: { LoadBalancerName: 'weblb-terraform-elb' },
        tags: { Name: 'foobar-terraform-elb', ...yor('elb.tf', 'b4a83ce9-9a45-43b4-b6d9-1783c282f702') },
      },
      'aws_elb.weblb',
    ),
    finding(
      'EC2.6',
      TG_REGION,
      {
        type: 'AwsEc2Vpc',
        id: tgArn('ec2', 'vpc/vpc-0b2c3d4e5f6071829'),
        details: { CidrBlockAssociationSet: [{ CidrBlock: '10.10.0.0/16' }] },
        tags: { Name: `${PREFIX}-eks-vpc`, ...yor('eks.tf', '1600ca6c-72f6-45c0-a71d-88e117e51d6b') },
      },
      'aws_vpc.eks_vpc',
    ),
    // The default security group AWS creates with each VPC: no tags, named `default`, and the code declares neither
    // group (no aws_default_security_group) nor anything that says which of its two VPCs this one is.
    finding(
      'EC2.2',
      TG_REGION,
      {
        type: 'AwsEc2SecurityGroup',
        id: tgArn('ec2', 'security-group/sg-0d1e2f3a4b5c6d7e8'),
        details: { GroupName: 'default', GroupId: 'sg-0d1e2f3a4b5c6d7e8', VpcId: 'vpc-0b2c3d4e5f6071829' },
      },
      null,
    ),
  ],
};

// --- hashicorp-education/learn-terraform-rds: var.region us-east-2; the VPC comes from the registry module terraform-aws-modules/vpc.
const RDS_REGION = 'us-east-2';
const rdsArn = arnIn(RDS_REGION);
const EDUCATION_DB = {
  type: 'AwsRdsDbInstance',
  id: rdsArn('rds', 'db:education'),
  details: { DbInstanceIdentifier: 'education', Engine: 'postgres' },
};
const EDUCATION_SG = {
  type: 'AwsEc2SecurityGroup',
  id: rdsArn('ec2', 'security-group/sg-05e4d3c2b1a098765'),
  details: { GroupName: 'education_rds', GroupId: 'sg-05e4d3c2b1a098765' },
  tags: { Name: 'education_rds' },
};

export const LEARN_RDS: RealRepo = {
  name: 'learn-terraform-rds',
  iac: 'terraform',
  root: join(FIXTURES, 'learn-terraform-rds'),
  findings: [
    finding('RDS.2', RDS_REGION, EDUCATION_DB, 'aws_db_instance.education'),
    finding('RDS.3', RDS_REGION, EDUCATION_DB, 'aws_db_instance.education'),
    finding('RDS.8', RDS_REGION, EDUCATION_DB, 'aws_db_instance.education'),
    // No backup_retention_period: AWS keeps 1 day, fewer than the control's 7; copy_tags_to_snapshot unset (off).
    finding('RDS.11', RDS_REGION, EDUCATION_DB, 'aws_db_instance.education'),
    finding('RDS.17', RDS_REGION, EDUCATION_DB, 'aws_db_instance.education'),
    finding('EC2.18', RDS_REGION, EDUCATION_SG, 'aws_security_group.rds'),
    finding('EC2.19', RDS_REGION, EDUCATION_SG, 'aws_security_group.rds'),
    // The module names its VPC after its `name` input (Name tag); the call site is what the code declares.
    finding(
      'EC2.6',
      RDS_REGION,
      { type: 'AwsEc2Vpc', id: rdsArn('ec2', 'vpc/vpc-0e1d2c3b4a5968778'), tags: { Name: 'education' } },
      'module.vpc',
    ),
  ],
};

// --- hashicorp-education/learn-terraform-for-each (its start state): us-east-2; two instances from one `count` block
// tagged by the code; security groups from a registry module that names them with a prefix and a load balancer named with a
// random string, both through registry modules (their findings are located to the module call).
const EACH_REGION = 'us-east-2';
const eachArn = arnIn(EACH_REGION);
const APP_TAGS = { Terraform: 'true', Project: 'client-webapp', Environment: 'dev' };
const LB_SG = {
  type: 'AwsEc2SecurityGroup',
  id: eachArn('ec2', 'security-group/sg-0f9e8d7c6b5a43210'),
  details: { GroupName: 'load-balancer-sg-client-webapp-dev-20240611093015123400000002', GroupId: 'sg-0f9e8d7c6b5a43210' },
};
const ELB = {
  type: 'AwsElbLoadBalancer',
  id: eachArn('elasticloadbalancing', 'loadbalancer/lb-Xq7p-client-webapp-dev'),
  details: { LoadBalancerName: 'lb-Xq7p-client-webapp-dev' },
};

export const LEARN_FOR_EACH: RealRepo = {
  name: 'learn-terraform-for-each',
  iac: 'terraform',
  root: join(FIXTURES, 'learn-terraform-for-each'),
  findings: [
    finding(
      'EC2.8',
      EACH_REGION,
      { type: 'AwsEc2Instance', id: eachArn('ec2', 'instance/i-0aa1bb2cc3dd4ee5f'), tags: APP_TAGS },
      'aws_instance.app',
    ),
    finding(
      'EC2.8',
      EACH_REGION,
      { type: 'AwsEc2Instance', id: eachArn('ec2', 'instance/i-0ff6ee5dd4cc3bb2a'), tags: APP_TAGS },
      'aws_instance.app',
    ),
    // The web submodule opens 8080 too, to 0.0.0.0/0 for the load balancer's group.
    finding('EC2.19', EACH_REGION, LB_SG, 'module.lb_security_group'),
    finding('EC2.18', EACH_REGION, LB_SG, 'module.lb_security_group'),
    // Named `lb-<random_string>-<project>-<environment>` through replace/substr/trimsuffix, untagged: located by that shape.
    finding('ELB.5', EACH_REGION, ELB, 'module.elb_http'),
    finding('ELB.7', EACH_REGION, ELB, 'module.elb_http'),
  ],
};

// --- aws-cloudformation/aws-cloudformation-templates: each template deployed as its own stack; CloudFormation tags what it creates.
const CFN_REGION = 'us-east-1';
const cfnArn = arnIn(CFN_REGION);

function stackTags(stack: string, logicalId: string): Record<string, string> {
  return {
    'aws:cloudformation:stack-name': stack,
    'aws:cloudformation:logical-id': logicalId,
    'aws:cloudformation:stack-id': cfnArn('cloudformation', `stack/${stack}/5f1e2d3c-0b9a-11ef-8e7d-0a1b2c3d4e5f`),
  };
}

const WEB_SG = {
  type: 'AwsEc2SecurityGroup',
  id: cfnArn('ec2', 'security-group/sg-0aa11bb22cc33dd44'),
  details: { GroupName: 'web-InstanceSecurityGroup-1XJ5V8Q2R4T6Y', GroupId: 'sg-0aa11bb22cc33dd44' },
  tags: stackTags('web', 'InstanceSecurityGroup'),
};

const REPL_BUCKET = {
  type: 'AwsS3Bucket',
  id: `arn:aws:s3:::repl-${ACCOUNT}-bucket`,
  details: { Name: `repl-${ACCOUNT}-bucket` },
  tags: stackTags('repl', 'S3BucketSource'),
};
const TRIGGER_BUCKET = {
  type: 'AwsS3Bucket',
  id: 'arn:aws:s3:::acme-uploads-trigger',
  details: { Name: 'acme-uploads-trigger' },
  tags: stackTags('trigger', 'S3BucketNotification'),
};
const MY_DB = {
  type: 'AwsRdsDbInstance',
  id: cfnArn('rds', 'db:db-mydb-q1w2e3r4t5y6'),
  details: { DbInstanceIdentifier: 'db-mydb-q1w2e3r4t5y6' },
  tags: stackTags('db', 'MyDB'),
};
const TABLE = {
  type: 'AwsDynamoDbTable',
  id: cfnArn('dynamodb', 'table/table-myDynamoDBTable-1A2B3C4D5E6F'),
  details: { TableName: 'table-myDynamoDBTable-1A2B3C4D5E6F' },
  tags: stackTags('table', 'myDynamoDBTable'),
};

export const CFN_TEMPLATES: RealRepo = {
  name: 'aws-cloudformation-templates',
  iac: 'cloudformation',
  root: join(FIXTURES, 'aws-cloudformation-templates'),
  findings: [
    // SSHLocation's default 192.168.1.0/0 is every address.
    finding('EC2.19', CFN_REGION, WEB_SG, 'InstanceSecurityGroup'),
    finding('EC2.13', CFN_REGION, WEB_SG, 'InstanceSecurityGroup'),
    finding(
      'EC2.8',
      CFN_REGION,
      { type: 'AwsEc2Instance', id: cfnArn('ec2', 'instance/i-0123abcd4567ef890'), tags: stackTags('web', 'EC2Instance') },
      'EC2Instance',
    ),
    // Neither bucket logs its access; the source bucket is versioned (replication needs it), the notification bucket is not.
    ...['S3.5', 'S3.9'].map((control) => finding(control, CFN_REGION, REPL_BUCKET, 'S3BucketSource')),
    ...['S3.5', 'S3.9', 'S3.14'].map((control) => finding(control, CFN_REGION, TRIGGER_BUCKET, 'S3BucketNotification')),
    finding(
      'Lambda.2',
      CFN_REGION,
      {
        type: 'AwsLambdaFunction',
        id: cfnArn('lambda', 'function:trigger-S3TriggerLambdaFunction-Ab3dE5fG7hI9'),
        details: { FunctionName: 'trigger-S3TriggerLambdaFunction-Ab3dE5fG7hI9' },
        tags: stackTags('trigger', 'S3TriggerLambdaFunction'),
      },
      'S3TriggerLambdaFunction',
    ),
    // BackupRetentionPeriod 7 and minor upgrades (the default) comply; CopyTagsToSnapshot is unset (off).
    ...['RDS.8', 'RDS.17'].map((control) => finding(control, CFN_REGION, MY_DB, 'MyDB')),
    // Point-in-time recovery is on; deletion protection is not.
    ...['DynamoDB.1', 'DynamoDB.6'].map((control) => finding(control, CFN_REGION, TABLE, 'myDynamoDBTable')),
  ],
};

export const REAL_REPOS: readonly RealRepo[] = [TERRAGOAT, LEARN_RDS, LEARN_FOR_EACH, CFN_TEMPLATES];
