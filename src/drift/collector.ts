/** Where the engine writes: differences with their classification sentence, and what could not be compared. */
import { isObject, isUnknown, stableKey, type Json, type Partial } from './partial.js';
import type { Category, Difference } from './types.js';

const REASONS: Readonly<Record<Category, string>> = {
  exposure: 'it changes who can reach the resource',
  encryption: 'it changes how the data is encrypted',
  iam: 'it changes who may do what',
  network: 'it changes network reachability',
};

/** Plain JSON for the report: unknown leaves become their `(unknown: ...)` text. */
export function toJson(value: Partial | undefined): Json {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as Json);
}

function show(value: Json): string {
  if (value === null) return 'absent';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** What differs between two versions of an element, key by key: `Action ["s3:getobject"] → ["s3:*"]`. */
function changes(declared: Json, live: Json): string {
  if (!isObject(declared) || !isObject(live)) return `${show(declared)} → ${show(live)}`;
  const keys = [...new Set([...Object.keys(declared), ...Object.keys(live)])].filter((k) => stableKey(declared[k]) !== stableKey(live[k]));
  return keys.map((k) => `${k} ${show(declared[k] ?? null)} → ${show(live[k] ?? null)}`).join('; ');
}

export class Collector {
  readonly differences: Difference[] = [];
  readonly unknown: string[] = [];
  readonly notRecorded: string[] = [];

  /**
   * Records a difference with its classification and a sentence saying why it matters. `element`
   * differences (a rule, a statement, a whole document) are worded by presence, not by value.
   */
  add(d: {
    path: string;
    label: string;
    declared: Json;
    live: Json;
    category: Category | undefined;
    weakens: boolean;
    undeclared?: string | undefined;
    element?: boolean;
    recorded?: { declared: Json; live: Json };
  }): void {
    const values = !d.element
      ? `${show(d.live)} live, ${show(d.declared)} in the code`
      : d.declared === null
        ? 'present live, absent in the code'
        : d.live === null
          ? 'absent live, declared in the code'
          : `changed live (${changes(d.declared, d.live)})`;
    const what = d.undeclared
      ? `${d.label}: ${d.element ? 'present' : show(d.live)} live, not declared in the code; ${d.undeclared}`
      : `${d.label}: ${values}`;
    const impact = d.category
      ? `security-relevant (${d.category}): ${REASONS[d.category]}`
      : 'benign: no exposure, encryption, IAM or network effect';
    const direction = d.weakens ? '; the live value is less secure than the code' : '';
    this.differences.push({
      path: d.path,
      declared: d.declared,
      live: d.live,
      class: d.category ? 'security' : 'benign',
      ...(d.category ? { category: d.category } : {}),
      weakens: d.weakens,
      ...(d.recorded ? { recorded: d.recorded } : {}),
      why: `${what}. ${impact}${direction}.`,
    });
  }

  noteUnknown(path: string, value: Partial | undefined): void {
    const source = isUnknown(value) ? value.source : 'partly unresolved';
    this.unknown.push(`${path} (${source})`);
  }
}
