/**
 * Which management events a trail records, from its event selectors, in one shape for Terraform
 * and CloudFormation. CloudTrail.1 wants read and write management events with no event source
 * excluded; a trail without selectors records exactly that (the API default).
 */
import type { Setting } from '../helpers.js';

/** `read_write_type` / `ReadWriteType`; `unknown` when not static. */
export type ReadWrite = 'All' | 'ReadOnly' | 'WriteOnly' | 'unknown';

/** One basic event selector (`event_selector` / `EventSelectors[i]`). */
export interface EventSelector {
  /** How people find it: `event_selector #1`, `EventSelectors[0]`. */
  readonly label: string;
  readonly index: number;
  readonly offset: number;
  /** `include_management_events`; missing means on (the default). */
  readonly management: Setting;
  /** `read_write_type`, `All` when missing (the default). */
  readonly readWrite: ReadWrite;
  readonly readWriteName: string;
  /** Whether the selector also logs data events, which `read_write_type` governs too. */
  readonly hasData: boolean;
  readonly excluded: readonly string[] | 'unknown';
  readonly excludedName: string;
}

/** One `field_selector` / `FieldSelectors` item, as far as the control cares: the field and its `equals`. */
export interface FieldSelector {
  readonly field: string;
  readonly equals: readonly string[];
}

/** One advanced event selector; `unknown` when its fields are not static. */
export interface AdvancedSelector {
  readonly label: string;
  readonly offset: number;
  readonly fields: readonly FieldSelector[] | 'unknown';
}

/** Everything a trail says about which events it records. */
export interface TrailSelectors {
  readonly basic: readonly EventSelector[];
  readonly advanced: readonly AdvancedSelector[];
  /** Selectors cloudmend cannot list: a `dynamic` block, an intrinsic function. */
  readonly opaque: string | undefined;
  /** Offset to point at when no selector is at fault. */
  readonly offset: number;
}

/** A problem with management events, before it is given a resource and a kind. */
export interface EventFinding {
  readonly messageId: string;
  readonly data: Readonly<Record<string, string>>;
  readonly offset: number;
  readonly fixable: boolean;
}

/** A static value as a `ReadWrite`. */
export function readWriteOf(value: unknown): ReadWrite {
  return value === 'All' || value === 'ReadOnly' || value === 'WriteOnly' ? value : 'unknown';
}

function advancedFindings(trail: string, s: TrailSelectors): EventFinding[] {
  const known = s.advanced.filter((a): a is AdvancedSelector & { fields: readonly FieldSelector[] } => a.fields !== 'unknown');
  const management = known.filter((a) => a.fields.some((f) => f.field === 'eventCategory' && f.equals.includes('Management')));
  // Any filter besides the category (readOnly, eventSource...) narrows the management events recorded.
  if (management.some((a) => a.fields.every((f) => f.field === 'eventCategory'))) return [];
  if (known.length < s.advanced.length || s.opaque !== undefined) {
    return [{ messageId: 'selectorsUnknown', data: { trail, why: s.opaque ?? 'not static' }, offset: s.offset, fixable: false }];
  }
  const [partial] = management;
  if (partial) {
    const fields = [...new Set(partial.fields.map((f) => f.field).filter((f) => f !== 'eventCategory'))].join(', ');
    return [{ messageId: 'advancedPartial', data: { selector: partial.label, fields }, offset: partial.offset, fixable: false }];
  }
  return [{ messageId: 'noManagementEvents', data: { trail }, offset: s.offset, fixable: false }];
}

/**
 * What keeps `trail` from recording all read and write management events. The only fix offered
 * is `read_write_type` → `All` on a selector that logs management events and no data events:
 * there it adds the missing half of management events and nothing else. On a selector with data
 * events the same change would also record billed data events, so a person decides.
 */
export function managementFindings(trail: string, s: TrailSelectors): EventFinding[] {
  if (s.advanced.length > 0) return advancedFindings(trail, s);
  if (s.basic.length === 0)
    return s.opaque === undefined
      ? []
      : [{ messageId: 'selectorsUnknown', data: { trail, why: s.opaque }, offset: s.offset, fixable: false }];
  const findings: EventFinding[] = [];
  const management = s.basic.filter((b) => b.management !== 'off');
  for (const b of management) {
    if (b.excluded === 'unknown')
      findings.push({
        messageId: 'settingUnknown',
        data: { setting: `${b.excludedName} in ${b.label}`, expr: 'an expression' },
        offset: b.offset,
        fixable: false,
      });
    else if (b.excluded.length > 0)
      findings.push({
        messageId: 'excludedSources',
        data: { selector: b.label, setting: b.excludedName, sources: b.excluded.join(', ') },
        offset: b.offset,
        fixable: false,
      });
  }
  const sure = management.filter((b) => b.management !== 'unknown' && b.readWrite !== 'unknown');
  const covers = (half: ReadWrite): boolean => sure.some((b) => b.readWrite === 'All' || b.readWrite === half);
  const read = covers('ReadOnly');
  const write = covers('WriteOnly');
  if (read && write) return findings;
  if (s.opaque !== undefined || sure.length < management.length) {
    return [
      ...findings,
      {
        messageId: 'selectorsUnknown',
        data: { trail, why: s.opaque ?? 'set with expressions cloudmend cannot evaluate' },
        offset: s.offset,
        fixable: false,
      },
    ];
  }
  const candidate = sure.find((b) => !b.hasData) ?? sure[0];
  if (!candidate) return [...findings, { messageId: 'noManagementEvents', data: { trail }, offset: s.offset, fixable: false }];
  const data = {
    selector: candidate.label,
    index: String(candidate.index),
    setting: candidate.readWriteName,
    value: candidate.readWrite,
    recorded: read ? 'read' : 'write',
    missing: read ? 'write' : 'read',
  };
  return [
    ...findings,
    {
      messageId: candidate.hasData ? 'partialEventsWithData' : 'partialEvents',
      data,
      offset: candidate.offset,
      fixable: !candidate.hasData,
    },
  ];
}
