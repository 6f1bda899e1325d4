/**
 * Checks requests sent to the fake GitHub, and the fake's answers, against GitHub's published REST
 * description (`@octokit/openapi`, api.github.com): the method and path name a documented
 * operation, path and query parameters are documented and well-typed, required ones are present,
 * the body validates against the operation's request body schema with no undocumented field, and
 * the answer has a documented status and the shape of the documented response.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Exchange, FakeResponse, RecordedRequest } from './github-fake.js';
import { SchemaValidator, type Schema } from './openapi-schema.js';

/** What checking one exchange found: the operation it matched, and every way it departs from it. */
export interface Conformance {
  /** e.g. `git/create-ref`; undefined when no documented operation matches. */
  readonly operationId: string | undefined;
  readonly problems: readonly string[];
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Schema;
}

interface Media {
  readonly schema?: Schema;
}

interface Operation {
  readonly operationId: string;
  readonly parameters?: readonly unknown[];
  readonly requestBody?: unknown;
  readonly responses: Readonly<Record<string, unknown>>;
}

interface Route {
  readonly method: string;
  readonly template: string;
  readonly segments: readonly string[];
  readonly operation: Operation;
  /** Parameters declared on the path item, shared by its operations. */
  readonly shared: readonly unknown[];
}

interface Description {
  readonly info: { readonly version: string };
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];
// Answers GitHub may give to any request, documented once for the whole API rather than per operation.
const ANY_OPERATION = (status: number): boolean => status === 401 || status === 403 || status === 429 || status >= 500;

/** GitHub's REST description for api.github.com, as `@octokit/openapi` ships it. */
export const SPEC_FILE = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');

let loaded: { description: Description; validator: SchemaValidator; routes: Route[] } | undefined;

function spec(): NonNullable<typeof loaded> {
  if (loaded !== undefined) return loaded;
  const description = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Description;
  const routes = Object.entries(description.paths).flatMap(([template, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => ({
      method: method.toUpperCase(),
      template,
      segments: template.split('/'),
      operation: item[method] as Operation,
      shared: Array.isArray(item.parameters) ? (item.parameters as unknown[]) : [],
    })),
  );
  loaded = { description, validator: new SchemaValidator(description), routes };
  return loaded;
}

/** The version of the description checked against, for messages. */
export function specVersion(): string {
  return spec().description.info.version;
}

/** Every problem of every exchange, each line led by the request it concerns. */
export function undocumented(exchanges: readonly Exchange[]): string[] {
  return exchanges.flatMap((exchange) =>
    checkExchange(exchange).problems.map((problem) => `${exchange.request.method} ${exchange.request.rawPath}: ${problem}`),
  );
}

/** How `exchange` departs from GitHub's description. */
export function checkExchange({ request, response }: Exchange): Conformance {
  const { routes } = spec();
  const matches = routes.flatMap((route) => {
    const params = matchPath(route.segments, request.rawPath);
    return params === undefined ? [] : [{ route, params }];
  });
  // A literal segment beats a parameter: `/git/refs` is not `/git/{something}`.
  const byPath = matches.sort((a, b) => literals(b.route) - literals(a.route));
  const match = byPath.find((m) => m.route.method === request.method);
  if (match === undefined) {
    const others = [...new Set(byPath.map((m) => `${m.route.method} ${m.route.template}`))];
    return {
      operationId: undefined,
      problems: [
        others.length === 0
          ? 'no documented operation has this path'
          : `the method is not documented for this path (documented: ${others.join(', ')})`,
      ],
    };
  }
  const { route, params } = match;
  const problems = [
    ...checkParameters(route, params, request.query),
    ...checkBody(route.operation, request),
    ...(response === 'hang' ? [] : checkResponse(route.operation, response)),
  ];
  return { operationId: route.operation.operationId, problems };
}

/** The decoded path parameters when `rawPath` fits the template's segments, else undefined. */
function matchPath(segments: readonly string[], rawPath: string): Map<string, string> | undefined {
  const parts = rawPath.split('/');
  if (parts.length !== segments.length) return undefined;
  const params = new Map<string, string>();
  for (const [index, segment] of segments.entries()) {
    const part = parts[index] ?? '';
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    if (name === undefined) {
      if (segment !== part) return undefined;
    } else {
      if (part === '') return undefined;
      params.set(name, decodeURIComponent(part));
    }
  }
  return params;
}

function literals(route: Route): number {
  return route.segments.filter((segment) => !segment.startsWith('{')).length;
}

function checkParameters(route: Route, pathParams: ReadonlyMap<string, string>, query: URLSearchParams): string[] {
  const { validator } = spec();
  const declared = [...route.shared, ...(route.operation.parameters ?? [])].map((p) => validator.resolve<Parameter>(p));
  const problems: string[] = [];
  for (const [name, value] of pathParams) {
    const parameter = declared.find((p) => p.in === 'path' && p.name === name);
    if (parameter === undefined) problems.push(`path parameter "${name}" is not declared`);
    else problems.push(...checkValue(value, parameter, `path parameter ${name}`));
  }
  for (const name of new Set(query.keys())) {
    const parameter = declared.find((p) => p.in === 'query' && p.name === name);
    if (parameter === undefined) problems.push(`query parameter "${name}" is not documented`);
    else for (const value of query.getAll(name)) problems.push(...checkValue(value, parameter, `query parameter ${name}`));
  }
  for (const parameter of declared) {
    if (parameter.required === true && parameter.in === 'query' && !query.has(parameter.name))
      problems.push(`required query parameter "${parameter.name}" is missing`);
  }
  return problems;
}

/** Problems of a path or query value, read as its schema's type reads it. */
function checkValue(text: string, parameter: Parameter, at: string): string[] {
  if (parameter.schema === undefined) return [];
  const { validator } = spec();
  const schema = validator.resolve(parameter.schema);
  let value: unknown = text;
  if (schema.type === 'integer' || schema.type === 'number') value = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  else if (schema.type === 'boolean') value = text === 'true' ? true : text === 'false' ? false : text;
  else if (schema.type !== undefined && schema.type !== 'string') return [`${at}: cannot check a ${JSON.stringify(schema.type)} parameter`];
  return validator.validate(value, schema, at, { strict: true });
}

function checkBody(operation: Operation, request: RecordedRequest): string[] {
  const { validator } = spec();
  const body =
    operation.requestBody === undefined
      ? undefined
      : validator.resolve<{ required?: boolean; content: Readonly<Record<string, Media>> }>(operation.requestBody);
  if (request.text === '') return body?.required === true ? ['the request body is required but none was sent'] : [];
  if (body === undefined) return ['sends a body, but the operation documents none'];
  const mediaType = (request.contentType ?? '').split(';')[0]?.trim() ?? '';
  const media = body.content[mediaType];
  if (media === undefined) return [`sends ${mediaType || 'no content type'}, documented: ${Object.keys(body.content).join(', ')}`];
  if (media.schema === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.text);
  } catch {
    return ['the request body is not JSON'];
  }
  return validator.validate(parsed, media.schema, 'body', { strict: true });
}

function checkResponse(operation: Operation, response: FakeResponse): string[] {
  const { validator } = spec();
  const documented = operation.responses[String(response.status)] ?? operation.responses.default;
  if (documented === undefined) {
    if (!ANY_OPERATION(response.status))
      return [
        `answered ${response.status}, which the operation does not document (documented: ${Object.keys(operation.responses).join(', ')})`,
      ];
    // Rate limits, bad credentials and server errors come with GitHub's usual error body.
    return validator.validate(response.body, { $ref: '#/components/schemas/basic-error' }, `${response.status} answer`, { strict: false });
  }
  const { content } = validator.resolve<{ content?: Readonly<Record<string, Media>> }>(documented);
  const schema = content?.['application/json']?.schema;
  if (schema === undefined) return response.body === undefined ? [] : [`the ${response.status} answer documents no body but has one`];
  return validator.validate(response.body, schema, `${response.status} answer`, { strict: false });
}
