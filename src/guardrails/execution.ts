/**
 * `code-execution`: a fix sets attributes; it never adds code that runs when the patch is planned
 * or applied. New or changed provisioners (and changes to `null_resource` / `terraform_data` that
 * carry them, which re-run them), `external` and `http` data sources, Lambda invocations, module
 * calls from outside the Terraform registry or with a changed source or version; in
 * CloudFormation, custom resources, macros, inline Lambda code, nested stack templates and
 * `Transform`.
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
};

function text(r: TfResource): string {
  return squash(r.file.text.slice(r.block.span.start, r.block.span.end));
}

function tfFacts(module: TfModule): Fact[] {
  return module.resources.flatMap((r) => {
    const holder = tfHolder(r);
    const provisioners = blocks(r.block.body, 'provisioner');
    const runs = RUNS[`${r.mode}:${r.type}`];
    if (runs) return [{ holder, key: `runs ${text(r)}`, message: `${r.address} is new or changed: it ${runs}` }];
    // Any change to these (their triggers above all) replaces them, which re-runs their provisioners.
    if (provisioners.length > 0 && (r.type === 'null_resource' || r.type === 'terraform_data')) {
      return [{ holder, key: `reruns ${text(r)}`, message: `${r.address} is new or changed: it runs its provisioners (${provisioners.map((p) => p.labels[0] ?? '?').join(', ')}) on apply` }];
    }
    return provisioners.map((p): Fact => {
      const kind = p.labels[0] ?? '';
      const what = PROVISIONERS[kind] ?? 'runs code on apply';
      return { holder, key: `provisioner ${squash(r.file.text.slice(p.span.start, p.span.end))}`, message: `${r.address} has a new or changed "${kind}" provisioner: it ${what}` };
    });
  });
}

/** True for a module source that is neither a registry address (`ns/name/provider`, optional host and `//subdir`) nor a local path. */
function fromOutside(source: string): boolean {
  return !/^\.\.?\//.test(source) && !/^([\w-]+(\.[\w-]+)+\/)?[\w-]+\/[\w-]+\/[\w-]+(\/\/\S*)?$/.test(source);
}

function moduleChanges(before: TfModule, after: TfModule): GuardrailViolation[] {
  return after.resources.flatMap((a) => {
    if (a.mode !== 'module') return [];
    const b = before.resources.find((r) => r.address === a.address);
    const shown = a.type === '' ? 'a source cloudmend cannot read' : a.type;
    if (!b) return fromOutside(a.type) ? [violation('code-execution', a.file.path, `${a.address} is new and comes from ${shown}, outside the Terraform registry: its code runs with the plan`)] : [];
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
