/**
 * `external-read`: what Terraform would read, when it plans, from outside the code and the cloud
 * account: files where it runs (`file()`, `templatefile()`, `filebase64()`, `fileset()` and the
 * other file functions, `data "local_file"`, `data "archive_file"`), the network (`data "http"`,
 * `data "tls_certificate"`, `data "dns_*"`), other state (`data "terraform_remote_state"`),
 * `ephemeral` resources, which open secrets or sessions at plan time, and the AWS provider's own
 * arguments that name a local file or an address it reads (`aws_s3_object.source`, Lambda zips,
 * EMR configurations by URL: PROVIDER_READS); in a template, a local path where the packagers
 * upload one (PACKAGED). `check` blocks count when
 * they hold a data source: Terraform reads it on every plan. A change that reads what it did not
 * read before is refused: the output of a plan is where such reads leak to.
 */
import type { CfnValue } from '../iac/cloudformation/template.js';
import { FILE_READERS } from '../iac/terraform/functions.js';
import { hasRef, isList, isObject, keyOf, optionsOf, shownVal, type Val } from '../iac/values.js';
import { added, type Fact } from './facts.js';
import type { Resource, Setting, Side } from './side.js';
import type { GuardrailViolation } from './types.js';
import { holderOf } from './walk.js';

const READERS: readonly [RegExp, string][] = [
  [/^(local_file|local_sensitive_file|archive_file)$/, 'reads files where Terraform runs'],
  [/^(http|tls_certificate)$/, 'fetches a URL when Terraform plans'],
  [/^dns_/, 'queries DNS when Terraform plans'],
  [/^terraform_remote_state$/, 'reads the state of another configuration'],
];

interface ProviderRead {
  /** The argument, through nested blocks: `asset.import_assets_from_signed_url.filename`. */
  readonly path: string;
  /** What the provider does with it. */
  readonly does: string;
  /** For a known string, whether the provider reads it as a path or URL (default: always). */
  readonly when?: (value: string) => boolean;
}

const FILE = 'reads this file on the machine Terraform runs on and sends it to AWS';
const ACTIVATES = 'sends an activation request to this address from the machine Terraform runs on';

/**
 * Arguments the AWS provider opens on the machine Terraform runs on, or fetches, when it applies:
 * every configured value that reaches `os.ReadFile`, `os.Open` or an HTTP request in the source of
 * hashicorp/terraform-provider-aws (5.46.0, and the v6 symbol index for later resources).
 */
const PROVIDER_READS: Readonly<Record<string, readonly ProviderRead[]>> = {
  'resource aws_connect_contact_flow': [{ path: 'filename', does: FILE }],
  'resource aws_connect_contact_flow_module': [{ path: 'filename', does: FILE }],
  'resource aws_dataexchange_revision_assets': [{ path: 'asset.import_assets_from_signed_url.filename', does: FILE }],
  // A URL is fetched, a `.json` path read; anything else is the configuration itself.
  'resource aws_emr_cluster': [
    {
      path: 'configurations',
      does: 'fetches this URL or reads this file where Terraform runs',
      when: (v) => v.startsWith('http') || v.endsWith('.json'),
    },
  ],
  'resource aws_gamelift_script': [{ path: 'zip_file', does: FILE }],
  'resource aws_lambda_function': [{ path: 'filename', does: FILE }],
  'resource aws_lambda_layer_version': [{ path: 'filename', does: FILE }],
  'resource aws_rds_custom_db_engine_version': [{ path: 'filename', does: FILE }],
  'resource aws_s3_bucket_object': [{ path: 'source', does: FILE }],
  'resource aws_s3_object': [{ path: 'source', does: FILE }],
  'resource aws_synthetics_canary': [{ path: 'zip_file', does: FILE }],
  'resource aws_datasync_agent': [{ path: 'ip_address', does: ACTIVATES }],
  'resource aws_storagegateway_gateway': [{ path: 'gateway_ip_address', does: ACTIVATES }],
  'data aws_ip_ranges': [{ path: 'url', does: 'fetches this URL when Terraform plans' }],
};

/** Every value at `path` in `v`, through repeated blocks and alternatives; a value that is not a block where one is expected stands for what is below it. */
function valuesAt(v: Val | undefined, path: readonly string[]): Val[] {
  if (v === undefined || v === null) return [];
  if (path.length === 0) return [v];
  return optionsOf(v).flatMap((o) =>
    isList(o) ? o.flatMap((x) => valuesAt(x, path)) : isObject(o) ? valuesAt(o[path[0]!], path.slice(1)) : [o],
  );
}

function providerReads(r: Resource): Fact[] {
  const holder = holderOf(r);
  return (PROVIDER_READS[`${r.mode} ${r.type}`] ?? []).flatMap(({ path, does, when }) =>
    valuesAt(r.props, path.split('.'))
      // A value with references or unknowns in it may be anything: it counts as read.
      .filter((v) => when === undefined || typeof v !== 'string' || hasRef(v) || when(v))
      .map((v) => ({
        holder,
        key: `provider reads ${path} ${keyOf(v)}`,
        message: `${r.id} sets ${path} to ${shownVal(v)}: the AWS provider ${does}`,
        line: r.lineOf(path.split('.')),
      })),
  );
}

const PACKAGED_TEMPLATES = ['RequestMappingTemplateS3Location', 'ResponseMappingTemplateS3Location', 'CodeS3Location'];

/**
 * Template properties that `aws cloudformation package` and `sam package` / `sam deploy` upload
 * from the machine that packages when they hold a local path (a plain string that is not an S3 or
 * HTTPS URL): the packageable resources of aws-cli (`artifact_exporter.py`) and the SAM CLI
 * (`samcli/lib/utils/resources.py`).
 */
const PACKAGED: Readonly<Record<string, readonly string[]>> = {
  'AWS::Lambda::Function': ['Code'],
  'AWS::Lambda::LayerVersion': ['Content'],
  'AWS::ApiGateway::RestApi': ['BodyS3Location'],
  'AWS::ApiGatewayV2::Api': ['BodyS3Location'],
  'AWS::AppSync::GraphQLSchema': ['DefinitionS3Location'],
  'AWS::AppSync::Resolver': PACKAGED_TEMPLATES,
  'AWS::AppSync::FunctionConfiguration': PACKAGED_TEMPLATES,
  'AWS::StepFunctions::StateMachine': ['DefinitionS3Location'],
  'AWS::ElasticBeanstalk::ApplicationVersion': ['SourceBundle'],
  'AWS::Glue::Job': ['Command.ScriptLocation'],
  'AWS::CloudFormation::Stack': ['TemplateURL'],
  'AWS::CloudFormation::ModuleVersion': ['ModulePackage'],
  'AWS::CloudFormation::ResourceVersion': ['SchemaHandlerPackage'],
  'AWS::Serverless::Function': ['CodeUri'],
  'AWS::Serverless::LayerVersion': ['ContentUri'],
  'AWS::Serverless::Api': ['DefinitionUri'],
  'AWS::Serverless::HttpApi': ['DefinitionUri'],
  'AWS::Serverless::StateMachine': ['DefinitionUri'],
  'AWS::Serverless::Application': ['Location'],
};

/** A property as written (not evaluated: the packagers read literal strings only), through nested objects. */
function writtenAt(value: CfnValue | undefined, path: readonly string[]): CfnValue | undefined {
  let v = value;
  for (const key of path) v = v && typeof v === 'object' && !Array.isArray(v) ? v[key] : undefined;
  return v;
}

function packagedPaths(r: Resource): Fact[] {
  if (r.written.kind !== 'cloudformation') return [];
  const holder = holderOf(r);
  const properties = r.written.entry.Properties;
  return (PACKAGED[r.type] ?? []).flatMap((path) => {
    const value = writtenAt(properties, path.split('.'));
    if (typeof value !== 'string' || /^(s3|https?):\/\//i.test(value)) return [];
    const message = `${r.id} sets ${path} to ${shownVal(value)}, a local path: \`aws cloudformation package\` and \`sam deploy\` upload that file from the machine that packages the template`;
    return [{ holder, key: `packages ${path} ${value}`, message, line: r.lineOf(['Properties', ...path.split('.')]) }];
  });
}

function fileCalls(x: Resource | Setting): Fact[] {
  const holder = holderOf(x);
  return [...x.callTexts]
    .filter(([, name]) => FILE_READERS.has(name))
    .map(([call, name]) => ({
      holder,
      key: `calls ${call}`,
      message: `${holder.id} calls ${name}(), which reads a file where Terraform runs`,
    }));
}

function sources(r: Resource): Fact[] {
  const holder = holderOf(r);
  if (r.mode === 'ephemeral')
    return [
      {
        holder,
        key: `ephemeral ${r.text}`,
        message: `${r.id} is a new or changed ephemeral resource: it opens what it names when Terraform plans`,
      },
    ];
  if (r.mode !== 'data') return [];
  const found = READERS.find(([type]) => type.test(r.type));
  return found ? [{ holder, key: `reads ${r.text}`, message: `${r.id} is a new or changed data source: it ${found[1]}` }] : [];
}

function checks(s: Setting): Fact[] {
  // An `external` data source runs a program: code-execution's to judge.
  if (s.kind !== 'check' || !s.blocks.some((b) => b.type === 'data' && b.labels[0] !== 'external')) return [];
  return [
    {
      holder: holderOf(s),
      key: `check ${s.text}`,
      message: `the check block ${s.labels[0] ?? ''} is new or changed and holds a data source, which Terraform reads on every plan`,
    },
  ];
}

function facts(side: Side): Fact[] {
  return [
    ...side.resources.flatMap((r) => [...sources(r), ...fileCalls(r), ...providerReads(r), ...packagedPaths(r)]),
    ...side.settings.flatMap((s) => [...fileCalls(s), ...checks(s)]),
  ];
}

/** Reads from outside the code and the account that the patch adds. */
export function externalReads(before: Side, after: Side): GuardrailViolation[] {
  return added('external-read', facts(before), facts(after));
}
