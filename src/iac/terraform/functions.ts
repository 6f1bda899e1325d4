/**
 * Terraform's built-in functions as far as cloudmend evaluates them: the pure ones whose result
 * follows from their arguments (string, collection, encoding, type conversion and CIDR functions).
 * Everything else is `Unknown`; the functions that read the machine Terraform runs on or run a
 * provider's code are named, so the guardrail can refuse them for what they are.
 */
import {
  Either,
  either,
  hasRef,
  isList,
  isLiteral,
  isObject,
  optionsOf,
  Ref,
  refText,
  UNKNOWN_MARK,
  Unknown,
  type Val,
} from '../values.js';

/** Functions that read files (or the home directory) where Terraform runs. */
export const FILE_READERS: ReadonlySet<string> = new Set([
  'file',
  'fileexists',
  'fileset',
  'filebase64',
  'filebase64sha256',
  'filebase64sha512',
  'filemd5',
  'filesha1',
  'filesha256',
  'filesha512',
  'templatefile',
  'pathexpand',
  'abspath',
]);

/** `provider::aws::arn_parse`: a provider-defined function, code the provider runs at plan time. */
export function isProviderFunction(name: string): boolean {
  return name.startsWith('provider::');
}

type Fn = (args: readonly Val[]) => Val;

const bad = (name: string): Unknown => new Unknown(`${name}() with arguments it cannot take`);

function str(v: Val | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function num(v: Val | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v)) return Number(v);
  return undefined;
}

function stringFn(name: string, f: (s: string, ...rest: string[]) => Val): Fn {
  return (args) => {
    const strings = args.map(str);
    return strings.every((s): s is string => s !== undefined) ? f(strings[0] ?? '', ...strings.slice(1)) : bad(name);
  };
}

/** An IPv4 CIDR as a 32-bit network number and prefix length; undefined when not one. */
function parseIpv4(cidr: string): { base: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - bits);
  return { base: address - (address % size), bits };
}

function ipv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** `cidrsubnet("10.0.0.0/16", 8, 2)` = `10.0.2.0/24`; IPv4 only (IPv6 is `Unknown`). */
function cidrsubnet(args: readonly Val[]): Val {
  const [prefix, newbits, netnum] = [str(args[0]), num(args[1]), num(args[2])];
  const net = prefix === undefined ? undefined : parseIpv4(prefix);
  if (!net || newbits === undefined || netnum === undefined || net.bits + newbits > 32 || netnum < 0 || netnum >= 2 ** newbits)
    return bad('cidrsubnet');
  const bits = net.bits + newbits;
  return `${ipv4(net.base + netnum * 2 ** (32 - bits))}/${bits}`;
}

function cidrhost(args: readonly Val[]): Val {
  const [prefix, hostnum] = [str(args[0]), num(args[1])];
  const net = prefix === undefined ? undefined : parseIpv4(prefix);
  if (!net || hostnum === undefined || hostnum < 0 || hostnum >= 2 ** (32 - net.bits)) return bad('cidrhost');
  return ipv4(net.base + hostnum);
}

/** Terraform's `jsonencode`: references become their marked names inside the JSON text. */
function jsonText(v: Val): string | undefined {
  // What cannot be evaluated is marked, not fatal: the rest of a policy stays readable.
  if (v instanceof Unknown || v instanceof Either) return JSON.stringify(UNKNOWN_MARK);
  if (v instanceof Ref) return JSON.stringify(refText(v.name));
  if (Array.isArray(v)) {
    const items = v.map(jsonText);
    return items.every((i) => i !== undefined) ? `[${items.join(',')}]` : undefined;
  }
  if (isObject(v)) {
    const entries = Object.keys(v)
      .sort()
      .map((k) => [k, jsonText(v[k] ?? null)] as const);
    return entries.every(([, t]) => t !== undefined) ? `{${entries.map(([k, t]) => `${JSON.stringify(k)}:${t}`).join(',')}}` : undefined;
  }
  return JSON.stringify(v);
}

function fromJson(text: string): Val {
  try {
    return JSON.parse(text) as Val;
  } catch {
    return bad('jsondecode');
  }
}

function flatten(list: readonly Val[]): Val[] {
  return list.flatMap((v) => (isList(v) ? flatten(v) : [v]));
}

function keysOf(v: Val | undefined): string[] | undefined {
  return isObject(v) ? Object.keys(v).sort() : undefined;
}

/** A Terraform truthy conversion: booleans and the strings "true"/"false". */
function toBool(v: Val | undefined): Val {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return bad('tobool');
}

/**
 * Regular expressions RE2 and JavaScript read alike: letters, digits, `_ - . ,` and spaces,
 * character classes, anchors and the quantifiers `+ * ?` (no escapes, groups, braces or `|`).
 */
const PLAIN_REGEXP = /^[\w\-., [\]^$+*?]+$/;

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  lower: stringFn('lower', (s) => s.toLowerCase()),
  upper: stringFn('upper', (s) => s.toUpperCase()),
  title: stringFn('title', (s) => s.replace(/\b\p{L}/gu, (c) => c.toUpperCase())),
  trimspace: stringFn('trimspace', (s) => s.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '')),
  trim: stringFn('trim', (s, cut = '') => {
    const set = new Set(cut);
    let [a, b] = [0, s.length];
    while (a < b && set.has(s.charAt(a))) a++;
    while (b > a && set.has(s.charAt(b - 1))) b--;
    return s.slice(a, b);
  }),
  trimprefix: stringFn('trimprefix', (s, p = '') => (s.startsWith(p) ? s.slice(p.length) : s)),
  trimsuffix: stringFn('trimsuffix', (s, p = '') => (p !== '' && s.endsWith(p) ? s.slice(0, -p.length) : s)),
  chomp: stringFn('chomp', (s) => s.replace(/(\r?\n)+$/, '')),
  // A regular expression (`/.../`) is Go's RE2: evaluated only where JavaScript's means the same, over text without references.
  replace: stringFn('replace', (s, find = '', to = '') => {
    if (!/^\/.*\/$/.test(find)) return s.split(find).join(to);
    const source = find.slice(1, -1);
    if (!PLAIN_REGEXP.test(source) || /\[\^?\]/.test(source) || to.includes('$') || hasRef(s))
      return new Unknown('replace() with a regular expression');
    try {
      return s.replace(new RegExp(source, 'g'), to);
    } catch {
      return new Unknown(`replace() with ${find}, which is not a regular expression`);
    }
  }),
  substr: (args) => {
    const [s, offset, length] = [str(args[0]), num(args[1]), num(args[2])];
    if (s === undefined || offset === undefined || length === undefined) return bad('substr');
    const chars = [...s];
    const start = offset < 0 ? chars.length + offset : offset;
    return chars.slice(start, length < 0 ? undefined : start + length).join('');
  },
  join: (args) => {
    const [sep, ...lists] = args;
    const items = lists.flatMap((l) => (isList(l) ? l : [l])).map((v) => (v instanceof Ref ? refText(v.name) : str(v)));
    return typeof sep === 'string' && items.every((i): i is string => i !== undefined) ? items.join(sep) : bad('join');
  },
  split: stringFn('split', (sep, s = '') => s.split(sep)),
  format: (args) => {
    const [spec, ...rest] = args;
    if (typeof spec !== 'string') return bad('format');
    let i = 0;
    let failed = false;
    const out = spec.replace(/%(%|[sdvtq])/g, (m, verb: string) => {
      if (verb === '%') return '%';
      const arg = rest[i++];
      const text =
        arg instanceof Ref ? refText(arg.name) : verb === 'q' ? (typeof arg === 'string' ? JSON.stringify(arg) : undefined) : str(arg);
      if (text === undefined) failed = true;
      return text ?? m;
    });
    return failed || /%[^%sdvtq]/.test(spec) ? bad('format') : out;
  },
  tostring: (args) => (args[0] instanceof Ref || args[0] === null ? (args[0] ?? null) : (str(args[0]) ?? bad('tostring'))),
  tonumber: (args) => (args[0] === null ? null : (num(args[0]) ?? bad('tonumber'))),
  tobool: (args) => (args[0] === null ? null : toBool(args[0])),
  tolist: (args) => (isList(args[0]) ? args[0] : bad('tolist')),
  toset: (args) => (isList(args[0]) ? dedupe(args[0]) : bad('toset')),
  tomap: (args) => (isObject(args[0]) ? args[0] : bad('tomap')),
  concat: (args) => (args.every(isList) ? args.flat() : bad('concat')),
  merge: (args) => (args.every(isObject) ? (Object.assign({}, ...(args as object[])) as Val) : bad('merge')),
  flatten: (args) => (isList(args[0]) ? flatten(args[0]) : bad('flatten')),
  distinct: (args) => (isList(args[0]) ? dedupe(args[0]) : bad('distinct')),
  compact: (args) => (isList(args[0]) ? args[0].filter((v) => v !== null && v !== '') : bad('compact')),
  reverse: (args) => (isList(args[0]) ? [...args[0]].reverse() : bad('reverse')),
  sort: (args) => (isList(args[0]) && args[0].every((v) => typeof v === 'string') ? [...(args[0] as string[])].sort() : bad('sort')),
  length: (args) =>
    isList(args[0])
      ? args[0].length
      : isObject(args[0])
        ? Object.keys(args[0]).length
        : typeof args[0] === 'string'
          ? [...args[0]].length
          : bad('length'),
  keys: (args) => keysOf(args[0]) ?? bad('keys'),
  values: (args) =>
    isObject(args[0])
      ? Object.keys(args[0])
          .sort()
          .map((k) => (args[0] as Record<string, Val>)[k] ?? null)
      : bad('values'),
  contains: (args) =>
    isList(args[0]) && isLiteral(args[1] ?? null) ? args[0].some((v) => JSON.stringify(v) === JSON.stringify(args[1])) : bad('contains'),
  lookup: (args) => {
    const [map, key, fallback] = args;
    if (!isObject(map) || typeof key !== 'string') return bad('lookup');
    return Object.hasOwn(map, key) ? (map[key] ?? null) : (fallback ?? bad('lookup'));
  },
  element: (args) => {
    const [list, index] = [args[0], num(args[1])];
    return isList(list) && list.length > 0 && index !== undefined && index >= 0 ? (list[index % list.length] ?? null) : bad('element');
  },
  coalesce: (args) => args.find((v) => v !== null && v !== '') ?? bad('coalesce'),
  coalescelist: (args) => args.find((v) => isList(v) && v.length > 0) ?? bad('coalescelist'),
  min: (args) => (args.every((a) => num(a) !== undefined) && args.length > 0 ? Math.min(...args.map((a) => num(a) ?? 0)) : bad('min')),
  max: (args) => (args.every((a) => num(a) !== undefined) && args.length > 0 ? Math.max(...args.map((a) => num(a) ?? 0)) : bad('max')),
  abs: (args) => (num(args[0]) === undefined ? bad('abs') : Math.abs(num(args[0]) ?? 0)),
  ceil: (args) => (num(args[0]) === undefined ? bad('ceil') : Math.ceil(num(args[0]) ?? 0)),
  floor: (args) => (num(args[0]) === undefined ? bad('floor') : Math.floor(num(args[0]) ?? 0)),
  jsonencode: (args) => (args.length === 1 ? (jsonText(args[0] ?? null) ?? bad('jsonencode')) : bad('jsonencode')),
  jsondecode: (args) => (typeof args[0] === 'string' ? fromJson(args[0]) : bad('jsondecode')),
  base64encode: stringFn('base64encode', (s) => Buffer.from(s, 'utf8').toString('base64')),
  base64decode: stringFn('base64decode', (s) => Buffer.from(s, 'base64').toString('utf8')),
  cidrsubnet,
  cidrhost,
  cidrnetmask: (args) => {
    const net = parseIpv4(str(args[0]) ?? '');
    return net ? ipv4(2 ** 32 - 2 ** (32 - net.bits)) : bad('cidrnetmask');
  },
};

function dedupe(list: readonly Val[]): Val[] {
  const seen = new Set<string>();
  return list.filter((v) => {
    const key = JSON.stringify(v);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** Functions whose result carries references through (a list or text holding a resource's id). */
const PASS_REFS = new Set([
  'jsonencode',
  'join',
  'format',
  'tostring',
  'concat',
  'merge',
  'flatten',
  'compact',
  'distinct',
  'tolist',
  'toset',
  'tomap',
  'coalesce',
  'lookup',
  'element',
]);

function hasOpaque(v: Val): boolean {
  if (v instanceof Ref) return true;
  if (typeof v === 'string') return v.includes('\u0000');
  if (Array.isArray(v)) return v.some(hasOpaque);
  if (isObject(v)) return Object.values(v).some(hasOpaque);
  return false;
}

/**
 * The result of calling `name` with `args`: computed when the function is pure and known and its
 * arguments are determined (over every combination of alternatives), `Unknown` otherwise.
 */
export function callFunction(name: string, args: readonly Val[]): Val {
  const fn = FUNCTIONS[name];
  if (!fn)
    return new Unknown(
      FILE_READERS.has(name)
        ? `${name}() reads files where Terraform runs`
        : isProviderFunction(name)
          ? `${name}() runs provider code`
          : `${name}() is not evaluated`,
    );
  let combos: Val[][] = [[]];
  for (const arg of args) {
    combos = combos.flatMap((c) => optionsOf(arg).map((o) => [...c, o]));
    if (combos.length > 64) return new Unknown(`${name}() over too many alternatives`);
  }
  return either(
    combos.map((combo) => {
      const blocker = combo.find((a) => a instanceof Unknown);
      if (blocker && name !== 'jsonencode') return blocker;
      if (!PASS_REFS.has(name) && combo.some(hasOpaque)) return new Unknown(`${name}() of a value from outside the code`);
      return fn(combo);
    }),
  );
}
