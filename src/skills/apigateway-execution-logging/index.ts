/**
 * APIGateway.1: every method of a REST or WebSocket API stage writes execution logs at ERROR or
 * INFO (Config rule api-gw-execution-logging-enabled, whose default `loggingLevel` is ERROR,INFO: an
 * override of one method at OFF fails the stage too). Logging writes through the account's API
 * Gateway CloudWatch Logs role (aws_api_gateway_account / AWS::ApiGateway::Account); without it,
 * turning logging on fails the deploy. So the fix writes `skills.apiGatewayLoggingLevel`, which a
 * team sets once its accounts have that role; unset, every finding is a suggestion naming the key.
 *
 * REST stages log through method settings: in Terraform a bound `aws_api_gateway_method_settings`
 * for `*\/*` (added after the stage when missing), in CloudFormation and SAM the stage's
 * `MethodSettings` item for `/*` and `*`. WebSocket stages: `default_route_settings` /
 * `DefaultRouteSettings`. HTTP APIs have no execution logging: their stages are not checked.
 */
import { appendSeqItem } from '../../iac/cloudformation/edit.js';
import { propertyAt, type CfnTemplate } from '../../iac/cloudformation/template.js';
import { insertAfter } from '../../iac/terraform/edit.js';
import { attribute } from '../../iac/terraform/hcl-structure.js';
import { attrExpr, refersTo, type TfModule, type TfResource } from '../../iac/terraform/module.js';
import { cfnSettingRemedy, editOrNothing, remedyRule, tfSettingRemedy, tfString, type Remedy, type SettingRule } from '../helpers.js';
import { defineSkill, type CfnTarget, type SkillOptions, type TfTarget, type Violation } from '../types.js';

type Level = SkillOptions['apiGatewayLoggingLevel'];

const LOGGING = (value: unknown): boolean => value === 'ERROR' || value === 'INFO';

/** The rule for a setting: the catch-all must log (`violation` when absent), a method's override only must not turn it off. */
function rule(level: Level, whenMissing: SettingRule['whenMissing']): SettingRule {
  // Without a configured level nothing is written (`gated` drops the edits): ERROR only shapes the violations.
  const value = level ?? 'ERROR';
  return { value, accepts: LOGGING, whenMissing };
}

/**
 * Without `skills.apiGatewayLoggingLevel` (`notConfigured`), or where cloudmend may not edit (`messageId`: method
 * settings bound by a literal name, SAM APIs), a fixable remedy becomes a violation a person fixes, its message
 * saying what to set. With the level, fixable remedies get the pull request's note.
 */
function gated(remedies: readonly Remedy[], level: Level, messageId = 'notConfigured'): Remedy[] {
  return remedies.map((r) => {
    if (!r.edits?.length && !r.violation.fixable) return r;
    if (level !== undefined && messageId === 'notConfigured') return { ...r, note: noteFor(r.violation, level) };
    const state = r.violation.data?.value ?? 'not set';
    const violation: Violation = {
      ...r.violation,
      messageId,
      data: { ...r.violation.data, state, resource: r.violation.resource },
      fixable: false,
    };
    return { violation };
  });
}

function noteFor(v: Violation, level: string): string {
  return `Set execution logging of ${v.resource} to ${level} (${v.data?.setting ?? 'logging level'}): API Gateway writes the logs to CloudWatch Logs group API-Gateway-Execution-Logs_{api-id}/{stage}, through the account's API Gateway CloudWatch Logs role, billed per GB ingested and stored.`;
}

// ---- Terraform ----

/** The counted or repeated stage: a new method settings resource would need the same instances. */
function counted(resource: TfResource): boolean {
  return attribute(resource.block.body, 'count') !== undefined || attribute(resource.block.body, 'for_each') !== undefined;
}

/**
 * Method settings of `stage`: `reference` when `stage_name` refers to it (the fix may edit them), `name`
 * when they give its literal stage name and the same `rest_api_id` (only a person edits them).
 */
function binding(module: TfModule, settings: TfResource, stage: TfResource): 'reference' | 'name' | undefined {
  if (refersTo(attrExpr(settings.block.body, 'stage_name'), stage.address)) return 'reference';
  const name = tfString(module, stage.block.body, 'stage_name');
  const api = (r: TfResource): string | undefined => attribute(r.block.body, 'rest_api_id')?.expr.trim();
  const sameApi = api(settings) === api(stage) || refersTo(attrExpr(settings.block.body, 'rest_api_id'), stage.address);
  return name !== undefined && tfString(module, settings.block.body, 'stage_name') === name && sameApi ? 'name' : undefined;
}

function methodSettingsBlock(module: TfModule, stage: TfResource, level: string): string {
  const taken = new Set(module.resources.filter((r) => r.type === 'aws_api_gateway_method_settings').map((r) => r.name));
  const label = taken.has(stage.name) ? `${stage.name}_logging` : stage.name;
  return [
    `resource "aws_api_gateway_method_settings" "${label}" {`,
    `  rest_api_id = ${stage.address}.rest_api_id`,
    `  stage_name  = ${stage.address}.stage_name`,
    '  method_path = "*/*"',
    '',
    '  settings {',
    `    logging_level = ${JSON.stringify(level)}`,
    '  }',
    '}',
  ].join('\n');
}

function restStageRemedies({ module, resource: stage, options }: TfTarget): Remedy[] {
  const level = options.apiGatewayLoggingLevel;
  const bound = module.resources.flatMap((r) => {
    const how = r.type === 'aws_api_gateway_method_settings' ? binding(module, r, stage) : undefined;
    return how ? [{ settings: r, how, path: tfString(module, r.block.body, 'method_path') }] : [];
  });
  const remedies = bound.flatMap(({ settings, how, path }) => {
    const found = tfSettingRemedy(module, settings, ['settings', 'logging_level'], rule(level, path === '*/*' ? 'violation' : 'comply'));
    return how === 'reference' ? gated(found, level) : gated(found, level, 'boundByName');
  });
  if (bound.some((b) => b.path === '*/*')) return remedies;
  // Settings whose method_path cloudmend cannot read may or may not be the catch-all: a person looks.
  const unread = bound.filter((b) => b.path === undefined);
  if (unread.length > 0)
    return [
      ...remedies,
      ...unread.map(({ settings }): Remedy => {
        const expr = attribute(settings.block.body, 'method_path')?.expr.trim() ?? 'nothing';
        const data = { resource: settings.address, expr };
        return {
          violation: {
            messageId: 'pathUnknown',
            data,
            resource: settings.address,
            offset: settings.block.span.start,
            fixable: false,
            kind: 'violation',
          },
        };
      }),
    ];
  const violation = (messageId: string, fixable: boolean): Violation => ({
    messageId,
    data: { stage: stage.address, resource: stage.address, setting: 'aws_api_gateway_method_settings for */*', state: 'not set' },
    resource: stage.address,
    offset: stage.block.span.start,
    fixable,
    kind: 'violation',
  });
  if (level === undefined) return [...remedies, { violation: violation('notConfigured', false) }];
  if (counted(stage)) return [...remedies, { violation: violation('countedStage', false) }];
  const edit = insertAfter(stage.file, stage.block, methodSettingsBlock(module, stage, level));
  const added = violation('noMethodSettings', true);
  return [...remedies, { violation: added, edits: [edit], note: noteFor(added, level) }];
}

/** `WEBSOCKET`, `HTTP`, or undefined when the stage's API is not in the module or its protocol not static. */
function tfProtocol(module: TfModule, stage: TfResource): string | undefined {
  const apiId = attrExpr(stage.block.body, 'api_id');
  const api = module.resources.find((r) => r.type === 'aws_apigatewayv2_api' && refersTo(apiId, r.address));
  return api ? tfString(module, api.block.body, 'protocol_type') : undefined;
}

function protocolUnknown(resource: string, offset: number): Remedy {
  return { violation: { messageId: 'protocolUnknown', data: { stage: resource }, resource, offset, fixable: false, kind: 'violation' } };
}

function v2StageRemedies({ module, resource: stage, options }: TfTarget): Remedy[] {
  const protocol = tfProtocol(module, stage);
  if (protocol === 'HTTP') return [];
  if (protocol !== 'WEBSOCKET') return [protocolUnknown(stage.address, stage.block.span.start)];
  const level = options.apiGatewayLoggingLevel;
  return gated(tfSettingRemedy(module, stage, ['default_route_settings', 'logging_level'], rule(level, 'violation')), level);
}

// ---- CloudFormation ----

const CATCH_ALL = (item: unknown): boolean =>
  typeof item === 'object' &&
  item !== null &&
  !Array.isArray(item) &&
  'ResourcePath' in item &&
  item.ResourcePath === '/*' &&
  'HttpMethod' in item &&
  item.HttpMethod === '*';

/**
 * REST stages in CloudFormation: a stage's (or SAM API's) `MethodSettings`, or the `StageDescription` of a
 * deployment that creates its stage (`StageName`), whose own `LoggingLevel` is the stage's for every method.
 */
function cfnRestRemedies({ template, resource, options }: CfnTarget): Remedy[] {
  const deployment = resource.type === 'AWS::ApiGateway::Deployment';
  if (deployment && propertyAt(resource, ['Properties', 'StageName']) === undefined) return [];
  // SAM APIs are reported, not edited: the guardrail's replacement table (the legacy resource specification) lists
  // every property of AWS::Serverless::Api as replacing it, so a fix there would read as a replacement.
  const sam = resource.type === 'AWS::Serverless::Api';
  const level = sam ? undefined : options.apiGatewayLoggingLevel;
  const gate = (remedies: readonly Remedy[]): Remedy[] => (sam ? gated(remedies, undefined, 'samApi') : gated(remedies, level));
  const owner = deployment ? ['Properties', 'StageDescription'] : ['Properties'];
  const path = [...owner, 'MethodSettings'];
  const items = propertyAt(resource, path);
  if (items !== undefined && items !== null && !Array.isArray(items))
    return cfnSettingRemedy(template, resource, [...path, 0, 'LoggingLevel'], rule(level, 'violation'));
  const list = Array.isArray(items) ? items : [];
  const remedies = gate(
    list.flatMap((item, i) =>
      cfnSettingRemedy(template, resource, [...path, i, 'LoggingLevel'], rule(level, CATCH_ALL(item) ? 'violation' : 'comply')),
    ),
  );
  if (list.some(CATCH_ALL)) return remedies;
  if (deployment) return [...remedies, ...gate(cfnSettingRemedy(template, resource, [...owner, 'LoggingLevel'], rule(level, 'violation')))];
  const base = { resource: resource.logicalId, offset: resource.span.start, kind: 'violation' as const };
  const data = { stage: resource.logicalId, resource: resource.logicalId, setting: 'MethodSettings for /* and *', state: 'not set' };
  if (level === undefined)
    return [...remedies, { violation: { ...base, messageId: sam ? 'samApi' : 'notConfigured', data, fixable: false } }];
  const edit = editOrNothing(() => appendSeqItem(template, resource, path, { ResourcePath: '/*', HttpMethod: '*', LoggingLevel: level }));
  const violation: Violation = { ...base, messageId: 'noMethodSettings', data, fixable: edit !== undefined };
  return [...remedies, edit ? { violation, edits: [edit], note: noteFor(violation, level) } : { violation }];
}

/** The protocol of a WebSocket/HTTP stage's API when the template declares it with a literal. */
function cfnProtocol(template: CfnTemplate, apiId: unknown): unknown {
  const ref = typeof apiId === 'object' && apiId !== null && 'Ref' in apiId ? apiId.Ref : undefined;
  const api = template.resources.find((r) => r.logicalId === ref && r.type === 'AWS::ApiGatewayV2::Api');
  return api ? propertyAt(api, ['Properties', 'ProtocolType']) : undefined;
}

function cfnV2Remedies({ template, resource, options }: CfnTarget): Remedy[] {
  const protocol = cfnProtocol(template, propertyAt(resource, ['Properties', 'ApiId']));
  if (protocol === 'HTTP') return [];
  if (protocol !== 'WEBSOCKET') return [protocolUnknown(resource.logicalId, resource.span.start)];
  const level = options.apiGatewayLoggingLevel;
  return gated(
    cfnSettingRemedy(template, resource, ['Properties', 'DefaultRouteSettings', 'LoggingLevel'], rule(level, 'violation')),
    level,
  );
}

export default defineSkill({
  meta: {
    id: 'apigateway-execution-logging',
    title: 'API Gateway REST and WebSocket stages write execution logs',
    controls: ['APIGateway.1'],
    configRules: ['api-gw-execution-logging-enabled'],
    fixable: 'code',
    options: ['apiGatewayLoggingLevel'],
    risk: 'none',
    messages: {
      settingWrong: 'Execution logging is off for {{setting}} ({{value}}): every method must log at ERROR or INFO.',
      settingMissing: '{{setting}} is not set: execution logging is OFF, the API Gateway default; every method must log at ERROR or INFO.',
      settingUnknown:
        '{{setting}} is {{expr}}, which cloudmend cannot evaluate: make sure it is ERROR or INFO wherever the stage is deployed.',
      noMethodSettings:
        'Stage {{stage}} has no {{setting}}: execution logging is OFF, the API Gateway default; the fix adds them at the configured level.',
      notConfigured:
        'Execution logging is off ({{setting}} of {{resource}} is {{state}}): set skills.apiGatewayLoggingLevel in the config to ERROR or INFO once the account has its API Gateway CloudWatch Logs role (aws_api_gateway_account / AWS::ApiGateway::Account), or set it to ERROR or INFO here.',
      boundByName:
        'Execution logging is off ({{setting}} of {{resource}} is {{state}}), and these method settings name the stage by a literal stage_name: set it to ERROR or INFO there, or refer to the stage (stage_name = <stage>.stage_name) so cloudmend can fix it.',
      pathUnknown:
        'Method settings {{resource}} take method_path from {{expr}}, which cloudmend cannot evaluate: make sure the stage has settings for every method (*/*) with logging_level ERROR or INFO.',
      samApi:
        'Execution logging is off ({{setting}} of {{resource}} is {{state}}): add a MethodSettings item with ResourcePath "/*", HttpMethod "*" and LoggingLevel ERROR or INFO (or set the level there). cloudmend does not edit SAM APIs: its replacement table lists all their properties as replacing the API.',
      countedStage:
        'Stage {{stage}} has no {{setting}} and is created with count or for_each: add aws_api_gateway_method_settings for each instance with settings { logging_level = "ERROR" } (or "INFO").',
      protocolUnknown:
        'Stage {{stage}} belongs to an API this code does not declare with a literal protocol_type: if it is a WebSocket API, set its default route logging level to ERROR or INFO (HTTP APIs have no execution logging).',
    },
  },

  terraform: {
    resourceTypes: ['aws_api_gateway_stage', 'aws_apigatewayv2_stage'],
    ...remedyRule((target: TfTarget) =>
      target.resource.type === 'aws_api_gateway_stage' ? restStageRemedies(target) : v2StageRemedies(target),
    ),
  },

  cloudformation: {
    resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment', 'AWS::Serverless::Api', 'AWS::ApiGatewayV2::Stage'],
    ...remedyRule((target: CfnTarget) =>
      target.resource.type === 'AWS::ApiGatewayV2::Stage' ? cfnV2Remedies(target) : cfnRestRemedies(target),
    ),
  },
});
