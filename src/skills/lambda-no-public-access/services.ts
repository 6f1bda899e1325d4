/**
 * Which AWS service a permission's source ARN belongs to, and so which service principal invokes
 * the function: read from the ARN itself (`arn:aws:s3:::uploads`), from the type of the resource
 * it references (`aws_s3_bucket.uploads.arn`, `!GetAtt Uploads.Arn`), or not at all.
 */
import type { CfnTemplate, CfnValue } from '../../iac/cloudformation/template.js';
import type { HclValue, Resolver } from '../../iac/terraform/hcl-expr.js';

/** Service principals that invoke Lambda functions, by the service part of their source ARN. */
const PRINCIPALS: Readonly<Record<string, string>> = {
  s3: 's3.amazonaws.com',
  sns: 'sns.amazonaws.com',
  events: 'events.amazonaws.com',
  'execute-api': 'apigateway.amazonaws.com',
  logs: 'logs.amazonaws.com',
  iot: 'iot.amazonaws.com',
  'cognito-idp': 'cognito-idp.amazonaws.com',
  elasticloadbalancing: 'elasticloadbalancing.amazonaws.com',
  cloudwatch: 'lambda.alarms.cloudwatch.amazonaws.com',
  codecommit: 'codecommit.amazonaws.com',
  config: 'config.amazonaws.com',
  secretsmanager: 'secretsmanager.amazonaws.com',
};

const TF_TYPES: Readonly<Record<string, string>> = {
  aws_s3_bucket: 's3',
  aws_sns_topic: 'sns',
  aws_cloudwatch_event_rule: 'events',
  aws_api_gateway_rest_api: 'execute-api',
  aws_api_gateway_stage: 'execute-api',
  aws_apigatewayv2_api: 'execute-api',
  aws_apigatewayv2_stage: 'execute-api',
  aws_cloudwatch_log_group: 'logs',
  aws_iot_topic_rule: 'iot',
  aws_cognito_user_pool: 'cognito-idp',
  aws_lb_target_group: 'elasticloadbalancing',
  aws_alb_target_group: 'elasticloadbalancing',
  aws_cloudwatch_metric_alarm: 'cloudwatch',
  aws_codecommit_repository: 'codecommit',
  aws_config_config_rule: 'config',
  aws_secretsmanager_secret: 'secretsmanager',
};

const CFN_TYPES: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 's3',
  'AWS::SNS::Topic': 'sns',
  'AWS::Events::Rule': 'events',
  'AWS::ApiGateway::RestApi': 'execute-api',
  'AWS::ApiGatewayV2::Api': 'execute-api',
  'AWS::Logs::LogGroup': 'logs',
  'AWS::IoT::TopicRule': 'iot',
  'AWS::Cognito::UserPool': 'cognito-idp',
  'AWS::ElasticLoadBalancingV2::TargetGroup': 'elasticloadbalancing',
  'AWS::CloudWatch::Alarm': 'cloudwatch',
  'AWS::CodeCommit::Repository': 'codecommit',
  'AWS::Config::ConfigRule': 'config',
  'AWS::SecretsManager::Secret': 'secretsmanager',
};

/** Where a source ARN points: the service principal, and the bucket resource when it is an S3 bucket declared here. */
export interface Source {
  readonly principal: string;
  /** The service, as people know it (`s3`, `execute-api`). */
  readonly service: string;
  /** For S3: the bucket's Terraform address or logical id, when declared in the same module or template. */
  readonly localBucket?: string | undefined;
}

const ARN = /^arn:[^:]+:([a-z0-9-]+):([^:]*):([^:]*):(.*)$/;

/** The service of an ARN text whose variable parts are placeholders; CloudWatch only for alarms. */
function serviceOfArn(text: string): string | undefined {
  const m = ARN.exec(text);
  const service = m?.[1];
  if (service === undefined || PRINCIPALS[service] === undefined) return undefined;
  return service === 'cloudwatch' && !m?.[4]?.startsWith('alarm:') ? undefined : service;
}

function source(service: string | undefined, localBucket?: string): Source | undefined {
  const principal = service === undefined ? undefined : PRINCIPALS[service];
  return principal === undefined || service === undefined
    ? undefined
    : { principal, service, localBucket: service === 's3' ? localBucket : undefined };
}

/** `aws_s3_bucket.uploads.arn` → `aws_s3_bucket.uploads`; `data.aws_s3_bucket.x.arn` → `data.aws_s3_bucket.x`. */
function resourceOf(path: string): { type: string; address: string } | undefined {
  const m = /^(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z_][\w-]*)/.exec(path);
  return m?.[2] && m[3] ? { type: m[2], address: `${m[1] ?? ''}${m[2]}.${m[3]}` } : undefined;
}

/** The source of a Terraform `source_arn`; `isLocal` says whether a bucket address is declared in the module. */
export function tfSource(
  value: HclValue | undefined,
  resolve: Resolver,
  isLocal: (address: string) => boolean,
  depth = 0,
): Source | undefined {
  if (!value || depth > 20) return undefined;
  if (value.type === 'literal') return typeof value.value === 'string' ? source(serviceOfArn(value.value)) : undefined;
  if (value.type === 'reference') {
    const target = resolve(value.path);
    if (target) return tfSource(target, resolve, isLocal, depth + 1);
    const r = resourceOf(value.path);
    return r ? source(TF_TYPES[r.type], isLocal(r.address) ? r.address : undefined) : undefined;
  }
  if (value.type === 'template') {
    const [first] = value.parts;
    if (first !== undefined && typeof first !== 'string') {
      // `"${aws_cloudwatch_log_group.x.arn}:*"`: the leading reference says the service.
      return tfSource(first, resolve, isLocal, depth + 1);
    }
    // `"arn:aws:s3:::${var.bucket}"`: the literal prefix says it; each interpolation is a placeholder.
    const text = value.parts.map((p) => (typeof p === 'string' ? p : 'x')).join('');
    const bucket = value.parts
      .flatMap((p) => (typeof p !== 'string' && p.type === 'reference' ? [resourceOf(p.path)] : []))
      .find((r) => r?.type === 'aws_s3_bucket');
    return source(serviceOfArn(text), bucket && isLocal(bucket.address) ? bucket.address : undefined);
  }
  return undefined;
}

/** Logical ids a `Fn::Sub` string refers to (`${Bucket}`, `${Bucket.Arn}`), pseudo parameters aside. */
function subRefs(text: string): string[] {
  return [...text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)].map((m) => m[1] ?? '');
}

/** The source of a CloudFormation `SourceArn`. */
export function cfnSource(t: CfnTemplate, value: CfnValue | undefined): Source | undefined {
  const typeOf = (id: string): string | undefined => t.resources.find((r) => r.logicalId === id)?.type;
  if (typeof value === 'string') return source(serviceOfArn(value));
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const ref = value.Ref;
  const getAtt = value['Fn::GetAtt'];
  const target = typeof ref === 'string' ? ref : Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
  if (target !== undefined) {
    const type = typeOf(target);
    return type === undefined ? undefined : source(CFN_TYPES[type], type === 'AWS::S3::Bucket' ? target : undefined);
  }
  const sub = value['Fn::Sub'];
  const text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
  if (text === undefined) return undefined;
  const bucket = subRefs(text).find((id) => typeOf(id) === 'AWS::S3::Bucket');
  return source(serviceOfArn(text.replace(/\$\{[^}]*\}/g, 'x')), bucket);
}
