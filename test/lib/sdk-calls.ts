/**
 * The AWS calls code can make and the IAM actions they need, found statically: the SDK v3 commands
 * (and paginators, uploads, library calls) reachable from an entry file through its relative imports,
 * and the service integrations of an ASL definition. A package, service or integration this file
 * does not know fails the caller with what to add: an unknown call is never silently ungranted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { PROJECT_ROOT } from '../../lib/project.js';

export interface Call {
  /** The IAM action, e.g. `dynamodb:GetItem`. */
  readonly action: string;
  /** Where it comes from: `GetCommand in src/ledger/dynamodb.ts`, `Task Claim`. */
  readonly via: string;
  /** Made with the credentials of a role the state assumes (its `Credentials`), not the caller's own. */
  readonly assumed?: true;
}

/** The IAM prefix of each SDK package (`@aws-sdk/<name>`). */
const SDK_PACKAGES: Readonly<Record<string, string>> = {
  'client-bedrock-runtime': 'bedrock',
  'client-cloudformation': 'cloudformation',
  'client-cloudwatch': 'cloudwatch',
  'client-cloudwatch-logs': 'logs',
  'client-config-service': 'config',
  'client-dynamodb': 'dynamodb',
  'client-ecs': 'ecs',
  'client-eventbridge': 'events',
  'client-iam': 'iam',
  'client-kms': 'kms',
  'client-lambda': 'lambda',
  'client-organizations': 'organizations',
  'client-s3': 's3',
  'client-secrets-manager': 'secretsmanager',
  'client-securityhub': 'securityhub',
  'client-sfn': 'states',
  'client-sns': 'sns',
  'client-sqs': 'sqs',
  'client-ssm': 'ssm',
  'client-sts': 'sts',
  'lib-dynamodb': 'dynamodb',
  'lib-storage': 's3',
};

/** Operations whose IAM action is not their name (the document client's commands, Converse...). */
const ACTIONS_OF: Readonly<Record<string, readonly string[]>> = {
  'dynamodb:Get': ['dynamodb:GetItem'],
  'dynamodb:Put': ['dynamodb:PutItem'],
  'dynamodb:Update': ['dynamodb:UpdateItem'],
  'dynamodb:Delete': ['dynamodb:DeleteItem'],
  'dynamodb:BatchGet': ['dynamodb:BatchGetItem'],
  'dynamodb:BatchWrite': ['dynamodb:BatchWriteItem'],
  'dynamodb:TransactGet': ['dynamodb:GetItem'],
  'dynamodb:TransactGetItems': ['dynamodb:GetItem'],
  'bedrock:Converse': ['bedrock:InvokeModel'],
  'bedrock:ConverseStream': ['bedrock:InvokeModelWithResponseStream'],
  'lambda:Invoke': ['lambda:InvokeFunction'],
  // Security Hub v2 (OCSF) operations are authorized by the v1 actions (the API reference says so).
  'securityhub:BatchUpdateFindingsV2': ['securityhub:BatchUpdateFindings'],
  'securityhub:GetFindingsV2': ['securityhub:GetFindings'],
  // lib-storage: multipart parts are authorized by PutObject; a failed upload is aborted.
  's3:Upload': ['s3:PutObject', 's3:AbortMultipartUpload'],
};

/** A transaction is authorized item by item: the actions of the item kinds its file builds. */
const TRANSACTION_ITEMS: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};
const TRANSACT_WRITES = new Set(['dynamodb:TransactWrite', 'dynamodb:TransactWriteItems']);

/** Libraries that call AWS themselves: imported function to the actions it needs. */
const LIBRARY_CALLS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  '@aws-lambda-powertools/parameters/secrets': { getSecret: ['secretsmanager:GetSecretValue'] },
  '@aws-lambda-powertools/parameters/ssm': { getParameter: ['ssm:GetParameter'], getParameters: ['ssm:GetParametersByPath'] },
};

const project = (file: string): string => relative(PROJECT_ROOT, file);

function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`].find((file) => file.endsWith('.ts') && existsSync(file));
}

/** The IAM prefix of an AWS package, undefined for any other package. */
function sdkPrefix(specifier: string): string | undefined {
  if (!specifier.startsWith('@aws-sdk/')) return undefined;
  const prefix = SDK_PACKAGES[specifier.slice('@aws-sdk/'.length)];
  if (prefix === undefined) throw new Error(`${specifier}: add its IAM service prefix to SDK_PACKAGES in test/lib/sdk-calls.ts`);
  return prefix;
}

function operationActions(prefix: string, operation: string, file: ts.SourceFile): readonly string[] {
  const key = `${prefix}:${operation}`;
  if (!TRANSACT_WRITES.has(key)) return ACTIONS_OF[key] ?? [key];
  const kinds = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && TRANSACTION_ITEMS[node.name.text])
      kinds.add(TRANSACTION_ITEMS[node.name.text]!);
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (kinds.size === 0)
    throw new Error(
      `${project(file.fileName)} sends ${operation} but builds no Put, Update, Delete or ConditionCheck item the test can see`,
    );
  return [...kinds];
}

/** The calls one file makes, and the project files it imports (code, not types). */
function scan(fileName: string): { calls: Call[]; imports: string[] } {
  const file = ts.createSourceFile(fileName, readFileSync(fileName, 'utf8'), ts.ScriptTarget.Latest, true);
  const imports: string[] = [];
  /** Local name to what it calls: a command class, a paginator, an upload or a library function. */
  const bound = new Map<string, { kind: 'new' | 'call'; actions: () => readonly string[]; name: string }>();
  const follow = (specifier: string): void => {
    if (!specifier.startsWith('.')) return;
    const target = resolveImport(fileName, specifier);
    if (target) imports.push(target);
  };
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const specifier = statement.moduleSpecifier.text;
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      follow(specifier);
      const named =
        clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements.filter((e) => !e.isTypeOnly) : [];
      const prefix = sdkPrefix(specifier);
      // `new sdk.XCommand(...)` would go unseen: only named imports are followed to their calls.
      if (prefix && clause?.namedBindings && ts.isNamespaceImport(clause.namedBindings))
        throw new Error(`${project(fileName)}: import commands from ${specifier} by name, not as a namespace`);
      const library = LIBRARY_CALLS[specifier];
      for (const element of named) {
        const imported = (element.propertyName ?? element.name).text;
        const local = element.name.text;
        if (prefix && /Command$/.test(imported))
          bound.set(local, {
            kind: 'new',
            name: imported,
            actions: () => operationActions(prefix, imported.slice(0, -'Command'.length), file),
          });
        else if (prefix && /^paginate[A-Z]/.test(imported))
          bound.set(local, {
            kind: 'call',
            name: imported,
            actions: () => operationActions(prefix, imported.slice('paginate'.length), file),
          });
        else if (prefix && imported === 'Upload')
          bound.set(local, { kind: 'new', name: imported, actions: () => operationActions(prefix, 'Upload', file) });
        else if (library?.[imported]) bound.set(local, { kind: 'call', name: imported, actions: () => library[imported]! });
      }
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier) &&
      !statement.isTypeOnly
    ) {
      follow(statement.moduleSpecifier.text);
    }
  }
  const calls: Call[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    )
      follow(node.arguments[0].text);
    const callee = ts.isNewExpression(node) || ts.isCallExpression(node) ? node.expression : undefined;
    const binding = callee && ts.isIdentifier(callee) ? bound.get(callee.text) : undefined;
    if (binding && binding.kind === (ts.isNewExpression(node) ? 'new' : 'call')) {
      for (const action of binding.actions()) calls.push({ action, via: `${binding.name} in ${project(fileName)}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { calls, imports };
}

/** Every call reachable from `entry` through relative imports, static and dynamic. */
export function sdkCallsFrom(entry: string): Call[] {
  const seen = new Set<string>();
  const queue = [resolve(entry)];
  const calls: Call[] = [];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const found = scan(file);
    calls.push(...found.calls);
    queue.push(...found.imports);
  }
  return calls;
}

/** The IAM prefix of a service in an `aws-sdk:<service>:` integration, where it is not the service's name. */
const SDK_INTEGRATION_PREFIX: Readonly<Record<string, string>> = {
  sfn: 'states',
  eventbridge: 'events',
  cloudwatchlogs: 'logs',
  bedrockruntime: 'bedrock',
};

const SYNC_EVENTS = ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'];
/** Optimized integrations (`arn:aws:states:::<service>:<api>[.pattern]`) and the actions the role needs, per the Step Functions docs. */
const INTEGRATIONS: Readonly<Record<string, readonly string[]>> = {
  'lambda:invoke': ['lambda:InvokeFunction'],
  'lambda:invoke.waitForTaskToken': ['lambda:InvokeFunction'],
  'ecs:runTask': ['ecs:RunTask', 'iam:PassRole'],
  'ecs:runTask.waitForTaskToken': ['ecs:RunTask', 'iam:PassRole'],
  'ecs:runTask.sync': ['ecs:RunTask', 'ecs:StopTask', 'ecs:DescribeTasks', 'iam:PassRole', ...SYNC_EVENTS],
  'events:putEvents': ['events:PutEvents'],
  'events:putEvents.waitForTaskToken': ['events:PutEvents'],
  'sns:publish': ['sns:Publish'],
  'sqs:sendMessage': ['sqs:SendMessage'],
  'states:startExecution': ['states:StartExecution'],
  'states:startExecution.sync': ['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution', ...SYNC_EVENTS],
  'states:startExecution.sync:2': ['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution', ...SYNC_EVENTS],
  'dynamodb:getItem': ['dynamodb:GetItem'],
  'dynamodb:putItem': ['dynamodb:PutItem'],
  'dynamodb:updateItem': ['dynamodb:UpdateItem'],
  's3:getObject': ['s3:GetObject'],
  's3:listObjectsV2': ['s3:ListBucket'],
  's3:putObject': ['s3:PutObject'],
};

type AslState = {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Arguments?: Record<string, unknown>;
  Credentials?: unknown;
} & Record<string, unknown>;
interface AslMachine {
  readonly States: Record<string, AslState>;
}

function integrationActions(resource: string, where: string): readonly string[] {
  const sdk = /^arn:aws:states:::aws-sdk:(\w+):(\w+)(\.waitForTaskToken)?$/.exec(resource);
  if (sdk) return [`${SDK_INTEGRATION_PREFIX[sdk[1]!] ?? sdk[1]}:${sdk[2]![0]!.toUpperCase()}${sdk[2]!.slice(1)}`];
  const actions = INTEGRATIONS[resource.replace(/^arn:aws:states:::/, '')];
  if (!actions)
    throw new Error(
      `${where}: ${resource} is no integration test/lib/sdk-calls.ts knows; add it to INTEGRATIONS with the actions the Step Functions docs list`,
    );
  return actions;
}

/**
 * The calls of every Task (and Map reader or writer) in `definition`, nested ones too. A `${...}`
 * resource is a substitution: `isFunction` says whether it names a Lambda function (invoked directly).
 */
export function aslCalls(definition: AslMachine, isFunction: (placeholder: string) => boolean): Call[] {
  const calls: Call[] = [];
  const add = (actions: readonly string[], via: string): void => void calls.push(...actions.map((action) => ({ action, via })));
  const walk = (machine: AslMachine): void => {
    for (const [name, state] of Object.entries(machine.States)) {
      const via = `${state.Type} ${name}`;
      if (state.Type === 'Task' && state.Resource) {
        const placeholder = /^\$\{(\w+)\}$/.exec(state.Resource)?.[1];
        if (placeholder !== undefined && !isFunction(placeholder))
          throw new Error(`${via}: \${${placeholder}} is no Lambda function; resolve it before looking up its integration`);
        const actions = placeholder !== undefined ? ['lambda:InvokeFunction'] : integrationActions(state.Resource, via);
        // A task run with other credentials: its role makes the call, the state machine's assumes it.
        if (state.Credentials) {
          calls.push(...actions.map((action) => ({ action, via, assumed: true as const })));
          add(['sts:AssumeRole'], `${via} (Credentials)`);
        } else add(actions, via);
      }
      for (const key of ['ItemReader', 'ResultWriter'] as const) {
        const resource = (state[key] as { Resource?: string } | undefined)?.Resource;
        if (resource) add(integrationActions(resource, `${via} ${key}`), `${via} ${key}`);
      }
      const processor = (state.ItemProcessor ?? state.Iterator) as (AslMachine & { ProcessorConfig?: { Mode?: string } }) | undefined;
      if (processor) {
        // A distributed Map runs its items as child executions of this state machine.
        if (processor.ProcessorConfig?.Mode === 'DISTRIBUTED')
          add(['states:StartExecution', 'states:DescribeExecution', 'states:StopExecution'], `${via} (distributed)`);
        walk(processor);
      }
      for (const branch of (state.Branches as AslMachine[] | undefined) ?? []) walk(branch);
    }
  };
  walk(definition);
  return calls;
}
