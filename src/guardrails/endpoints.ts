/**
 * `widened-iam`, continued: API Gateway methods and routes that anyone may call. A REST API method
 * with authorization `NONE`, or an HTTP / WebSocket API route without an authorization type (they
 * default to `NONE`), that was not open before. CORS preflight (`OPTIONS`) carries no credentials
 * and is left alone.
 */
import { propertyAt } from '../iac/cloudformation/template.js';
import { attrValue } from '../iac/terraform/module.js';
import { lenientResolver } from '../skills/policy-document.js';
import { added, type Fact } from './facts.js';
import { cfnHolder, tfHolder, type Holder, type Side } from './side.js';
import type { GuardrailViolation } from './types.js';

interface Endpoint {
  /** Authorization setting and method, as read (undefined when absent). */
  readonly auth: unknown;
  readonly method: unknown;
  readonly setting: string;
}

const TYPES: Readonly<Record<string, { readonly auth: string; readonly method: string; readonly required: boolean }>> = {
  aws_api_gateway_method: { auth: 'authorization', method: 'http_method', required: true },
  aws_apigatewayv2_route: { auth: 'authorization_type', method: 'route_key', required: false },
  'AWS::ApiGateway::Method': { auth: 'AuthorizationType', method: 'HttpMethod', required: false },
  'AWS::ApiGatewayV2::Route': { auth: 'AuthorizationType', method: 'RouteKey', required: false },
};

function fact(holder: Holder, e: Endpoint): Fact[] {
  const open = e.auth === 'NONE' || e.auth === undefined;
  if (!open || (typeof e.method === 'string' && /^OPTIONS\b/i.test(e.method))) return [];
  const method = typeof e.method === 'string' ? e.method : 'its method';
  const how = e.auth === undefined ? `no ${e.setting}, which defaults to NONE` : `${e.setting} NONE`;
  return [{ holder, key: `open ${method}`, message: `${holder.id} lets anyone call ${method} without authorization (${how})` }];
}

function facts(side: Side): Fact[] {
  if (side.kind === 'cloudformation') {
    return side.templates.flatMap((t) =>
      t.resources.flatMap((r) => {
        const names = TYPES[r.type];
        return names ? fact(cfnHolder(t, r), { auth: propertyAt(r, ['Properties', names.auth]), method: propertyAt(r, ['Properties', names.method]), setting: names.auth }) : [];
      }),
    );
  }
  const module = { ...side.module, resolve: lenientResolver(side.module) };
  return module.resources.flatMap((r) => {
    const names = r.mode === 'resource' ? TYPES[r.type] : undefined;
    if (!names) return [];
    const auth = attrValue(module, r.block.body, names.auth);
    // A required argument that is missing is a broken file, not an open method.
    if (auth === undefined && names.required) return [];
    return fact(tfHolder(r), { auth, method: attrValue(module, r.block.body, names.method), setting: names.auth });
  });
}

/** API methods and routes the patch opens to anyone. */
export function openEndpoints(before: Side, after: Side): GuardrailViolation[] {
  return added('widened-iam', facts(before), facts(after));
}
