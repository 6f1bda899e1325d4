/**
 * Lambda.1: function policies grant no public access. A permission with principal `*` is public
 * unless scoped to an organization; when its source ARN says which service invokes the function
 * (an S3 bucket, an SNS topic, an API...), that service's principal is the provably equivalent,
 * narrower grant. S3 needs the bucket owner's account too: bucket ARNs name no account.
 */
import { setProperty } from '../../iac/cloudformation/edit.js';
import { nodeAt, propertyAt } from '../../iac/cloudformation/template.js';
import { insertAfter, setAttribute } from '../../iac/terraform/edit.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { attrExpr } from '../../iac/terraform/module.js';
import { hclString } from '../../iac/terraform/render.js';
import { tfString } from '../helpers.js';
import { defineSkill, type Violation } from '../types.js';
import { cfnSource, tfSource, type Source } from './services.js';

interface Names {
  readonly principal: string;
  readonly sourceArn: string;
  readonly sourceAccount: string;
  readonly urlAuth: string;
}

const TF: Names = { principal: 'principal', sourceArn: 'source_arn', sourceAccount: 'source_account', urlAuth: 'function_url_auth_type' };
const CFN: Names = { principal: 'Principal', sourceArn: 'SourceArn', sourceAccount: 'SourceAccount', urlAuth: 'FunctionUrlAuthType' };

/** What detect needs to know about one permission, read from either IaC kind. */
interface Permission {
  readonly id: string;
  readonly names: Names;
  /** The static principal; undefined when it is an expression (`expr`). */
  readonly principal: string | undefined;
  readonly expr: string;
  readonly orgScoped: boolean;
  readonly urlAuth: string | undefined;
  readonly source: Source | undefined;
  readonly hasSourceArn: boolean;
  readonly hasSourceAccount: boolean;
  /** Whether the account of a bucket declared here can be written (same provider, same stack). */
  readonly accountKnown: boolean;
  readonly offset: number;
}

function violationsOf(p: Permission): Violation[] {
  const v = (messageId: string, data: Record<string, string>, fixable: boolean): Violation => ({
    messageId,
    data,
    resource: p.id,
    offset: p.offset,
    fixable,
    kind: 'violation',
  });
  const { names } = p;
  if (p.principal === undefined) return [v('settingUnknown', { setting: names.principal, expr: p.expr, expected: 'it is not "*"' }, false)];
  const out: Violation[] = [];
  let principal = p.principal;
  if (principal === '*' && !p.orgScoped) {
    if (p.urlAuth === 'NONE') return [v('publicUrlPermission', { permission: p.id, setting: names.urlAuth }, false)];
    if (!p.source) {
      const source = p.hasSourceArn
        ? `its ${names.sourceArn} does not say which service calls it`
        : `it has no ${names.sourceArn} to say which service calls it`;
      return [
        v(
          'publicPrincipalNoService',
          {
            setting: names.principal,
            source,
            account: p.hasSourceAccount ? ` (${names.sourceAccount} alone names an account, not a service)` : '',
          },
          false,
        ),
      ];
    }
    out.push(
      v(
        'publicPrincipal',
        { setting: names.principal, source: names.sourceArn, service: p.source.service, servicePrincipal: p.source.principal },
        true,
      ),
    );
    principal = p.source.principal;
  }
  if (principal === 's3.amazonaws.com' && !p.hasSourceAccount) {
    const bucket = p.source?.localBucket;
    const fixable = bucket !== undefined && p.accountKnown;
    out.push(
      v(
        's3SourceAccount',
        {
          setting: names.sourceAccount,
          how: fixable ? `the fix adds the account of ${bucket}, declared here` : "add the bucket owner's account id",
        },
        fixable,
      ),
    );
  }
  return out;
}

function notes(id: string, names: Names, violations: readonly Violation[]): string[] {
  const out: string[] = [];
  const publicFix = violations.find((v) => v.messageId === 'publicPrincipal');
  if (publicFix) {
    const { servicePrincipal = '' } = publicFix.data ?? {};
    const service = servicePrincipal.replace(/\.amazonaws\.com$/, '');
    out.push(
      `Changed ${names.principal} of ${id} from "*" to ${servicePrincipal}: only ${service}, for the resource in its ${names.sourceArn}, can invoke the function through it now; any other caller that relied on the "*" grant is denied.`,
    );
  }
  if (violations.some((v) => v.messageId === 's3SourceAccount'))
    out.push(
      `Added ${names.sourceAccount} to ${id}: S3 may invoke the function only for a bucket owned by this account, as the bucket declared here is.`,
    );
  return out;
}

export default defineSkill({
  meta: {
    id: 'lambda-no-public-access',
    title: 'Lambda: function policies grant no public access',
    controls: ['Lambda.1'],
    configRules: ['lambda-function-public-access-prohibited'],
    fixable: 'code',
    risk: 'access-change',
    riskNote:
      'Only the named service (for S3, in this account) can invoke the function through the permission: any other caller that relied on the "*" grant is denied.',
    messages: {
      publicPrincipal:
        '{{setting}} is "*": the permission trusts every principal and relies on {{source}} alone. Its source is {{service}}, so the principal should be {{servicePrincipal}}.',
      publicPrincipalNoService:
        '{{setting}} is "*": anyone can invoke the function through this permission, and {{source}}{{account}}. Name the service principal or the account that should invoke it.',
      publicUrlPermission:
        'Permission {{permission}} lets anyone invoke the function URL ({{setting}} is NONE): public by design. If it should not be, use AWS_IAM auth and signed requests.',
      publicFunctionUrl:
        'Function URL {{url}} has {{setting}} NONE: anyone on the internet can invoke the function. If that is not intended, use AWS_IAM and signed requests.',
      s3SourceAccount:
        'S3 invokes the function without {{setting}}: bucket ARNs name no account, so a bucket of the same name in another account could invoke it; {{how}}.',
      settingUnknown: '{{setting}} is set to {{expr}}, which cloudmend cannot evaluate; make sure {{expected}}.',
    },
  },

  terraform: {
    resourceTypes: ['aws_lambda_permission', 'aws_lambda_function_url'],
    detect({ module, resource }) {
      const { body } = resource.block;
      if (resource.type === 'aws_lambda_function_url') {
        const attr = attribute(body, 'authorization_type');
        const auth = tfString(module, body, 'authorization_type');
        const offset = attr?.span.start ?? resource.block.span.start;
        const v = (messageId: string, data: Record<string, string>): Violation[] => [
          { messageId, data, resource: resource.address, offset, fixable: false, kind: 'violation' },
        ];
        if (auth === 'NONE') return v('publicFunctionUrl', { url: resource.address, setting: 'authorization_type' });
        return auth === undefined && attr
          ? v('settingUnknown', { setting: 'authorization_type', expr: `\`${attr.expr}\``, expected: 'it is AWS_IAM' })
          : [];
      }
      const provider = attribute(body, 'provider');
      const isLocal = (address: string): boolean =>
        module.resources.some((r) => r.mode === 'resource' && r.address === address && !attribute(r.block.body, 'provider'));
      return violationsOf({
        id: resource.address,
        names: TF,
        principal: tfString(module, body, 'principal'),
        expr: `\`${attribute(body, 'principal')?.expr ?? ''}\``,
        orgScoped: attribute(body, 'principal_org_id') !== undefined,
        urlAuth: tfString(module, body, 'function_url_auth_type'),
        source: tfSource(attrExpr(body, 'source_arn'), module.resolve, isLocal),
        hasSourceArn: attribute(body, 'source_arn') !== undefined,
        hasSourceAccount: attribute(body, 'source_account') !== undefined,
        // The data source that gives the account must use the permission's provider: keep to the default one.
        accountKnown: provider === undefined,
        offset: attribute(body, 'principal')?.span.start ?? resource.block.span.start,
      });
    },
    fix({ module, resource }, violations) {
      const { file, block } = resource;
      const edits = [];
      const publicFix = violations.find((v) => v.messageId === 'publicPrincipal');
      if (publicFix) edits.push(setAttribute(file, block, 'principal', hclString(publicFix.data?.servicePrincipal ?? '')));
      if (violations.some((v) => v.messageId === 's3SourceAccount')) {
        const identities = module.resources.filter((r) => r.mode === 'data' && r.type === 'aws_caller_identity');
        const identity = identities.find((r) => !attribute(r.block.body, 'provider'));
        const name =
          identity?.name ?? ['current', 'this', 'account'].find((n) => !identities.some((r) => r.name === n)) ?? `${resource.name}_account`;
        edits.push(setAttribute(file, block, 'source_account', `data.aws_caller_identity.${name}.account_id`));
        if (!identity) edits.push(insertAfter(file, block, `data "aws_caller_identity" "${name}" {}`));
      }
      return { edits, notes: notes(resource.address, TF, violations) };
    },
  },

  cloudformation: {
    resourceTypes: ['AWS::Lambda::Permission', 'AWS::Lambda::Url'],
    detect({ template, resource }) {
      const at = (name: string): number => nodeAt(resource, ['Properties', name])?.range?.[0] ?? resource.span.start;
      const value = (name: string): ReturnType<typeof propertyAt> => propertyAt(resource, ['Properties', name]);
      const str = (name: string): string | undefined => {
        const v = value(name);
        return typeof v === 'string' ? v : undefined;
      };
      if (resource.type === 'AWS::Lambda::Url') {
        const auth = value('AuthType');
        const v = (messageId: string, data: Record<string, string>): Violation[] => [
          { messageId, data, resource: resource.logicalId, offset: at('AuthType'), fixable: false, kind: 'violation' },
        ];
        if (auth === 'NONE') return v('publicFunctionUrl', { url: resource.logicalId, setting: 'AuthType' });
        return auth !== undefined && typeof auth !== 'string'
          ? v('settingUnknown', { setting: 'AuthType', expr: 'an intrinsic function', expected: 'it is AWS_IAM' })
          : [];
      }
      return violationsOf({
        id: resource.logicalId,
        names: CFN,
        principal: str('Principal'),
        expr: 'an intrinsic function',
        orgScoped: value('PrincipalOrgID') !== undefined,
        urlAuth: str('FunctionUrlAuthType'),
        source: cfnSource(template, value('SourceArn')),
        hasSourceArn: value('SourceArn') !== undefined,
        hasSourceAccount: value('SourceAccount') !== undefined,
        accountKnown: true,
        offset: at('Principal'),
      });
    },
    fix({ template, resource }, violations) {
      const edits = [];
      const publicFix = violations.find((v) => v.messageId === 'publicPrincipal');
      if (publicFix) edits.push(setProperty(template, resource, ['Properties', 'Principal'], publicFix.data?.servicePrincipal ?? ''));
      if (violations.some((v) => v.messageId === 's3SourceAccount'))
        edits.push(setProperty(template, resource, ['Properties', 'SourceAccount'], { Ref: 'AWS::AccountId' }));
      return { edits, notes: notes(resource.logicalId, CFN, violations) };
    },
  },

  cdk: {
    // Whether callers can sign their requests is a person's call: the form only says which call makes the URL public.
    constructs: ['aws-cdk-lib.aws_lambda.FunctionUrl'],
    fix: () => [],
    advice:
      'the URL comes from `addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE })`: ' +
      'set `authType: lambda.FunctionUrlAuthType.AWS_IAM` once its callers sign their requests, or remove the URL',
  },
});
