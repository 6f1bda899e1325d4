/**
 * `secret-in-diff`: lines a patch adds never hold credentials. Added lines are those of the file
 * after the patch that it did not have before (a line that only moves is not added); each is
 * matched, as written and with `\uXXXX` escapes decoded, against the shapes of AWS access keys,
 * AWS secret keys (40 characters where a secret is named), private keys in PEM, GitHub and Slack
 * tokens, and password-like settings given a literal that is not a placeholder. A violation says
 * which file and line and what kind of credential, never the credential: messages reach logs, the
 * ledger, Slack and pull requests.
 */
import { hasRef, isObject, keyOf, optionsOf, truth, type Val } from '../iac/values.js';
import { added, violation, type Fact } from './facts.js';
import { changed, shownPath } from './paths.js';
import type { Resource, Side } from './side.js';
import type { GuardrailInput, GuardrailViolation } from './types.js';
import { entries, holderOf, namePath, shownPath as shownEntryPath } from './walk.js';

/** Lines of `after` that `before` lacks, with their 1-based numbers in `after`. */
export function addedLines(before: string | undefined, after: string): { line: number; text: string }[] {
  const old = new Map<string, number>();
  for (const text of (before ?? '').split(/\r?\n/)) old.set(text, (old.get(text) ?? 0) + 1);
  return after.split(/\r?\n/).flatMap((text, i) => {
    const left = old.get(text) ?? 0;
    if (left > 0) {
      old.set(text, left - 1);
      return [];
    }
    return [{ line: i + 1, text }];
  });
}

interface Shape {
  /** `an AWS access key id`. */
  readonly what: string;
  /** Each credential found in the line, masked. */
  readonly find: (line: string) => string[];
}

/** Keeps a prefix that names the kind of token (`AKIA`, `ghp_`), never the secret part. */
const prefix = (keep: number) => (token: string) => `${token.slice(0, keep)}…`;

function matches(pattern: RegExp, line: string, mask: (token: string) => string, skip: (token: string) => boolean = () => false): string[] {
  return [...line.matchAll(pattern)].flatMap((m) => {
    const token = m[1] ?? m[0];
    return skip(token) ? [] : [mask(token)];
  });
}

/** AWS documents its example keys with EXAMPLE in them: they are not credentials. */
const example = (token: string): boolean => /EXAMPLE/.test(token);

/** Setting names whose value is a credential: `password`, `master_password`, `MasterUserPassword`, `api_key`... */
const SECRET_NAME =
  /(?:password|passwd|passphrase|secret|secret_?key|api_?key|access_?token|auth_?token|private_?key)["']?[ \t]{0,64}[:=][ \t]{0,16}/gi;

/** Values that stand for a credential without being one. */
const PLACEHOLDER =
  /^(?:<[^>]*>|\*+|x+|\.+|_+|-+|changeme|change[-_ ]me|replace[-_ ]?me|todo|tbd|placeholder|example|redacted|dummy|none|null|nil|true|false|\d+|arn:.*)$/i;

// Sticky and bounded, read where a setting name ends: a hostile line cannot make them expensive.
const QUOTED = /"((?:[^"\\\n]|\\.){0,256})"|'([^'\n]{0,256})'/y;
const BARE = /([^\s"'{[!&*#|>,}\]][^\s,}\]#]{0,255})/y;

/** Literal values of password-like settings: quoted anywhere, bare in YAML (never `!Ref`, `{...}`, `var.x`). */
function literalSecrets(line: string, hcl: boolean): string[] {
  return [...line.matchAll(SECRET_NAME)].flatMap((m) => {
    // The name must end here: `password_length = 16` names no password.
    const at = (m.index ?? 0) + m[0].length;
    QUOTED.lastIndex = at;
    const quoted = QUOTED.exec(line);
    BARE.lastIndex = at;
    const bare = hcl || quoted ? undefined : BARE.exec(line);
    const value = quoted ? (quoted[1] ?? quoted[2] ?? '') : bare?.[1];
    if (value === undefined || value.trim() === '' || PLACEHOLDER.test(value.trim())) return [];
    // References and dynamic references are where credentials belong: `${...}`, `{{resolve:...}}`.
    if (/\$\{|\{\{/.test(value)) return [];
    let start = m.index ?? 0;
    while (start > 0 && /[\w-]/.test(line.charAt(start - 1))) start--;
    const name = `${line.slice(start, m.index)}${m[0].replace(/["']?[ \t]*[:=][ \t]*$/, '')}`;
    return [`${name} = "****"`];
  });
}

const SHAPES: readonly Shape[] = [
  { what: 'an AWS access key id', find: (l) => matches(/\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/g, l, prefix(4), example) },
  {
    what: 'an AWS secret access key',
    find: (l) =>
      /secret/i.test(l)
        ? matches(
            /(?<![A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
            l,
            () => '****',
            (t) => example(t) || !/[A-Z]/.test(t) || !/[a-z]/.test(t) || !/\d/.test(t),
          )
        : [],
  },
  {
    what: 'a private key',
    find: (l) => matches(/-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g, l, (t) => `-----BEGIN ${t}-----`),
  },
  {
    what: 'a GitHub token',
    find: (l) => [
      ...matches(/\b(gh[pousr]_[A-Za-z0-9]{36,255})\b/g, l, prefix(4)),
      ...matches(/\b(github_pat_[A-Za-z0-9_]{22,255})\b/g, l, prefix(11)),
    ],
  },
  { what: 'a Slack token', find: (l) => matches(/\b(xox[abpr]-[A-Za-z0-9-]{10,255})/g, l, prefix(5)) },
];

function decoded(line: string): string {
  return line.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The credentials of one line, each as `[what, masked]`, without repeats. */
export function secretsIn(line: string, hcl: boolean): (readonly [string, string])[] {
  const seen = new Set<string>();
  const texts = line.includes('\\u') ? [line, decoded(line)] : [line];
  const found = texts.flatMap((text) => [
    ...SHAPES.flatMap((s) => s.find(text).map((m) => [s.what, m] as const)),
    ...literalSecrets(text, hcl).map((m) => ['a literal credential', m] as const),
  ]);
  return found.filter(([what, masked]) => (seen.has(`${what}\0${masked}`) ? false : (seen.add(`${what}\0${masked}`), true)));
}

/** Credentials on the lines the patch adds, in every file it changes. */
export function secretsInDiff(input: GuardrailInput): GuardrailViolation[] {
  return input.files.filter(changed).flatMap((f) => {
    const hcl = /\.(tf|hcl|tfvars)$/.test(f.path);
    return addedLines(f.before, f.after).flatMap(({ line, text }) =>
      secretsIn(text, hcl).map(([what, masked]) =>
        violation(
          'secret-in-diff',
          shownPath(f.path),
          `line ${line} adds ${what} (${masked}): credentials never belong in code; reference Secrets Manager or SSM Parameter Store instead`,
        ),
      ),
    );
  });
}

/** Names of variables, locals and parameters that hold credentials. */
const CREDENTIAL_NAME = /pass(word|wd|phrase)|secret|token|api_?key|apikey|private_?key|credential|access_?key/i;
/** Names that speak of a credential without holding one: its name, ARN, id, length, rotation... */
const ABOUT_CREDENTIAL =
  /(_|^)(arn|id|ids|name|names|length|policy|rotation|ttl|version|type|enabled|prefix|path|count|kms_key.*)$|Arn$|Id$|Name$|Length$|Type$/i;

/** A literal string that is a credential rather than a placeholder or a reference. */
function literalCredential(value: Val): boolean {
  return typeof value === 'string' && value.trim() !== '' && !hasRef(value) && !PLACEHOLDER.test(value.trim()) && !/\$\{|\{\{/.test(value);
}

/** The source of a resource's top-level setting as written: what the line scan reads of it. */
function writtenSource(r: Resource, name: string): string {
  if (r.written.kind === 'terraform')
    return r.written.attributes
      .filter((a) => a.path[0] === name)
      .map((a) => `${a.path.at(-1) ?? ''} = ${a.text}`)
      .join('\n');
  const props = r.written.entry.Properties;
  const value = props && typeof props === 'object' && !Array.isArray(props) ? props[name] : undefined;
  return value === undefined ? '' : `${name}: ${JSON.stringify(value)}`;
}

/** An SSM parameter that is, or may be, a SecureString: its `value` is a credential whatever it is called. */
function secureParameter(r: Resource): boolean {
  return r.type === 'aws_ssm_parameter' && optionsOf(r.props.type ?? null).some((t) => typeof t !== 'string' || t === 'SecureString');
}

/**
 * Credentials in resource settings that the line scan cannot see: made by evaluation (a local, a
 * variable's default, `base64decode()`, `join()`, `!Join`...) or given to a setting the scan does
 * not know by name (an SSM SecureString's `value`). A setting written as a plain literal is the
 * line scan's, which reports it once, on its line.
 */
function resourceCredentials(r: Resource): Fact[] {
  if (r.mode !== 'resource') return [];
  const holder = holderOf(r);
  return entries(r.props).flatMap((e): Fact[] => {
    if (typeof e.value !== 'string' || !literalCredential(e.value)) return [];
    const top = e.path[0] ?? '';
    const source = writtenSource(r, top);
    const secure = secureParameter(r) && e.path.length === 1 && e.name === 'value';
    const visible =
      secretsIn(source, r.kind === 'terraform').length > 0 ||
      source.includes(e.value) ||
      source.includes(JSON.stringify(e.value).slice(1, -1));
    const named = CREDENTIAL_NAME.test(e.name) && !ABOUT_CREDENTIAL.test(e.name);
    const shapes = SHAPES.flatMap((shape) => shape.find(e.value as string).map((masked) => `${shape.what} (${masked})`));
    const found = secure ? ['an SSM SecureString value'] : visible ? [] : [...(named ? ['a credential'] : []), ...shapes];
    return found.map((what) => ({
      holder,
      key: `credential ${shownEntryPath(e.path)} ${keyOf(e.value)} ${what}`,
      line: r.lineOf(r.kind === 'cloudformation' ? ['Properties', ...e.path] : e.path),
      message: `${r.id} sets ${namePath(e.path)} to ${what} written in the code: credentials never belong in code; reference Secrets Manager or SSM Parameter Store instead`,
    }));
  });
}

/**
 * Credentials given as values rather than lines: a variable's default (or a value from an
 * auto-loaded tfvars file) for a variable that is named like a credential or marked `sensitive`,
 * a CloudFormation parameter's `Default` when the parameter is `NoEcho`
 * or named like one. Only those the patch adds or changes; the message never quotes the value.
 */
export function secretsInValues(before: Side, after: Side): GuardrailViolation[] {
  const was = new Map(before.settings.map((s) => [s.key, s.text]));
  const inResources = added('secret-in-diff', before.resources.flatMap(resourceCredentials), after.resources.flatMap(resourceCredentials));
  return [
    ...inResources,
    ...after.settings.flatMap((s) => {
      if (was.get(s.key) === s.text) return [];
      const props = isObject(s.value) ? s.value : undefined;
      const name = s.key.replace(/^.*\/\//, '').replace(/^(var|local|Parameters|Outputs)\./, '');
      const secretName = CREDENTIAL_NAME.test(name) && !ABOUT_CREDENTIAL.test(name);
      let holds: Val | undefined;
      let why = '';
      if (s.kind === 'variable' && props && (secretName || truth(props.sensitive ?? null) === true))
        [holds, why] = [props.default, `the variable ${name} gets a literal value in the code`];
      if (s.kind === 'Parameters' && props && (secretName || truth(props.NoEcho ?? null) === true))
        [holds, why] = [props.Default, `the parameter ${name} has a literal Default`];
      // A stack output that resolves a secret shows it to anyone who can describe the stack.
      if (s.kind === 'Outputs' && /\{\{resolve:(secretsmanager|ssm-secure):/.test(s.text)) {
        return [
          violation(
            'secret-in-diff',
            shownPath(s.file),
            `the output ${name} resolves a secret (a dynamic reference to Secrets Manager or SSM SecureString): anyone who can describe the stack reads it`,
            s.line,
          ),
        ];
      }
      if (holds === undefined || !literalCredential(holds)) return [];
      return [
        violation(
          'secret-in-diff',
          shownPath(s.file),
          `${why}: credentials never belong in code; reference Secrets Manager or SSM Parameter Store instead`,
          s.line,
        ),
      ];
    }),
  ];
}
