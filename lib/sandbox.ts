/**
 * The sandbox: a Fargate task that runs the model agent, and the validators (terraform validate,
 * cfn-lint) on every patch, on a copy of the code. It lives in isolated subnets of a VPC with no
 * internet or NAT gateway; the only ways out are the VPC endpoints it needs (Bedrock runtime when
 * a model is configured, S3, ECR, CloudWatch Logs). Its role may call the configured model and
 * read and write its own objects; it holds no GitHub credentials and no write access to any cloud
 * resource.
 */
import { Arn, Aws, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BUCKET_PREFIX, ENV } from '../src/aws/environment.js';
import type { CloudmendData } from './data.js';
import { acknowledgeWildcard, nagResource } from './nag.js';
import { PROJECT_ROOT } from './project.js';

export interface CloudmendSandboxProps {
  /**
   * Bedrock model id, inference profile id, or ARN of either.
   * @default - no model: the sandbox only validates, with no Bedrock endpoint or permission
   */
  readonly modelId?: string;
  readonly data: CloudmendData;
  /** @default - a new VPC with one isolated subnet and the endpoints the sandbox needs */
  readonly vpc?: ec2.IVpc;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** @default 'arm64' */
  readonly architecture?: SandboxArchitecture;
}

/**
 * The CPU the sandbox runs on, and so the platform its image is built for at deploy time: arm64
 * (Graviton, about 20% cheaper) needs an ARM builder or QEMU; x86_64 builds natively on x86.
 */
export type SandboxArchitecture = 'arm64' | 'x86_64';

export const SANDBOX_ARCHITECTURES: Readonly<
  Record<SandboxArchitecture, { cpu: ecs.CpuArchitecture; platform: Platform; terraformPlatform: string }>
> = {
  arm64: { cpu: ecs.CpuArchitecture.ARM64, platform: Platform.LINUX_ARM64, terraformPlatform: 'linux_arm64' },
  x86_64: { cpu: ecs.CpuArchitecture.X86_64, platform: Platform.LINUX_AMD64, terraformPlatform: 'linux_amd64' },
};

/** Where the task's scratch volume is mounted: the image declares the same path a `VOLUME`, owned by uid 1000. */
export const SCRATCH_PATH = '/tmp';
/** The image's unprivileged user, which owns the scratch volume. */
export const SANDBOX_USER = '1000:1000';

const PROFILE_PREFIX = /^(us|eu|apac|us-gov|global|jp|au|ca)\./;

/**
 * The resources `bedrock:InvokeModel` needs for a model id: the foundation model, or an inference
 * profile and the foundation models it routes to (in any region the profile spans).
 */
export function bedrockModelResources(modelId: string): string[] {
  if (modelId.startsWith('arn:')) return [modelId];
  const foundation = (region: string, id: string): string =>
    Arn.format({ service: 'bedrock', region, account: '', resource: 'foundation-model', resourceName: id, partition: Aws.PARTITION });
  if (!PROFILE_PREFIX.test(modelId)) return [foundation(Aws.REGION, modelId)];
  const profile = Arn.format({
    service: 'bedrock',
    region: Aws.REGION,
    account: Aws.ACCOUNT_ID,
    resource: 'inference-profile',
    resourceName: modelId,
    partition: Aws.PARTITION,
  });
  return [profile, foundation('*', modelId.replace(PROFILE_PREFIX, ''))];
}

export class CloudmendSandbox extends Construct {
  readonly vpc: ec2.IVpc;
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly securityGroup: ec2.SecurityGroup;
  /** The subnets the task runs in. */
  readonly subnetIds: string[];

  constructor(scope: Construct, id: string, props: CloudmendSandboxProps) {
    super(scope, id);
    this.vpc = props.vpc ?? this.isolatedVpc(props);
    this.subnetIds = this.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnetIds;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: 'cloudmend sandbox: HTTPS to VPC endpoints only',
      allowAllOutbound: false,
    });
    // The subnets route nowhere but to the VPC and the S3 gateway endpoint, whose addresses are a
    // regional prefix list CloudFormation cannot name; HTTPS "anywhere" reaches only those.
    this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the VPC endpoints and the S3 gateway endpoint');

    this.cluster = new ecs.Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const architecture = SANDBOX_ARCHITECTURES[props.architecture ?? 'arm64'];
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: 1024,
      memoryLimitMiB: 4096,
      runtimePlatform: { cpuArchitecture: architecture.cpu, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      volumes: [{ name: 'scratch' }],
    });
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.container = this.taskDefinition.addContainer('agent', {
      // Built by `cdk deploy`, not by synth: staging the context needs no Docker.
      image: ecs.ContainerImage.fromAsset(PROJECT_ROOT, {
        file: 'sandbox/Dockerfile',
        platform: architecture.platform,
        buildArgs: { TERRAFORM_PLATFORM: architecture.terraformPlatform },
        exclude: ['**', '!package.json', '!package-lock.json', '!tsconfig.json', '!src/**', '!sandbox/**', 'src/skills/*/cases/**'],
      }),
      user: SANDBOX_USER,
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'sandbox', logGroup }),
      // The bucket's name only; the task and result keys come per run, as container overrides.
      environment: { [ENV.artifactsBucket]: props.data.artifacts.bucketName },
    });
    this.container.addMountPoints({ containerPath: SCRATCH_PATH, sourceVolume: 'scratch', readOnly: false });

    if (props.modelId !== undefined) {
      const models = bedrockModelResources(props.modelId);
      this.taskDefinition.taskRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: models }));
      for (const model of models.filter((arn) => arn.includes('*'))) {
        acknowledgeWildcard(
          this.taskDefinition,
          nagResource(this, model),
          'An inference profile routes each call to the same model in one of several regions; the grant names the model and leaves only the region open.',
        );
      }
    }
    acknowledgeWildcard(
      this.taskDefinition,
      '*',
      'The execution role pulls the image: ecr:GetAuthorizationToken has no resource-level permissions.',
    );
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The one variable set in the task definition is the artifacts bucket name, which is not secret; per-run values come as container overrides.',
    });
    Validations.of(this.vpc).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        "The endpoints' security groups admit HTTPS from the VPC's own CIDR only (a token cdk-nag cannot evaluate); the VPC has no internet gateway.",
    });
    props.data.grantArtifacts(
      this.taskDefinition.taskRole,
      BUCKET_PREFIX.sandboxInput,
      'read',
      this.taskDefinition,
      'The sandbox reads its own input: one object per run, named at run time, under this prefix only.',
    );
    props.data.grantArtifacts(
      this.taskDefinition.taskRole,
      BUCKET_PREFIX.sandboxOutput,
      'write',
      this.taskDefinition,
      'The sandbox writes its result (a diff) under this prefix only; a separate task with separate credentials reads it and opens the pull request.',
    );
  }

  /**
   * Lets a state machine run the task and wait for it (`ecs:runTask.sync`): RunTask on this task
   * definition, stop and describe its tasks, pass its two roles, and the managed EventBridge rule
   * Step Functions uses to learn that the task stopped.
   */
  grantRun(grantee: iam.IGrantable): void {
    const stack = Stack.of(this);
    iam.Grant.addToPrincipal({ grantee, actions: ['ecs:RunTask'], resourceArns: [this.taskDefinition.taskDefinitionArn] });
    const tasks = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: `${this.cluster.clusterName}/*` });
    iam.Grant.addToPrincipal({ grantee, actions: ['ecs:StopTask', 'ecs:DescribeTasks'], resourceArns: [tasks] });
    if (grantee instanceof Construct)
      acknowledgeWildcard(
        grantee,
        nagResource(this, tasks),
        "Task ids are made when the task starts; the grant is limited to the sandbox cluster's tasks.",
      );
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['iam:PassRole'],
      resourceArns: [this.taskDefinition.taskRole.roleArn, this.taskDefinition.obtainExecutionRole().roleArn],
    });
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
      resourceArns: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForECSTaskRule' })],
    });
  }

  private isolatedVpc(props: CloudmendSandboxProps): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      // One zone: sandbox runs are short and retried; each extra zone doubles the endpoints' cost.
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'sandbox', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.ALL });
    for (const [name, service] of Object.entries({
      ...(props.modelId === undefined ? {} : { BedrockRuntime: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME }),
      Ecr: ec2.InterfaceVpcEndpointAwsService.ECR,
      EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
      Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    })) {
      vpc.addInterfaceEndpoint(name, { service, privateDnsEnabled: true });
    }
    return vpc;
  }
}
