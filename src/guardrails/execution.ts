/**
 * `code-execution`: a fix sets arguments; it never adds code that runs when the patch is planned or
 * applied, nor changes what resources run once deployed. In Terraform: provisioners (new or
 * changed), `null_resource` / `terraform_data` (new or changed in any way: a change replaces them,
 * which re-runs what they carry), `external` data sources, Lambda invocations, SSM associations,
 * stacks deployed from Terraform, module calls that are new or change their source or version (their
 * code is not part of the patch, whatever the source), provider-defined functions
 * (`provider::x::f()`, the provider's code at plan time). In CloudFormation: custom resources,
 * macros, `Transform` and `Fn::Transform` anywhere, inline Lambda code, nested stacks, stack sets,
 * SSM associations, extensions and third-party types, `AWS::CloudFormation::Init`. In both: user
 * data, machine and container images, function code and layers, job scripts, cluster bootstrap
 * actions and steps.
 */
import { isProviderFunction } from '../iac/terraform/functions.js';
import { keyOf, shownVal, type Val } from '../iac/values.js';
import { added, violation, type Fact } from './facts.js';
import type { Resource, Setting, Side } from './side.js';
import type { GuardrailViolation } from './types.js';
import { byKey, entries, holderOf, namePath, shownPath } from './walk.js';

const PROVISIONERS: Readonly<Record<string, string>> = {
  'local-exec': 'runs a command where Terraform runs',
  'remote-exec': 'runs commands on the resource',
  file: 'copies files to the resource',
};

/** Resources and data sources that run code (or deploy templates) whenever Terraform plans or applies. */
const RUNS: Readonly<Record<string, string>> = {
  'data:external': 'runs a program when Terraform plans',
  'data:aws_lambda_invocation': 'invokes a Lambda function when Terraform plans',
  'resource:aws_lambda_invocation': 'invokes a Lambda function on apply',
  'resource:aws_ssm_association': 'runs an SSM document on instances',
  'resource:aws_cloudformation_stack': 'deploys a CloudFormation template on apply',
  'resource:aws_cloudformation_stack_set': 'deploys a CloudFormation template to other accounts on apply',
  'resource:aws_cloudformation_stack_set_instance': 'deploys a CloudFormation template to other accounts on apply',
  'resource:local_file': 'writes a file where Terraform runs',
  'resource:local_sensitive_file': 'writes a file where Terraform runs',
};

/** Resources that exist to run things: any change to them replaces them, which runs them again. */
const RUNNERS = new Set(['null_resource', 'terraform_data']);

interface Payload {
  readonly types: RegExp;
  /** Argument or property names, wherever in the resource they are. */
  readonly names: ReadonlySet<string>;
  readonly says: string;
}

const PAYLOADS: readonly Payload[] = [
  { types: /./, names: new Set(['user_data', 'user_data_base64', 'UserData']), says: 'runs on the instance at boot' },
  {
    types: /^aws_lambda_function$/,
    names: new Set(['filename', 's3_bucket', 's3_key', 's3_object_version', 'image_uri', 'source_code_hash', 'layers']),
    says: "is the function's code",
  },
  {
    types: /^AWS::Lambda::Function$/,
    names: new Set(['S3Bucket', 'S3Key', 'S3ObjectVersion', 'ImageUri', 'Layers', 'ZipFile']),
    says: "is the function's code",
  },
  {
    types: /^aws_lambda_layer_version$/,
    names: new Set(['filename', 's3_bucket', 's3_key', 's3_object_version', 'source_code_hash']),
    says: 'is code every function using the layer runs',
  },
  {
    types: /^AWS::Lambda::LayerVersion$/,
    names: new Set(['S3Bucket', 'S3Key', 'S3ObjectVersion']),
    says: 'is code every function using the layer runs',
  },
  { types: /^(aws_glue_job|AWS::Glue::Job)$/, names: new Set(['script_location', 'ScriptLocation']), says: 'is the script the job runs' },
  {
    types: /^(aws_emr_cluster|AWS::EMR::Cluster)$/,
    names: new Set(['bootstrap_action', 'step', 'BootstrapActions', 'Steps']),
    says: "runs on the cluster's instances",
  },
  { types: /^AWS::Serverless::Function$/, names: new Set(['CodeUri', 'ImageUri', 'Layers', 'InlineCode']), says: "is the function's code" },
  { types: /^(aws_instance|aws_spot_instance_request)$/, names: new Set(['ami']), says: 'is the machine image the instance runs' },
  { types: /^(aws_launch_template|aws_launch_configuration)$/, names: new Set(['image_id']), says: 'is the machine image instances run' },
  {
    types: /^AWS::(EC2::Instance|EC2::LaunchTemplate|AutoScaling::LaunchConfiguration)$/,
    names: new Set(['ImageId']),
    says: 'is the machine image instances run',
  },
  { types: /^aws_ecs_task_definition$/, names: new Set(['container_definitions']), says: 'are the containers the task runs' },
  { types: /^AWS::ECS::TaskDefinition$/, names: new Set(['Image', 'Command', 'EntryPoint']), says: 'is what a container of the task runs' },
  {
    types: /^(aws_codebuild_project|AWS::CodeBuild::Project)$/,
    names: new Set(['buildspec', 'BuildSpec']),
    says: 'is what the build runs',
  },
];

/** CloudFormation resource types (or parts of them) that are, or point at, code the deployment runs. */
const CFN_CODE: readonly { readonly type: RegExp; readonly says: string; readonly path?: readonly string[] }[] = [
  { type: /^(Custom::.+|AWS::CloudFormation::CustomResource)$/, says: 'is a custom resource: its function runs on deploy' },
  { type: /^AWS::CloudFormation::Macro$/, says: 'is a macro: its function rewrites templates' },
  { type: /^AWS::CloudFormation::Stack$/, says: 'is a nested stack: its template is not part of the patch' },
  { type: /^AWS::CloudFormation::StackSet$/, says: 'is a stack set: it deploys a template to other accounts' },
  { type: /^AWS::Serverless::Application$/, says: 'is a nested application: its template is not part of the patch' },
  { type: /^AWS::SSM::Association$/, says: 'is an SSM association: it runs a document on instances' },
  {
    type: /^AWS::CloudFormation::(ResourceVersion|HookVersion|ModuleVersion|TypeActivation|PublicTypeVersion|LambdaHook|GuardHook|HookDefaultVersion|HookTypeConfig)$/,
    says: 'is a CloudFormation extension: its code runs in deployments',
  },
  // Third-party resource types and modules: a registered handler or template runs in their place.
  {
    type: /^(?!AWS::|Custom::|Alexa::)[A-Za-z0-9]+::/,
    says: 'is a third-party resource type or module: code outside the patch runs on deploy',
  },
];

/** What of a container definition list runs code: images, commands, entry points; all of it when unreadable. */
function containers(v: Val): string {
  try {
    const list: unknown = typeof v === 'string' ? JSON.parse(v) : undefined;
    if (Array.isArray(list)) {
      return JSON.stringify(
        list.map((c: unknown) =>
          c !== null && typeof c === 'object'
            ? [(c as Record<string, unknown>).image, (c as Record<string, unknown>).command, (c as Record<string, unknown>).entryPoint]
            : c,
        ),
      );
    }
  } catch {
    // Unreadable JSON: judged whole, below.
  }
  return keyOf(v);
}

function tfFacts(r: Resource): Fact[] {
  const holder = holderOf(r);
  const runs = RUNS[`${r.mode}:${r.type}`];
  if (runs) return [{ holder, key: `runs ${r.text}`, message: `${r.id} is new or changed: it ${runs}` }];
  if (r.mode === 'resource' && RUNNERS.has(r.type)) {
    const carried = r.blocks.filter((b) => b.type === 'provisioner').map((b) => b.labels[0] ?? '?');
    const what =
      carried.length > 0
        ? `it runs its provisioners (${carried.join(', ')}) on apply`
        : 'it exists only to run things, and a change runs it again';
    return [{ holder, key: `reruns ${r.text}`, message: `${r.id} is new or changed: ${what}` }];
  }
  return r.blocks
    .filter((b) => b.type === 'provisioner' || (b.type === 'dynamic' && b.labels[0] === 'provisioner'))
    .map((p) => {
      const kind = p.labels[0] === 'provisioner' ? 'dynamic' : (p.labels[0] ?? '');
      return {
        holder,
        key: `provisioner ${p.text}`,
        line: p.line,
        message: `${r.id} has a new or changed "${kind}" provisioner: it ${PROVISIONERS[kind] ?? 'runs code on apply'}`,
      };
    });
}

function cfnFacts(r: Resource): Fact[] {
  const holder = holderOf(r);
  const facts: Fact[] = CFN_CODE.filter((c) => c.type.test(r.type)).map((c) => ({
    holder,
    key: `code ${r.text}`,
    message: `${r.id} is new or changed and ${c.says}`,
  }));
  if (r.calls.has('Fn::Transform'))
    facts.push({ holder, key: `transform ${r.text}`, message: `${r.id} uses Fn::Transform: a macro rewrites it before it deploys` });
  const init = (r.meta.Metadata as Record<string, unknown> | undefined)?.['AWS::CloudFormation::Init'];
  if (init !== undefined)
    facts.push({
      holder,
      key: `init ${JSON.stringify(init)}`,
      message: `${r.id} has new or changed AWS::CloudFormation::Init metadata: cfn-init runs it on the instance`,
    });
  return facts;
}

function payloads(r: Resource): Fact[] {
  if (r.mode !== 'resource') return [];
  const holder = holderOf(r);
  return entries(r.props).flatMap((e): Fact[] => {
    // A list's items are judged with the list.
    if (/^\d+$/.test(e.path[e.path.length - 1] ?? '')) return [];
    const p = PAYLOADS.find((x) => x.types.test(r.type) && x.names.has(e.name));
    const value = e.name === 'container_definitions' ? containers(e.value) : keyOf(e.value);
    return p
      ? [
          {
            holder,
            key: `${shownPath(e.path)} ${value}`,
            line: r.lineOf(e.path),
            message: `${r.id} has a new or changed ${namePath(e.path)}, which ${p.says}`,
          },
        ]
      : [];
  });
}

function providerFunctions(x: Resource | Setting): Fact[] {
  const holder = holderOf(x);
  return [...x.callTexts]
    .filter(([, name]) => isProviderFunction(name))
    .map(([call, name]) => ({
      holder,
      key: `calls ${call}`,
      message: `${holder.id} calls ${name}(): a provider's code runs when Terraform plans`,
    }));
}

/** A `check` block's scoped `data "external"`: Terraform runs the program on every plan. */
function checks(s: Setting): Fact[] {
  if (s.kind !== 'check' || !s.blocks.some((b) => b.type === 'data' && b.labels[0] === 'external')) return [];
  return [
    {
      holder: holderOf(s),
      key: `check ${s.text}`,
      message: `the check block ${s.labels[0] ?? ''} is new or changed and holds an external data source: it runs a program on every plan`,
    },
  ];
}

function facts(side: Side): Fact[] {
  const resources = side.resources.flatMap((r) => [
    ...(r.kind === 'terraform' ? tfFacts(r) : cfnFacts(r)),
    ...payloads(r),
    ...providerFunctions(r),
  ]);
  return [...resources, ...side.settings.flatMap((s) => [...providerFunctions(s), ...checks(s)])];
}

function moduleChanges(before: Side, after: Side): GuardrailViolation[] {
  const was = byKey(before.resources);
  return after.resources.flatMap((a) => {
    if (a.mode !== 'module') return [];
    const b = was.get(a.key);
    const source = a.type === '' ? 'a source cloudmend cannot read' : a.type;
    if (!b)
      return [
        violation(
          'code-execution',
          a.file,
          `${a.id} is a new module call: the code of ${source} runs with the plan, and none of it is part of the patch`,
          a.line,
        ),
      ];
    if (b.type !== a.type)
      return [
        violation(
          'code-execution',
          a.file,
          `${a.id} changes its source from ${b.type || 'unreadable'} to ${source}: different code runs with the plan`,
          a.line,
        ),
      ];
    const [v1, v2] = [b.meta.version, a.meta.version];
    if (keyOf(v1 ?? null) === keyOf(v2 ?? null)) return [];
    return [
      violation(
        'code-execution',
        a.file,
        `${a.id} changes its version from ${v1 === undefined ? 'unpinned' : shownVal(v1)} to ${v2 === undefined ? 'unpinned' : shownVal(v2)}: different code runs with the plan`,
        a.lineOf(['version']),
      ),
    ];
  });
}

function transforms(before: Side, after: Side): GuardrailViolation[] {
  const text = (side: Side, file: string): string | undefined => side.settings.find((s) => s.file === file && s.key === 'Transform')?.text;
  const files = [...new Set(after.settings.map((s) => s.file))];
  return files.flatMap((file) => {
    const [was, is] = [text(before, file), text(after, file)];
    if (was === is || is === undefined) return [];
    const line = after.settings.find((s) => s.file === file && s.key === 'Transform')?.line;
    return [
      violation(
        'code-execution',
        file,
        `Transform changes from ${was ?? 'none'} to ${is}: macros rewrite the template before it deploys`,
        line,
      ),
    ];
  });
}

/** Code the patch would run, or have resources run, that did not run before. */
export function codeExecution(before: Side, after: Side): GuardrailViolation[] {
  return [...added('code-execution', facts(before), facts(after)), ...moduleChanges(before, after), ...transforms(before, after)];
}
