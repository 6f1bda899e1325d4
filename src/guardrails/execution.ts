/**
 * `code-execution`: a fix sets attributes; it never adds code that runs when the patch is planned
 * or applied. New or changed provisioners, `null_resource` and `terraform_data` (new or changed in
 * any way, provisioners or not: a change replaces them, which re-runs what they carry), `external`
 * and `http` data sources (scoped ones in `check` blocks too), Lambda invocations, SSM
 * associations, files written where Terraform runs, module calls that are new (from the registry
 * or a local path too: their code is not part of the patch) or change their source or version. In
 * CloudFormation: custom resources, macros, inline Lambda code, nested stack templates, stack sets,
 * SSM associations, extensions and third-party types, `AWS::CloudFormation::Init` and `Transform`.
 * What resources run once deployed (user data, images, function code) is judged in `payloads.ts`.
 */
import { propertyAt } from '../iac/cloudformation/template.js';
import { blocks } from '../iac/terraform/hcl-structure.js';
import { attrValue, type TfModule, type TfResource } from '../iac/terraform/module.js';
import { sectionChanges } from './backend.js';
import { added, squash, violation, type Fact } from './facts.js';
import { cfnHolder, tfHolder, type Side } from './side.js';
import type { GuardrailViolation } from './types.js';

const PROVISIONERS: Readonly<Record<string, string>> = {
  'local-exec': 'runs a command where Terraform runs',
  'remote-exec': 'runs commands on the resource',
  file: 'copies files to the resource',
};

/** Data sources and resources that run or fetch code whenever Terraform plans or applies. */
const RUNS: Readonly<Record<string, string>> = {
  'data:external': 'runs a program when Terraform plans',
  'data:http': 'fetches a URL when Terraform plans',
  'data:aws_lambda_invocation': 'invokes a Lambda function when Terraform plans',
  'resource:aws_lambda_invocation': 'invokes a Lambda function on apply',
  'resource:aws_ssm_association': 'runs an SSM document on instances',
  'resource:local_file': 'writes a file where Terraform runs',
  'resource:local_sensitive_file': 'writes a file where Terraform runs',
  'resource:aws_cloudformation_stack': 'deploys a CloudFormation template on apply',
  'resource:aws_cloudformation_stack_set': 'deploys a CloudFormation template on apply',
};

/** Resources that exist to run things: any change to them (their triggers above all) replaces them. */
const RUNNERS = new Set(['null_resource', 'terraform_data']);

function text(r: TfResource): string {
  return squash(r.file.text.slice(r.block.span.start, r.block.span.end));
}

/** Data sources declared in `check` blocks: Terraform reads them on every plan, like any other. */
function scopedData(module: TfModule): Fact[] {
  return module.files.flatMap((file) =>
    blocks(file.body, 'check').flatMap((check) =>
      blocks(check.body, 'data').flatMap((d): Fact[] => {
        const [type = '', name = ''] = d.labels;
        const runs = RUNS[`data:${type}`];
        const address = `check.${check.labels[0] ?? ''}.data.${type}.${name}`;
        return runs ? [{ holder: { key: address, id: address, file: file.path }, key: `runs ${squash(file.text.slice(d.span.start, d.span.end))}`, message: `${address} is new or changed: it ${runs}` }] : [];
      }),
    ),
  );
}

function tfFacts(module: TfModule): Fact[] {
  return [...scopedData(module), ...module.resources.flatMap((r) => tfResourceFacts(r))];
}

function tfResourceFacts(r: TfResource): Fact[] {
  const holder = tfHolder(r);
  const provisioners = blocks(r.block.body, 'provisioner');
  const runs = RUNS[`${r.mode}:${r.type}`];
  if (runs) return [{ holder, key: `runs ${text(r)}`, message: `${r.address} is new or changed: it ${runs}` }];
  if (r.mode === 'resource' && RUNNERS.has(r.type)) {
    const carried = provisioners.length > 0 ? `runs its provisioners (${provisioners.map((p) => p.labels[0] ?? '?').join(', ')}) on apply` : 'exists only to run things, and a fix needs none';
    return [{ holder, key: `reruns ${text(r)}`, message: `${r.address} is new or changed: it ${carried}` }];
  }
  return provisioners.map((p): Fact => {
    const kind = p.labels[0] ?? '';
    const what = PROVISIONERS[kind] ?? 'runs code on apply';
    return { holder, key: `provisioner ${squash(r.file.text.slice(p.span.start, p.span.end))}`, message: `${r.address} has a new or changed "${kind}" provisioner: it ${what}` };
  });
}

/**
 * True for a module source that is neither a registry address (`ns/name/provider`, optional host
 * and `//subdir`) nor a local path. Terraform reads `github.com/...` and `bitbucket.org/...` as Git
 * repositories, whatever their shape.
 */
function fromOutside(source: string): boolean {
  if (/^(github\.com|bitbucket\.org)\//i.test(source)) return true;
  return !/^\.\.?\//.test(source) && !/^([\w-]+(\.[\w-]+)+\/)?[\w-]+\/[\w-]+\/[\w-]+(\/\/\S*)?$/.test(source);
}

function moduleChanges(before: TfModule, after: TfModule): GuardrailViolation[] {
  return after.resources.flatMap((a) => {
    if (a.mode !== 'module') return [];
    const b = before.resources.find((r) => r.address === a.address);
    const shown = a.type === '' ? 'a source cloudmend cannot read' : a.type;
    if (!b && fromOutside(a.type)) return [violation('code-execution', a.file.path, `${a.address} is new and comes from ${shown}, outside the Terraform registry: its code runs with the plan`)];
    // Registry and local modules hold resources (and provisioners) that are not part of the patch.
    if (!b) return [violation('code-execution', a.file.path, `${a.address} is new: the code of ${shown} runs with the plan, and none of it is part of the patch`)];
    if (b.type !== a.type) return [violation('code-execution', a.file.path, `${a.address} changes its source from ${b.type} to ${shown}: different code runs with the plan`)];
    const [was, is] = [attrValue(before, b.block.body, 'version'), attrValue(after, a.block.body, 'version')];
    const shownVersion = (v: unknown): string => (v === undefined ? 'unpinned' : JSON.stringify(v));
    return JSON.stringify(was) === JSON.stringify(is) ? [] : [violation('code-execution', a.file.path, `${a.address} changes its version from ${shownVersion(was)} to ${shownVersion(is)}: different code runs with the plan`)];
  });
}

/** CloudFormation properties that are, or point at, code the deployment runs. */
const CFN_CODE: readonly { readonly type: RegExp; readonly path: readonly string[]; readonly says: string; readonly evenUnset?: boolean }[] = [
  // A custom resource runs code even when its ServiceToken is missing or unreadable.
  { type: /^(Custom::.+|AWS::CloudFormation::CustomResource)$/, path: ['Properties', 'ServiceToken'], says: 'is a new custom resource or has a new ServiceToken: its function runs on deploy', evenUnset: true },
  { type: /^AWS::CloudFormation::Macro$/, path: ['Properties'], says: 'is a new or changed macro: its function rewrites templates' },
  { type: /^AWS::Lambda::Function$/, path: ['Properties', 'Code', 'ZipFile'], says: 'has new or changed inline code (Code.ZipFile)' },
  { type: /^AWS::Serverless::Function$/, path: ['Properties', 'InlineCode'], says: 'has new or changed inline code (InlineCode)' },
  { type: /^AWS::CloudFormation::Stack$/, path: ['Properties', 'TemplateURL'], says: 'has a new or changed TemplateURL: the nested template is not part of the patch' },
  { type: /^AWS::CloudFormation::StackSet$/, path: ['Properties'], says: 'is a new or changed stack set: it deploys a template to other accounts' },
  { type: /^AWS::Serverless::Application$/, path: ['Properties', 'Location'], says: 'is a new or changed nested application: its template is not part of the patch' },
  { type: /^AWS::SSM::Association$/, path: ['Properties'], says: 'is a new or changed SSM association: it runs a document on instances' },
  { type: /^AWS::CloudFormation::(ResourceVersion|HookVersion|ModuleVersion|TypeActivation|PublicTypeVersion|LambdaHook|GuardHook)$/, path: ['Properties'], says: 'is a new or changed CloudFormation extension: its code runs in deployments' },
  // Third-party resource types and modules: a registered handler or template runs in their place.
  { type: /^(?!AWS::|Custom::|Alexa::)[A-Za-z0-9]+::/, path: ['Properties'], says: 'is a new or changed third-party resource type or module: code outside the patch runs on deploy', evenUnset: true },
  { type: /./, path: ['Metadata', 'AWS::CloudFormation::Init'], says: 'has new or changed AWS::CloudFormation::Init metadata: cfn-init runs it on the instance' },
];

function cfnFacts(side: Side & { kind: 'cloudformation' }): Fact[] {
  return side.templates.flatMap((t) =>
    t.resources.flatMap((r) =>
      CFN_CODE.flatMap((c): Fact[] => {
        if (!c.type.test(r.type)) return [];
        const value = propertyAt(r, c.path);
        if (value === undefined && !c.evenUnset) return [];
        return [{ holder: cfnHolder(t, r), key: `${r.type} ${JSON.stringify(value ?? null)}`, message: `${r.logicalId} ${c.says}` }];
      }),
    ),
  );
}

function facts(side: Side): Fact[] {
  return side.kind === 'terraform' ? tfFacts(side.module) : cfnFacts(side);
}

/** Code the patch would have run that did not run before. */
export function codeExecution(before: Side, after: Side): GuardrailViolation[] {
  const modules = before.kind === 'terraform' && after.kind === 'terraform' ? moduleChanges(before.module, after.module) : [];
  const transforms = sectionChanges(before, after, 'Transform').map((c) =>
    violation('code-execution', c.file, `Transform changes from ${c.was ?? 'none'} to ${c.is ?? 'none'}: macros rewrite the template before it deploys`),
  );
  return [...added('code-execution', facts(before), facts(after)), ...modules, ...transforms];
}
