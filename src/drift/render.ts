/** A drift report as text for a terminal: one row per difference, the reason under it. */
import { printable } from '../printable.js';
import type { Json } from './partial.js';
import type { DriftReport } from './types.js';

/** A table cell: scalars as they are; a rule, statement or document only by presence (`--json` has it whole). */
function cell(value: Json, other: Json, width: number): string {
  const text = value === null ? '-' : typeof value !== 'object' ? String(value) : other === null ? 'present' : 'changed';
  return text.length > width ? `${text.slice(0, width - 3)}...` : text;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd()).join('\n');
}

/** The report as text; every value from the code or the item goes through `printable`. */
export function renderReport(report: DriftReport): string {
  const subject = `${report.address} (${report.kind}) vs ${report.resourceType} ${report.resourceName ?? report.resourceId}`;
  const lines: string[] = [];
  if (!report.drifted) lines.push(`${subject}: no drift`);
  else {
    const security = report.differences.filter((d) => d.class === 'security').length;
    const weaken = report.differences.filter((d) => d.weakens).length;
    lines.push(
      `${subject}: ${report.differences.length} difference${report.differences.length === 1 ? '' : 's'} (${security} security, ${weaken} weakening)`,
      '',
    );
    const rows = [['CLASS', 'CATEGORY', 'WEAKENS', 'PATH', 'DECLARED', 'LIVE']];
    for (const d of report.differences) {
      // As written in the code and recorded by Config (`Suspended`), not as compared (`Disabled`).
      const { declared, live } = d.recorded ?? d;
      rows.push([d.class, d.category ?? '-', d.weakens ? 'yes' : 'no', d.path, cell(declared, live, 40), cell(live, declared, 40)]);
    }
    const [header, ...body] = table(rows).split('\n');
    lines.push(header ?? '');
    body.forEach((row, i) => lines.push(row, `      why: ${report.differences[i]?.why ?? ''}`));
  }
  if (report.unknown.length > 0) lines.push('', `not compared, unresolved in the code: ${report.unknown.join('; ')}`);
  if (report.notRecorded.length > 0) lines.push('', `not compared, not recorded by Config: ${report.notRecorded.join(', ')}`);
  return `${lines.map(printable).join('\n')}\n`;
}
