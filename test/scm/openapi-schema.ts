/**
 * A small validator for the schema objects of an OpenAPI 3.0 description, enough for GitHub's REST
 * description: `$ref`, `type` with `nullable`, `enum`, `required`, `properties`,
 * `additionalProperties`, `items`, the length, size and range bounds, `pattern`, and `oneOf`,
 * `anyOf`, `allOf`. Formats are not checked. A keyword it does not know makes it throw rather than
 * pass a value it never looked at. Strict mode refuses properties a schema does not declare: GitHub
 * ignores unknown request fields silently, so a misspelt field would otherwise go unnoticed.
 */

/** An OpenAPI 3.0 schema object (or a `$ref` to one). */
export type Schema = Readonly<Record<string, unknown>>;

// Keywords that only describe: they never make a value invalid.
const ANNOTATIONS = new Set([
  'title',
  'description',
  'example',
  'examples',
  'default',
  'format',
  'deprecated',
  'readOnly',
  'writeOnly',
  'externalDocs',
  'discriminator',
  'xml',
]);
const ASSERTIONS = new Set([
  '$ref',
  'type',
  'nullable',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'oneOf',
  'anyOf',
  'allOf',
]);

export class SchemaValidator {
  constructor(private readonly document: unknown) {}

  /** The object a local reference such as `#/components/schemas/git-ref` points at. */
  resolve<T = Schema>(value: unknown): T {
    let current = value;
    for (let depth = 0; isObject(current) && typeof current.$ref === 'string'; depth += 1) {
      const ref = current.$ref;
      if (!ref.startsWith('#/') || depth > 32) throw new Error(`unsupported reference ${ref}`);
      current = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (isObject(node) ? node[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), this.document);
      if (current === undefined) throw new Error(`unresolved reference ${ref}`);
    }
    return current as T;
  }

  /** What is wrong with `value` against `schema`, one line per problem, each starting with the path in `at`. */
  validate(value: unknown, schema: Schema, at: string, options: { strict: boolean }): string[] {
    return this.check(value, this.resolve(schema), at, options.strict, new Set());
  }

  private check(value: unknown, schema: Schema, at: string, strict: boolean, siblings: ReadonlySet<string>): string[] {
    for (const keyword of Object.keys(schema)) {
      if (!ANNOTATIONS.has(keyword) && !ASSERTIONS.has(keyword) && !keyword.startsWith('x-'))
        throw new Error(`${at}: schema keyword "${keyword}" is not supported by this validator`);
    }
    if (value === null && schema.nullable === true) return [];
    const problems: string[] = [];
    const type = schema.type;
    if (typeof type === 'string' && !hasType(value, type))
      return [`${at}: expected ${type}${schema.nullable === true ? ' or null' : ''}, got ${describe(value)}`];
    if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value))
      problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
    if (typeof value === 'string') problems.push(...this.checkString(value, schema, at));
    if (typeof value === 'number') problems.push(...bounds(value, schema.minimum, schema.maximum, at, 'be'));
    // Properties declared beside a combination, or in another allOf branch, are declared for strictness.
    const own = new Set([...siblings, ...propertyNames(schema)]);
    const combined = new Set([
      ...own,
      ...(Array.isArray(schema.allOf) ? schema.allOf.flatMap((branch) => propertyNames(this.resolve(branch))) : []),
    ]);
    if (Array.isArray(value)) problems.push(...this.checkArray(value, schema, at, strict));
    else if (isObject(value))
      problems.push(...this.checkObject(value, schema, at, strict, new Set([...combined, ...this.branchProperties(schema)])));
    problems.push(...this.checkCombinations(value, schema, at, strict, own, combined));
    return problems;
  }

  private checkString(value: string, schema: Schema, at: string): string[] {
    const problems = bounds(value.length, schema.minLength, schema.maxLength, at, 'have a length');
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      problems.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    return problems;
  }

  private checkArray(value: readonly unknown[], schema: Schema, at: string, strict: boolean): string[] {
    const problems = bounds(value.length, schema.minItems, schema.maxItems, at, 'have a number of items');
    if (isObject(schema.items)) {
      const items = this.resolve(schema.items);
      value.forEach((item, index) => problems.push(...this.check(item, items, `${at}[${index}]`, strict, new Set())));
    }
    return problems;
  }

  /** Properties declared by the oneOf and anyOf branches of `schema`: each branch checks its own. */
  private branchProperties(schema: Schema): string[] {
    return (['oneOf', 'anyOf'] as const).flatMap((keyword) => {
      const branches = schema[keyword];
      return Array.isArray(branches) ? branches.flatMap((branch) => propertyNames(this.resolve(branch))) : [];
    });
  }

  private checkObject(
    value: Readonly<Record<string, unknown>>,
    schema: Schema,
    at: string,
    strict: boolean,
    declared: ReadonlySet<string>,
  ): string[] {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
    const problems = required.filter((name) => !Object.hasOwn(value, name)).map((name) => `${at}: required property "${name}" is missing`);
    const additional = schema.additionalProperties;
    for (const [name, item] of Object.entries(value)) {
      const where = `${at}.${name}`;
      if (Object.hasOwn(properties, name)) problems.push(...this.check(item, this.resolve(properties[name]), where, strict, new Set()));
      else if (isObject(additional)) problems.push(...this.check(item, this.resolve(additional), where, strict, new Set()));
      else if (additional === false || (strict && additional !== true && !declared.has(name) && declared.size > 0))
        problems.push(`${where}: property is not documented`);
    }
    return problems;
  }

  private checkCombinations(
    value: unknown,
    schema: Schema,
    at: string,
    strict: boolean,
    own: ReadonlySet<string>,
    combined: ReadonlySet<string>,
  ): string[] {
    const problems: string[] = [];
    if (Array.isArray(schema.allOf)) {
      for (const branch of schema.allOf) problems.push(...this.check(value, this.resolve(branch), at, strict, combined));
    }
    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const options = schema[keyword];
      if (!Array.isArray(options)) continue;
      const outcomes = options.map((branch) => this.check(value, this.resolve(branch), at, strict, own));
      const matched = outcomes.filter((outcome) => outcome.length === 0).length;
      if (matched === 0 || (keyword === 'oneOf' && matched > 1)) {
        const closest = outcomes.reduce((best, outcome) => (outcome.length < best.length ? outcome : best));
        problems.push(
          `${at}: matches ${matched} of the ${options.length} ${keyword} schemas${matched === 0 ? ` (closest: ${closest.join('; ')})` : ''}`,
        );
      }
    }
    return problems;
  }
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function propertyNames(schema: Schema): string[] {
  return isObject(schema.properties) ? Object.keys(schema.properties) : [];
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
    case 'boolean':
      return typeof value === type;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      throw new Error(`schema type "${type}" is not supported by this validator`);
  }
}

function bounds(size: number, min: unknown, max: unknown, at: string, what: string): string[] {
  if (typeof min === 'number' && size < min) return [`${at}: must ${what} of at least ${min}, has ${size}`];
  if (typeof max === 'number' && size > max) return [`${at}: must ${what} of at most ${max}, has ${size}`];
  return [];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
