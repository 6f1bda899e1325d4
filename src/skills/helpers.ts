/** Small readers shared by skills: the state of a boolean setting in Terraform or CloudFormation. */
import { propertyAt, type CfnResource } from '../iac/cloudformation/template.js';
import { readHclValue, staticValue } from '../iac/terraform/hcl-expr.js';
import { attribute, type HclBody } from '../iac/terraform/hcl-structure.js';
import type { TfModule } from '../iac/terraform/module.js';

/** A setting is on, off, absent, or set to something cloudmend cannot evaluate (a variable without default...). */
export type Setting = 'on' | 'off' | 'missing' | 'unknown';

function fromValue(value: unknown): Setting {
  if (value === true || value === 'true') return 'on';
  if (value === false || value === 'false') return 'off';
  return 'unknown';
}

/** A Terraform boolean attribute, with variables and locals resolved. */
export function tfSetting(module: TfModule, body: HclBody, name: string): Setting {
  const attr = attribute(body, name);
  if (!attr) return 'missing';
  return fromValue(staticValue(readHclValue(attr.expr), module.resolve));
}

/** A CloudFormation boolean property; `"true"` strings count, intrinsics are `unknown`. */
export function cfnSetting(resource: CfnResource, path: readonly (string | number)[]): Setting {
  const value = propertyAt(resource, path);
  if (value === undefined || value === null) return 'missing';
  return fromValue(value);
}

/** The string value of a Terraform attribute when static. */
export function tfString(module: TfModule, body: HclBody, name: string): string | undefined {
  const attr = attribute(body, name);
  const value = attr ? staticValue(readHclValue(attr.expr), module.resolve) : undefined;
  return typeof value === 'string' ? value : undefined;
}
