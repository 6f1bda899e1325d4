/**
 * Writes src/findings/controls-table.json: every current Security Hub (CSPM) control with its title,
 * severity, resource types and AWS Config rules. Not run by npm test; needs no network. Sources are
 * local copies (see src/findings/README.md):
 *
 *   npx tsx scripts/generate-controls-table.ts \
 *     --controls-reference security-hub-controls.jsonl  (iainelder/security-hub-controls: the controls reference page, one control a line)
 *     --user-guide DIR                                   (awsdocs/aws-security-hub-user-guide doc_source/ at bda5bf7: *-controls.md)
 *     [--supplement scripts/controls-supplement.json] [--out src/findings/controls-table.json]
 *
 * The reference page decides which controls exist and their title and severity (it is current; the
 * user guide copy is from 2023-03). Resource types and Config rules come from the supplement (read
 * from the current per-service pages) first, then from the 2023 user guide; a control in neither
 * keeps empty lists (not known here, never guessed).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface Details {
  readonly resourceTypes: readonly string[];
  readonly configRules: readonly string[];
}

interface Row extends Details {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly retired?: true;
}

interface Heading {
  readonly title: string;
  readonly severity: string;
}

/**
 * Facts read by hand from the current pages (`from` says where); controls the current pages have and the
 * reference scrape does not yet (`added`); retired controls kept with their last title (`retired`).
 */
interface Supplement {
  readonly controls: Record<string, Details & { readonly from: string }>;
  readonly added: Record<string, Heading>;
  readonly retired: Record<string, Heading>;
}

const ACCOUNT = 'AWS::::Account';

/** `{"Id": "S3.9", "Title": ..., "Severity": "MEDIUM", ...}` per line. */
function readReference(file: string): Map<string, { title: string; severity: string }> {
  const controls = new Map<string, { title: string; severity: string }>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const { Id, Title, Severity } = JSON.parse(line) as { Id: string; Title: string; Severity: string };
    const severity = Severity.charAt(0).toUpperCase() + Severity.slice(1).toLowerCase();
    controls.set(Id, { title: Title.trim().replace(/\s+/g, ' ').replace(/\.$/, ''), severity });
  }
  return controls;
}

// One section a control: `## \[ECR\.1\] title<a name="ecr-1"></a>` up to the next `## `.
const HEADING = /^## \\\[([A-Za-z0-9\\.]+)\\\]/;
const RESOURCE_TYPE = /AWS::([A-Za-z0-9]+)::?([A-Za-z0-9]+)/g;
const RULE_LINK = /developerguide\/([a-z0-9-]+)/g;
const RULE_CODE = /`([a-z0-9-]+)`/g;

/** The `**Field:**` text of a section, with the lines after it up to the next field (lists wrap). */
function field(lines: readonly string[], name: string): string {
  const at = lines.findIndex((l) => l.replace(/\s+/g, ' ').startsWith(`**${name}:`));
  if (at < 0) return '';
  const end = lines.findIndex((l, i) => i > at && l.startsWith('**'));
  return lines.slice(at, end < 0 ? undefined : end).join(' ');
}

function readUserGuide(dir: string): Map<string, Details> {
  const controls = new Map<string, Details>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('-controls.md'))) {
    let id: string | undefined;
    let section: string[] = [];
    const flush = () => {
      if (id === undefined) return;
      const types = field(section, 'Resource type');
      const rule = field(section, 'AWS Config rule');
      controls.set(id, {
        resourceTypes: /AWS account|AWS::::Account/i.test(types)
          ? [ACCOUNT]
          : [...types.matchAll(RESOURCE_TYPE)].map((m) => `AWS::${m[1]}::${m[2]}`),
        configRules: [...new Set([...rule.matchAll(RULE_LINK), ...rule.matchAll(RULE_CODE)].map((m) => m[1] ?? ''))],
      });
    };
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      const heading = HEADING.exec(line);
      if (heading || line.startsWith('## ')) {
        flush();
        id = heading?.[1]?.replace(/\\/g, '');
        section = [];
      } else section.push(line);
    }
    flush();
  }
  return controls;
}

const { values } = parseArgs({
  options: {
    'controls-reference': { type: 'string' },
    'user-guide': { type: 'string' },
    supplement: { type: 'string', default: 'scripts/controls-supplement.json' },
    out: { type: 'string', default: 'src/findings/controls-table.json' },
  },
});
const referenceArg = values['controls-reference'];
const guideArg = values['user-guide'];
if (!referenceArg || !guideArg) throw new Error('--controls-reference FILE and --user-guide DIR are required');

const reference = readReference(referenceArg);
const guide = readUserGuide(guideArg);
const { controls: supplement, added, retired } = JSON.parse(readFileSync(values.supplement, 'utf8')) as Supplement;

const order = (id: string) => {
  const [service = '', n = '0'] = id.split('.');
  return [service.toLowerCase(), Number(n)] as const;
};
const ids = [...new Set([...reference.keys(), ...Object.keys(added), ...Object.keys(retired)])].sort((a, b) => {
  const [sa, na] = order(a);
  const [sb, nb] = order(b);
  return sa === sb ? na - nb : sa < sb ? -1 : 1;
});
const rows: Row[] = ids.map((id) => {
  const current = reference.get(id);
  const { title, severity } = current ?? added[id] ?? retired[id] ?? { title: '', severity: '' };
  const { resourceTypes, configRules } = supplement[id] ?? guide.get(id) ?? { resourceTypes: [], configRules: [] };
  return { id, title, severity, resourceTypes, configRules, ...(current || Object.hasOwn(added, id) ? {} : { retired: true as const }) };
});
// One control a line: a regeneration's diff reads control by control.
writeFileSync(values.out, `[\n${rows.map((row) => JSON.stringify(row)).join(',\n')}\n]\n`);

const unused = [...Object.keys(supplement), ...guide.keys()].filter(
  (id) => !reference.has(id) && !Object.hasOwn(added, id) && !Object.hasOwn(retired, id),
);
const known = rows.filter((r) => r.resourceTypes.length > 0).length;
console.log(
  `${rows.length} controls written to ${values.out}; ${known} with resource types (supplement ${Object.keys(supplement).length})`,
);
console.log(`added from the current pages: ${Object.keys(added).join(' ')}; kept as retired: ${Object.keys(retired).join(' ')}`);
console.log(`in the user guide or supplement but no longer in the reference (dropped): ${[...new Set(unused)].join(' ') || 'none'}`);
