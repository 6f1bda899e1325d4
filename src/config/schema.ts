/**
 * `cloudmend.config.yaml`: one file decides which findings act, in which mode, and where their
 * pull requests go. Unknown keys are errors (a typo must not silently fall back to a default).
 */
import { isIPv6 } from 'node:net';
import * as z from 'zod';
import { SEVERITY_LABELS } from '../findings/severity.js';

export const TIERS = ['observe', 'recommend', 'pull_request', 'pull_request_with_approval'] as const;
export type Tier = (typeof TIERS)[number];

export const IAC_KINDS = ['terraform', 'cloudformation', 'cdk'] as const;
export const FINDING_SOURCES = ['securityhub', 'config-compliance', 'config-change', 'drift', 'schedule'] as const;
export const SCHEDULED_TASKS = ['drift-scan', 'backfill', 'approval-expiry', 'sweep'] as const;

// YAML reads an unquoted account id as a number (dropping leading zeros); ids are always 12 digits.
const accountText = (value: unknown): unknown =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value).padStart(12, '0') : value;
const AccountId = z.preprocess(accountText, z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'));
const AccountOrAny = z.preprocess(
  accountText,
  z.string().regex(/^(\d{12}|\*)$/, 'must be a 12-digit AWS account id, or "*" for every account'),
);
const Region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region such as us-east-1');
const Severity = z.enum(SEVERITY_LABELS);
const Name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"');

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
/** `90s`, `30m`, `24h`, `7d` → seconds. */
/** `30m`, `24h`, `7d`, or a number of seconds, so that a parsed config parses again to itself. */
const Duration = z.union(
  [
    z.number().int().positive(),
    z
      .string()
      .regex(/^\d+[smhd]$/, 'must be a duration such as 30m, 24h or 7d')
      .transform((text) => Number(text.slice(0, -1)) * UNIT_SECONDS[text.slice(-1) as keyof typeof UNIT_SECONDS]),
  ],
  { error: 'must be a duration such as 30m, 24h or 7d' },
);

const Repository = z
  .strictObject({
    name: Name,
    provider: z.enum(['local', 'github']).default('local'),
    /** A directory (local, relative to the config file) or `owner/repo` (github). */
    location: z.string().min(1),
    defaultBranch: z.string().min(1).default('main'),
    iac: z.enum(IAC_KINDS),
    owns: z.strictObject({
      /** `'*'` owns every account; say so explicitly rather than by omission. */
      accounts: z.array(AccountOrAny).min(1),
      regions: z.array(Region).min(1).optional(),
      /** Every tag listed must be on the resource with this value. */
      tags: z.record(z.string().min(1), z.string()).optional(),
      /** CloudFormation stack names (the resource's aws:cloudformation:stack-name tag). */
      stacks: z.array(z.string().min(1)).min(1).optional(),
    }),
    /** CloudFormation stack name → template path inside the repository. */
    templates: z.record(z.string().min(1), z.string().min(1)).optional(),
    /**
     * A CDK app run locally: the directory (relative to the config file) where its packages are
     * installed, its node_modules, which the jailed synthesis reads. Without it the app gets
     * cloudmend's own aws-cdk-lib and constructs, as in the deployed sandbox.
     */
    nodeModules: z.string().min(1).optional(),
  })
  .superRefine((repo, ctx) => {
    if (repo.nodeModules !== undefined && repo.iac !== 'cdk')
      ctx.addIssue({ code: 'custom', path: ['nodeModules'], message: 'only a CDK app (iac: cdk) has node_modules to read' });
    if (repo.provider === 'github' && !/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(repo.location)) {
      ctx.addIssue({ code: 'custom', path: ['location'], message: 'a github repository location must be owner/name' });
    }
  });

const PolicyRule = z.strictObject({
  name: Name,
  match: z
    .strictObject({
      /** Control ids; `*` matches any run of characters (`S3.*`). */
      controls: z.array(z.string().min(1)).min(1).optional(),
      minSeverity: Severity.optional(),
      accounts: z.array(AccountId).min(1).optional(),
      regions: z.array(Region).min(1).optional(),
      sources: z.array(z.enum(FINDING_SOURCES)).min(1).optional(),
    })
    .default({}),
  tier: z.enum(TIERS),
});

const Budgets = z.strictObject({
  maxIterations: z.number().int().min(1).max(50).default(8),
  maxTokens: z.number().int().min(1000).max(2_000_000).default(200_000),
  maxSeconds: z.number().int().min(10).max(3600).default(600),
});

const Model = z
  .strictObject({
    provider: z.enum(['none', 'bedrock']).default('none'),
    /** Bedrock model id or inference profile id/ARN. */
    modelId: z.string().min(1).optional(),
    region: Region.optional(),
    budgets: Budgets.default(Budgets.parse({})),
  })
  .superRefine((model, ctx) => {
    if (model.provider === 'bedrock' && !model.modelId) {
      ctx.addIssue({ code: 'custom', path: ['modelId'], message: 'required when provider is bedrock' });
    }
  });

const Schedule = z.strictObject({
  /** Also the EventBridge rule name: a "Scheduled Event" from a rule of this name runs `task`. */
  name: Name,
  task: z.enum(SCHEDULED_TASKS),
  expression: z.string().regex(/^(cron|rate)\(.+\)$/, 'must be an EventBridge expression: cron(...) or rate(...)'),
});

const Approvals = z.strictObject({
  /** How long an approval request waits before it expires (at most 7d, the state machine's backstop). */
  timeout: Duration.pipe(z.number().max(7 * 86_400, 'must be 7d or less')).default(24 * 3600),
  slack: z.strictObject({ channel: z.string().min(1) }).optional(),
  approvers: z
    .strictObject({
      users: z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id such as U024BE7LH')).default([]),
      groups: z.array(z.string().regex(/^S[A-Z0-9]+$/, 'must be a Slack user group id such as S0614TZR7')).default([]),
    })
    .default({ users: [], groups: [] }),
});

const Ipv4Cidr = z.string().refine((v) => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
  return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32 && v !== '0.0.0.0/0';
}, 'must be an IPv4 CIDR such as 10.0.0.0/8 (and not 0.0.0.0/0)');
const Ipv6Cidr = z.string().refine((v) => {
  const [address = '', prefix = ''] = v.split('/');
  return isIPv6(address) && /^\d{1,3}$/.test(prefix) && Number(prefix) <= 128 && Number(prefix) > 0;
}, 'must be an IPv6 CIDR such as 2001:db8::/32 (and not ::/0)');

/** An S3 general purpose bucket name: 3-63 lowercase letters, digits, dots and hyphens, not shaped like an IP address. */
const S3BucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens), not an ARN')
  .refine((v) => !/^\d+\.\d+\.\d+\.\d+$/.test(v) && !v.includes('..'), 'must be an S3 bucket name, not an IP address or with ".."');

/** The `skills` section: values only the user knows, which skills read and never guess. */
export const Skills = z.strictObject({
  /** Where 0.0.0.0/0 ingress on risky ports is narrowed to. Empty: such rules are reported, not fixed. */
  allowedIngressCidrs: z.array(Ipv4Cidr).default([]),
  /** Where ::/0 ingress is narrowed to. Empty: ::/0 is removed from a rule that keeps another source. */
  allowedIngressIpv6Cidrs: z.array(Ipv6Cidr).default([]),
  /** KMS key ARN (or alias ARN) for CloudTrail log encryption. Unset: CloudTrail.2 is a suggestion. */
  cloudTrailKmsKeyId: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:/, 'must be a KMS key or alias ARN')
    .optional(),
  /**
   * The backup retention (days) RDS instances, DocumentDB and Neptune clusters must keep and the fix
   * writes: the parameter of RDS.11 (`backupRetentionMinimum`), DocumentDB.2 and Neptune.5
   * (`minimumBackupRetentionPeriod`) when you customized it (7 to 35). Unset: 7, their default.
   */
  rdsBackupRetentionMinimum: z.number().int().min(7, 'RDS.11 takes 7 to 35 days').max(35, 'RDS allows at most 35 days').optional(),
  /**
   * Customer managed KMS key (key or alias ARN) for SNS topics (SNS.1). Unset: topics that AWS
   * services publish to (alarms, EventBridge, S3 events) are reported, since those services cannot
   * use the AWS managed key `alias/aws/sns`; other topics get `alias/aws/sns`.
   */
  snsKmsKeyId: z
    .string()
    .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/, 'must be a KMS key or alias ARN')
    .optional(),
  /** Images an ECR repository keeps (ECR.3): the lifecycle rule added expires the oldest beyond this count. Unset: ECR.3 is a suggestion. */
  ecrLifecycleMaxImages: z.number().int().min(1).max(10_000).optional(),
  /** Rotation for Secrets Manager secrets (SecretsManager.1): the rotation function and its schedule. Unset: a suggestion. */
  secretsManagerRotation: z
    .strictObject({
      /** ARN of the Lambda function that rotates the secrets (it must know how to rotate their kind of credential). */
      lambdaArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/, 'must be a Lambda function ARN'),
      /** Days between rotations (1 to 1000). */
      days: z.number().int().min(1).max(1000),
    })
    .optional(),
  /**
   * EKS.1: true when kubectl, CI and every other client reach EKS clusters' API from inside their
   * VPC (VPN, Direct Connect, in-VPC runners): public endpoints are then turned off. Unset or false: a suggestion.
   */
  eksPrivateEndpoints: z.boolean().optional(),
  /**
   * Days of automatic backups ElastiCache (Redis OSS, Valkey) keeps (ElastiCache.1): set it to at least the control's
   * `snapshotRetentionPeriod` (Security Hub's default: 1). Unset: clusters without backups are a suggestion.
   */
  elastiCacheSnapshotRetentionDays: z.number().int().min(1, 'must be 1 to 35 days').max(35, 'must be 1 to 35 days').optional(),
  /**
   * CloudWatch Logs log group CloudTrail trails deliver to (CloudTrail.5), as CloudTrail takes it:
   * the group ARN ending in `:*`. Set with cloudTrailCloudWatchLogsRoleArn; unset: a suggestion.
   */
  cloudTrailLogGroupArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]+:\*$/,
      'must be a log group ARN ending in :* (arn:aws:logs:<region>:<account>:log-group:<name>:*)',
    )
    .optional(),
  /** IAM role CloudTrail assumes to write to cloudTrailLogGroupArn (logs:CreateLogStream, logs:PutLogEvents). */
  cloudTrailCloudWatchLogsRoleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN')
    .optional(),
  /**
   * Bucket S3 server access logs go to (S3.9), by name; it must let logging.s3.amazonaws.com write (bucket policy).
   * It is never logged into itself. Unset: buckets without access logging are a suggestion.
   */
  s3AccessLogBucket: S3BucketName.optional(),
  /** Prefix in the log bucket; each bucket logs under `<prefix><bucket's name in the code>/`. Unset: no prefix before that. */
  s3AccessLogPrefix: z
    .string()
    .regex(/^[\w!\-.*'()/]{0,900}$/, "must be an S3 key prefix such as s3-access/ (letters, digits and !-_.*'()/)")
    .optional(),
  /** Bucket Application and Classic Load Balancers write access logs to (ELB.5), by name; its policy must let ELB write. Unset: a suggestion. */
  elbAccessLogBucket: S3BucketName.optional(),
  /** Object CloudFront distributions return for their root URL (CloudFront.1), such as index.html: an object key, no leading slash. */
  cloudFrontDefaultRootObject: z
    .string()
    .regex(/^[^/\s][^\s]{0,254}$/, 'must be an object key such as index.html, without a leading slash')
    .optional(),
  /**
   * Execution logging level for API Gateway REST and WebSocket stages (APIGateway.1): ERROR or INFO. Set it only
   * when every account the code deploys to has its API Gateway CloudWatch Logs role (aws_api_gateway_account /
   * AWS::ApiGateway::Account): without that role, turning logging on fails the deploy. Unset: a suggestion.
   */
  apiGatewayLoggingLevel: z.enum(['ERROR', 'INFO']).optional(),
});

const Auto = z.enum(['auto', 'off']);

const Validators = z.strictObject({
  terraform: z
    .strictObject({
      /**
       * auto: run `terraform validate` when terraform is installed and a provider mirror allows an
       * offline init (the validators run without network); off: never.
       */
      mode: z
        .enum(['auto', 'off'], {
          error:
            'must be auto or off (validators run without network: give pluginDir a provider mirror made with `terraform providers mirror <dir>`)',
        })
        .default('auto'),
      /** A provider plugin directory or filesystem mirror for offline `terraform init`. */
      pluginDir: z.string().min(1).optional(),
    })
    .default({ mode: 'auto' }),
  /** auto: run cfn-lint on CloudFormation fixes when installed; off: never. */
  cfnLint: z.strictObject({ mode: Auto.default('auto') }).default({ mode: 'auto' }),
});

/** AWS Organizations rollout: member accounts forward their Config events and open a read-only drift-scan role. */
const Organization = z.strictObject({
  /** The organization's id: the event bus accepts events from its accounts only (aws:PrincipalOrgID). */
  id: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization id: o- followed by 10-32 lowercase letters or digits'),
  /** Where the member stack is deployed (and auto-deployed to new accounts): the root (r-…) for every account, or OUs (ou-…). */
  organizationalUnits: z
    .array(
      z
        .string()
        .regex(/^(r-[a-z0-9]{4,32}|ou-[a-z0-9]{4,32}-[a-z0-9]{8,32})$/, 'must be a root id (r-…) or an organizational unit id (ou-…-…)'),
    )
    .min(1),
  /** The member accounts' regions whose Config events are forwarded; unset: the stack's region. */
  regions: z.array(Region).min(1).optional(),
  /** Whom CloudFormation deploys the StackSet as: a delegated StackSets administrator (usual) or the management account (SELF). */
  callAs: z.enum(['DELEGATED_ADMIN', 'SELF']).default('DELEGATED_ADMIN'),
});

function unique<T>(items: readonly T[], key: (item: T) => string, path: readonly string[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const k = key(item);
    if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [...path, index, 'name'], message: `duplicate name "${k}"` });
    seen.add(k);
  });
}

export const ConfigSchema = z
  .strictObject({
    version: z.literal(1),
    triggers: z
      .strictObject({
        /** Security Hub findings below this severity start nothing. */
        severityFloor: Severity.default('MEDIUM'),
        /** The Security Hub custom action id whose "send to" starts a remediation. */
        customActionId: z
          .string()
          .regex(/^[A-Za-z0-9]{1,20}$/, 'must be 1-20 letters or digits')
          .default('CloudmendRemediate'),
      })
      .default({ severityFloor: 'MEDIUM', customActionId: 'CloudmendRemediate' }),
    repositories: z.array(Repository).default([]),
    policy: z
      .strictObject({ default: z.enum(TIERS).default('pull_request_with_approval'), rules: z.array(PolicyRule).default([]) })
      .default({ default: 'pull_request_with_approval', rules: [] }),
    approvals: Approvals.default(Approvals.parse({})),
    model: Model.default(Model.parse({})),
    schedules: z.array(Schedule).default([]),
    skills: Skills.default({ allowedIngressCidrs: [], allowedIngressIpv6Cidrs: [] }),
    validators: Validators.default({ terraform: { mode: 'auto' }, cfnLint: { mode: 'auto' } }),
    ledger: z.strictObject({ path: z.string().min(1).default('.cloudmend/ledger.db') }).default({ path: '.cloudmend/ledger.db' }),
    batching: z
      .strictObject({
        /** How long findings are collected before they are grouped (AWS: the SQS batching window, at most 300 s); 0 turns batching off. */
        windowSeconds: z.number().int().min(0).max(300).default(60),
        /** Findings per batch (one execution, one pull request) at most: a batch's state must fit Step Functions' 256 KB. */
        maxFindings: z.number().int().min(2).max(200).default(100),
      })
      .default({ windowSeconds: 60, maxFindings: 100 }),
    drift: z
      .strictObject({
        /** How long "Ignore" keeps drift on a resource from being raised again (at most 90d). */
        ignoreFor: Duration.pipe(
          z
            .number()
            .min(3600, 'must be 1h or more')
            .max(90 * 86_400, 'must be 90d or less'),
        ).default(7 * 86_400),
      })
      .default({ ignoreFor: 7 * 86_400 }),
    recovery: z
      .strictObject({
        /**
         * How long a finding may stay in flight beyond its longest legitimate wait (its last step;
         * awaiting approval: its approval's deadline) before it is recorded as interrupted. A run's
         * longest step, the sandbox, may take 3,900 s four times over: hence at least 5h.
         */
        stuckAfter: Duration.pipe(
          z.number().min(5 * 3600, 'must be 5h or more (the sandbox alone may take over 4h with its retries)'),
        ).default(6 * 3600),
      })
      .default({ stuckAfter: 6 * 3600 }),
    organization: Organization.optional(),
  })
  .superRefine((config, ctx) => {
    unique(config.repositories, (r) => r.name, ['repositories'], ctx);
    unique(config.policy.rules, (r) => r.name, ['policy', 'rules'], ctx);
    unique(config.schedules, (s) => s.name, ['schedules'], ctx);
  });

export type Config = z.infer<typeof ConfigSchema>;
export type RepositoryConfig = Config['repositories'][number];
export type PolicyRuleConfig = Config['policy']['rules'][number];
