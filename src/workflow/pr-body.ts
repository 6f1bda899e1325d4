/**
 * The pull request a reviewer reads: what was found, what changed and why it is safe to merge
 * (the evidence), the diff, and how to roll back. Markdown, bounded in size.
 */
import type { Finding } from '../findings/finding.js';
import { printableLine } from '../printable.js';
import type { Target } from '../iac/locate.js';
import type { Patch } from './types.js';

const MAX_DIFF_CHARS = 40_000;

// Finding content is untrusted: keep it out of markdown structure and code fences.
function cell(text: string): string {
  return printableLine(text.replace(/[\r\n]+/g, ' ')).replace(/\|/g, '\\|').replace(/`/g, "'");
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

export function pullRequestTitle(finding: Finding, target: Target, resources?: number): string {
  const where = resources === undefined ? target.address : `${resources} resources`;
  return `[cloudmend] ${finding.controlId ?? finding.source}: ${cell(finding.title)} (${where})`.slice(0, 250);
}

export function pullRequestBody(input: {
  finding: Finding;
  target: Target;
  patch: Patch;
  approvedBy?: string | undefined;
  /** A batch: every resource the pull request fixes. */
  members?: readonly { readonly fingerprint: string; readonly resource: string; readonly address: string }[] | undefined;
}): string {
  const { finding, target, patch } = input;
  const diff = patch.diff.length > MAX_DIFF_CHARS ? `${patch.diff.slice(0, MAX_DIFF_CHARS)}\n… (diff truncated; see the commit)\n` : patch.diff;
  const f = fence(diff);
  const drift = patch.drift;
  const lines = [
    ...(drift?.weakens
      ? [`⚠️ **This pull request writes a security weakening into the code**: the live resource was changed outside the code to something less secure, and an approver chose to keep it. Review the differences below before merging.`, '']
      : []),
    drift
      ? `cloudmend found drift on **${cell(`${finding.resource.type} ${finding.resource.name ?? finding.resource.id}`)}** and proposes to write the live values into the code (codify).`
      : `cloudmend proposes this change for **${finding.controlId ?? 'a finding'}**: ${cell(finding.title)}.`,
    '',
    '## Finding',
    '',
    '| | |',
    '|---|---|',
    `| Control | ${finding.controlId ?? '-'} |`,
    `| Severity | ${finding.severity.label} |`,
    `| Resource | ${cell(`${finding.resource.type} ${finding.resource.name ?? finding.resource.id}`)} |`,
    `| Account / region | ${finding.account} / ${finding.region} |`,
    `| Source | ${finding.source} (event ${cell(finding.raw.eventId)}) |`,
    `| Code | \`${cell(target.file)}\` ${cell(target.address)} (located by ${target.strategy}) |`,
    '',
    ...(input.members
      ? [`## Resources (${input.members.length})`, '', 'One pull request for every finding of this control in this repository from the same batch:', '', '| Resource | Code | Finding |', '|---|---|---|', ...input.members.map((m) => `| ${cell(m.resource)} | ${cell(m.address)} | ${m.fingerprint.slice(0, 12)} |`), '']
      : []),
    '## Change',
    '',
    ...(drift ? ['Differences between the code and the live resource:', '', ...drift.differences.map((d) => `- ${cell(d)}`), '', `To revert instead: ${cell(drift.revert)}.`, ''] : []),
    ...patch.notes.map((n) => `- ${cell(n)}`),
    ...(patch.risk ? ['', `**Before merging:** ${cell(patch.risk)}`] : []),
    '',
    '## Evidence',
    '',
    `Written by ${patch.skill ? `skill \`${patch.skill}\`` : patch.model ? `model \`${cell(patch.model)}\`` : 'cloudmend'} from \`${patch.base}\` at ${patch.commit.slice(0, 12)}.`,
    '',
    ...patch.validation.checks.map((c) => `- ${c.status === 'passed' ? '✅' : c.status === 'failed' ? '❌' : '➖'} ${c.name}: ${cell(c.detail)}`),
    ...(input.approvedBy ? ['', `Approved by ${cell(input.approvedBy)}.`] : []),
    '',
    '## Diff',
    '',
    `${f}diff`,
    diff.trimEnd(),
    f,
    '',
    '## Rollback',
    '',
    'cloudmend changed nothing in your account. If this change causes trouble after it is deployed, revert this pull request and deploy again; the previous configuration comes back with it.',
    '',
    `<sub>cloudmend finding ${finding.fingerprint}</sub>`,
  ];
  return lines.join('\n');
}
