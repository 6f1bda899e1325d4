/**
 * The pull request a reviewer reads: what was found, what changed and why it is safe to merge
 * (the evidence), the diff, and how to roll back. Markdown, bounded in size. Every value that comes
 * from a finding, a repository, a validator or a model goes through `untrustedInline`; the rest is
 * cloudmend's own text. Untrusted values stand in lists, not tables: a `|` splits a GFM table cell
 * even inside a code span.
 */
import { resourceOf } from './summary.js';
import type { Finding } from '../findings/finding.js';
import type { Target } from '../iac/locate.js';
import type { AppTarget, Patch } from './types.js';
import { untrustedInline as text } from './untrusted-markdown.js';

const MAX_DIFF_CHARS = 40_000;

/** A fence for a fenced code block that no backtick run in `content` can close. */
function fence(content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

function short(fingerprint: string): string {
  return fingerprint.slice(0, 12);
}

/**
 * `[cloudmend] S3.8: <finding title> (<address>)`, each part a code span cut to fit, so the title
 * stays within GitHub's 256 characters without cutting a span open. With `remaining` (what the
 * skill still reports and cannot fix), `[cloudmend] partial S3.8: ...`: merging it does not close the finding.
 * A fix that replaces or interrupts the resource says so first: `[cloudmend] replaces RDS.27: ...`, `[cloudmend] downtime RDS.11: ...`.
 */
export function pullRequestTitle(
  finding: Finding,
  target: Pick<Target, 'address'>,
  scope: {
    readonly resources?: number | undefined;
    readonly controls?: readonly string[] | undefined;
    readonly remaining?: readonly string[] | undefined;
    readonly disruption?: 'replacement' | 'downtime' | undefined;
  } = {},
): string {
  const { resources, controls, remaining, disruption } = scope;
  const where = resources === undefined ? text(target.address, 70) : `${resources} resources`;
  const what = controls && controls.length > 1 ? controls.join(' + ') : (finding.controlId ?? finding.source);
  const label = disruption === 'replacement' ? 'replaces ' : disruption === 'downtime' ? 'downtime ' : '';
  const partial = `${label}${remaining?.length ? 'partial ' : ''}`;
  return `[cloudmend] ${partial}${text(what, 40)}: ${text(finding.title, 120 - partial.length)} (${where})`;
}

const MAX_REMAINING_SHOWN = 5;

/** The body's first line for a partial fix: that it is partial, and what remains for a person (the first few; the evidence lists all). */
function partialLine(control: string | undefined, remaining: readonly string[]): string {
  const shown = remaining.slice(0, MAX_REMAINING_SHOWN).map((r) => text(r, 300));
  const more = remaining.length > MAX_REMAINING_SHOWN ? ` and ${remaining.length - MAX_REMAINING_SHOWN} more (see Evidence)` : '';
  const what = `${remaining.length} violation(s) remain after merging, which only a person can decide`;
  return `⚠️ **Partial fix** for ${control ?? 'this finding'}: ${what}: ${shown.join(' ')}${more}`;
}

/** The commit message: the title, then the patch's notes, one per line (the SCM adapter adds the owner's trailer). */
export function pullRequestCommitMessage(title: string, patch: Pick<Patch, 'notes'>): string {
  return [title, ...(patch.notes.length > 0 ? ['', ...patch.notes.map((note) => `- ${text(note)}`)] : [])].join('\n');
}

/** One finding of a pull request that fixes several. */
export interface PullRequestMember {
  readonly fingerprint: string;
  readonly resource: string;
  readonly address: string;
  /** Set when the pull request answers several controls. */
  readonly control?: string | undefined;
}

/** What else the located block is: one of several instances, a module given its values at a call site, a variable file. */
function codeScope(target: Target): string[] {
  return [
    ...(target.instance !== undefined
      ? [
          `- Instance: ${text(target.instance, 80)} of ${target.instances ?? 'several'}: the change edits the block every instance shares, so it applies to all of them`,
        ]
      : []),
    ...(target.caller
      ? [`- Module call: ${text(target.caller.address)} in ${text(target.caller.file)} sets the values the module was found with`]
      : []),
    ...(target.varFile ? [`- Variable file: ${text(target.varFile)} (the values the resource was found with)`] : []),
  ];
}

/** Where a CDK fix is: the constructs it changes, found by synthesizing the app. */
function appScope(patch: Patch): string[] {
  return (patch.cdk?.constructs ?? []).map(
    (c) =>
      `- Construct: ${text(c.path)} at ${text(c.file)}:${c.line} (stack ${text(c.stack, 120)}, resource ${text(c.logicalId, 120)}), found by synthesizing the app`,
  );
}

/** What a replacement's rollback says when its skill gives no text of its own (a replacement only the guardrail's tables saw). */
const REPLACEMENT_ROLLBACK =
  'Take a snapshot or backup of the resource before deploying: reverting this pull request would replace it once more, with a new, empty one. To roll back, restore from that snapshot or backup.';

/**
 * How the change rolls back, from what is known of its kind: a replacement or an interruption (its
 * skill's `meta.risk`, with the skill's `meta.rollback`, or a replacement the guardrail saw) starts
 * from a snapshot; a codify patch changes nothing live; a skill's in-place fix reverts; a model's
 * patch of unknown kind says so, never that reverting restores.
 */
function rollbackLines(patch: Patch): string[] {
  if (patch.disruption) {
    return [
      patch.disruption.kind === 'replacement'
        ? '**This change replaces a resource: reverting this pull request does not bring back what was destroyed.**'
        : '**This change interrupts a resource: plan a window, and take a backup first.**',
      '',
      text(patch.disruption.rollback || REPLACEMENT_ROLLBACK),
    ];
  }
  if (patch.drift) {
    return [
      'This pull request writes into the code what is already live: deploying it changes nothing in your account. Reverting it puts the former values back into the code, and the next deploy applies them to the resource ("To revert instead" above).',
    ];
  }
  if (patch.skill !== undefined) {
    return [
      'cloudmend changed nothing in your account. This fix changes the resource in place: if it causes trouble after it is deployed, revert this pull request and deploy again; the previous configuration comes back with it.',
    ];
  }
  return [
    '**The rollback of this change is not known.** A model wrote it, and nothing cloudmend knows says whether deploying it changes the resource in place or destroys and re-creates it: read the plan (`terraform plan`, a CloudFormation change set) for replacements, and take a snapshot or backup of anything that holds data before deploying. Do not count on reverting this pull request to bring the previous state back.',
  ];
}

export function pullRequestBody(input: {
  finding: Finding;
  target: Target | AppTarget;
  patch: Patch;
  approvedBy?: string | undefined;
  /** A work item of several findings: every one the pull request fixes (`control` when they differ). */
  members?: readonly PullRequestMember[] | undefined;
  /** What the fix leaves for a person (the verification's `remaining`): the pull request says it is partial, first. */
  remaining?: readonly string[] | undefined;
}): string {
  const { finding, target, patch } = input;
  const diff =
    patch.diff.length > MAX_DIFF_CHARS ? `${patch.diff.slice(0, MAX_DIFF_CHARS)}\n… (diff truncated; see the commit)\n` : patch.diff;
  const f = fence(diff);
  const drift = patch.drift;
  const resource = text(resourceOf(finding));
  const control = finding.controlId === undefined ? undefined : text(finding.controlId, 60);
  const model = patch.model ? `model ${text(patch.model, 120)}` : 'cloudmend';
  const author = patch.skill ? `skill \`${patch.skill}\`` : model;
  const remaining = input.remaining ?? [];
  const lines = [
    ...(remaining.length > 0 ? [partialLine(control, remaining), ''] : []),
    ...(patch.disruption
      ? [
          patch.disruption.kind === 'replacement'
            ? `⚠️ **This change replaces ${resource}**: deploying it destroys the resource and creates it again. Read "Before merging" and "Rollback" first.`
            : `⚠️ **This change interrupts ${resource}** while it applies (downtime). Read "Before merging" and "Rollback" first.`,
          '',
        ]
      : []),
    ...(drift?.weakens
      ? [
          `⚠️ **This pull request writes a security weakening into the code**: the live resource was changed outside the code to something less secure, and an approver chose to keep it. Review the differences below before merging.`,
          '',
        ]
      : []),
    drift
      ? `cloudmend found drift on ${resource} and proposes to write the live values into the code (codify).`
      : `cloudmend proposes this change for ${control ?? 'a finding'}: ${text(finding.title)}.`,
    '',
    '## Finding',
    '',
    `- Control: ${control ?? '-'}`,
    `- Severity: ${finding.severity.label}`,
    `- Resource: ${resource}`,
    `- Account / region: ${text(finding.account, 40)} / ${text(finding.region, 40)}`,
    `- Source: ${finding.source} (event ${text(finding.raw.eventId, 200)})`,
    ...(target.kind === 'cdk'
      ? [`- Code: the CDK app run by ${text(target.file)}`, ...appScope(patch)]
      : [`- Code: ${text(target.address)} in ${text(target.file)} (located by ${target.strategy})`, ...codeScope(target)]),
    '',
    ...(input.members
      ? [
          `## Resources (${input.members.length})`,
          '',
          input.members.some((m) => m.control !== undefined)
            ? 'One pull request for every finding of this work item:'
            : 'One pull request for every finding of this control in this repository from the same batch:',
          '',
          ...input.members.map(
            (m) =>
              `- ${m.control === undefined ? '' : `${text(m.control, 40)}: `}${text(m.resource)}: ${text(m.address)} (finding ${short(m.fingerprint)})`,
          ),
          '',
        ]
      : []),
    '## Change',
    '',
    ...(drift
      ? [
          'Differences between the code and the live resource:',
          '',
          ...drift.differences.map((d) => `- ${text(d)}`),
          '',
          `To revert instead: ${text(drift.revert)}.`,
          '',
        ]
      : []),
    ...patch.notes.map((n) => `- ${text(n)}`),
    ...(patch.risk ? ['', `**Before merging:** ${text(patch.risk)}`] : []),
    '',
    '## Evidence',
    '',
    `Written by ${author} from \`${patch.base}\` at ${patch.commit.slice(0, 12)}.`,
    '',
    ...patch.validation.checks.map(
      (c) =>
        `- ${c.status === 'passed' ? '✅' : c.status === 'failed' ? '❌' : c.status === 'partial' ? '⚠️' : '➖'} ${c.name}: ${text(c.detail)}`,
    ),
    ...(input.approvedBy ? ['', `Approved by ${text(input.approvedBy, 120)}.`] : []),
    '',
    '## Diff',
    '',
    `${f}diff`,
    diff.trimEnd(),
    f,
    '',
    '## Rollback',
    '',
    ...rollbackLines(patch),
    '',
    `<sub>cloudmend finding ${finding.fingerprint}</sub>`,
  ];
  return lines.join('\n');
}
