/**
 * Drift: how a deployed resource, as an AWS Config configuration item records it, differs from its
 * declaration in Terraform or CloudFormation. Pure: no AWS calls, no file system.
 *
 * ```ts
 * import { driftOf, supportsDrift } from './drift/index.js';
 *
 * if (supportsDrift(event.detail.configurationItem.resourceType)) {
 *   const report = driftOf({ kind: 'terraform', files: [{ path: 'main.tf', text }], address: 'aws_s3_bucket.logs' }, event);
 *   for (const d of report.differences) console.log(d.path, d.class, d.category, d.weakens, d.why);
 * }
 * ```
 *
 * - `driftOf(declared, item)` takes the IaC files (`kind`, `files`, optional `address`: a
 *   Terraform address or CloudFormation logical id, chosen automatically when the files hold one
 *   resource of the item's type or one named like it) and a configuration item, bare or inside a
 *   "Config Configuration Item Change" event. It returns a `DriftReport`: the differences, each
 *   `{ path, declared, live, class: 'security' | 'benign', category?, weakens, why }`, plus what
 *   could not be compared (`unknown`: values the code leaves to variables, parameters or other
 *   resources; `notRecorded`: properties Config does not record).
 * - `supportsDrift(type)` says whether a Config, Terraform or CloudFormation type is supported:
 *   S3 buckets, security groups, IAM roles, IAM managed policies, Lambda functions, RDS instances,
 *   KMS keys and DynamoDB tables.
 *
 * Rules: only what the code declares is compared, except security-relevant live additions (an
 * ingress rule, an attached policy, a statement granting access, a public access block turned off,
 * a public DB endpoint). Unresolvable declared values are unknown, never differences. A difference
 * is `security` when it touches exposure, encryption, IAM or network, otherwise `benign`; `weakens`
 * says when the live value is less secure than the code. Secret-looking environment values are
 * redacted. Mistakes in the input throw user-facing errors (see `errors.ts`).
 */
import { parseTemplate } from '../iac/cloudformation/template.js';
import type { IacKind, Source, SourceFile, SourceResource } from '../iac/source.js';
import { addressOf } from '../iac/source.js';
import { parseTfFile, tfModule } from '../iac/terraform/module.js';
import { declarationOf } from './declaration.js';
import { compareFacts } from './engine.js';
import { compareScalars, readTracked } from './scalars.js';
import { UnsupportedResourceTypeError } from './errors.js';
import { isDeleted, readConfigurationItem, type ConfigItem } from './item.js';
import { driftTypeOf, supportedConfigTypes } from './registry.js';
import { selectResource } from './select.js';
import { type Difference, type DriftReport, type DriftType, withVerdict } from './types.js';

export type { Category, Difference, DriftReport } from './types.js';
export { withVerdict } from './types.js';
export type { ConfigItem } from './item.js';
export { readConfigurationItem } from './item.js';
export { supportsDrift, supportedConfigTypes } from './registry.js';
export { normalizePolicy } from './policy.js';
export { renderReport } from './render.js';
export { driftSeverity, type DriftSeverity } from './severity.js';
export * from './errors.js';

export interface DeclaredInput {
  readonly kind: IacKind;
  /** A Terraform module's `.tf` files, or exactly one CloudFormation template. */
  readonly files: readonly SourceFile[];
  /** Terraform address or CloudFormation logical id; chosen automatically when omitted. */
  readonly address?: string | undefined;
  /** Files to prefer when choosing automatically (the file the user named, of a whole module). */
  readonly preferFiles?: readonly string[] | undefined;
}

/** Parses IaC files without running external parsers: drift only reads declarations. */
export function sourceOf(kind: IacKind, files: readonly SourceFile[]): Source {
  if (kind === 'cloudformation') {
    const [file] = files;
    if (!file || files.length !== 1) throw new Error('a CloudFormation source is exactly one template');
    return { kind, template: parseTemplate(file.path, file.text) };
  }
  return { kind, module: tfModule(files.map((f) => parseTfFile(f.path, f.text))) };
}

function supportedOrThrow(item: ConfigItem): DriftType {
  const type = driftTypeOf(item.resourceType);
  if (!type)
    throw new UnsupportedResourceTypeError(
      `drift does not support ${item.resourceType} yet; supported: ${supportedConfigTypes().join(', ')}`,
    );
  return type;
}

/** Compares an already parsed source's resource with a configuration item. */
export function driftOfResource(source: Source, resource: SourceResource, item: ConfigItem): DriftReport {
  const type = supportedOrThrow(item);
  const base = {
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    resourceName: item.resourceName,
    kind: source.kind,
    address: addressOf(resource),
  };
  if (isDeleted(item)) {
    const gone: Difference = {
      path: '(resource)',
      declared: 'declared',
      live: 'deleted',
      class: 'benign',
      weakens: false,
      why: `the code declares ${base.address}, but Config records ${item.resourceType} ${item.resourceId} as deleted.`,
    };
    return { ...base, differences: [gone], unknown: [], notRecorded: [], drifted: true, security: false, weakens: false };
  }
  const declaration = declarationOf(source, resource, item);
  // The specs compare what they know; every other declared scalar is compared by name.
  const { props, read } = readTracked(declaration.props);
  const out = compareFacts(type.specs, type.declared({ ...declaration, props }), type.live(item));
  compareScalars(declaration.props, read, item.configuration, out);
  return { ...base, ...withVerdict(out.differences, out.unknown, out.notRecorded) };
}

/**
 * The drift between a declared resource and a configuration item (bare, or the event carrying
 * it). Throws user-facing errors for unsupported types, unparsable files, and a resource that is
 * missing, ambiguous or of another type.
 */
export function driftOf(declared: DeclaredInput, item: unknown): DriftReport {
  const ci = readConfigurationItem(item);
  const type = supportedOrThrow(ci);
  const source = sourceOf(declared.kind, declared.files);
  const resource = selectResource(source, type, ci, declared.address, declared.preferFiles);
  return driftOfResource(source, resource, ci);
}
