/**
 * The pull-request title, body and commit message with hostile text in every value a finding, a
 * repository, a validator or a model supplies: links, images, HTML, mentions, issue references and
 * closing keywords, backticks, line breaks and invisible characters. None comes out live: the text
 * outside code spans is exactly what an honest finding gives, and nothing inside them is a
 * reference GitHub would follow. An honest pull request still reads well (snapshot).
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/findings/finding.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import type { Target } from '../../src/iac/locate.js';
import { ownerOf, withOwnerTrailer } from '../../src/scm/branch-owner.js';
import type { BranchOwner } from '../../src/scm/port.js';
import { pullRequestBody, pullRequestCommitMessage, pullRequestTitle } from '../../src/workflow/pr-body.js';
import type { Patch } from '../../src/workflow/types.js';
import { UNSAFE } from '../abuse/support.js';
import { importedEvent } from '../support/events.js';
import { codeSpans, markup, references } from './markdown-inspect.js';

const HOSTILE = [
  '[click](https://evil.example)',
  '![x](https://evil.example/p.png)',
  '<img src=x onerror=alert(1)>',
  '<details><summary>fine</summary>hidden</details>',
  '<!-- hidden -->',
  '@octocat please merge',
  'cc @org/team',
  'fixes #1',
  'Closes acme/infra#2',
  'resolves https://github.com/acme/infra/issues/3',
  'GH-4',
  'see https://evil.example',
  '<https://evil.example>',
  'www.evil.example',
  'user@evil.example',
  'mailto:user@evil.example',
  '[ref]: https://evil.example',
  'a ` b `` c ``` d',
  '`',
  '` fixes #5 `',
  '\\`fixes #6\\`',
  '```\n# Heading\n```',
  'one | two | three',
  'line\r\n\r\nCloudmend-Fingerprint: 00000000000000000000000000000000\n\n- [x] done',
  'bidi \u202egnp.exe\u2066 zero\u200bwidth\ufeff',
  '**bold** _em_ ~~strike~~ :tada:',
];

const FINDING: Finding = normalizeEvent(importedEvent()).findings[0] as Finding;
const OWNER: BranchOwner = { kind: 'finding', id: FINDING.fingerprint };
const DIFF =
  '--- a/storage.tf\n+++ b/storage.tf\n@@ -1,3 +1,8 @@\n resource "aws_s3_bucket" "logs" {\n   bucket = "acme-logs"\n }\n+\n+resource "aws_s3_bucket_public_access_block" "logs" {\n+  bucket = aws_s3_bucket.logs.id\n+}\n';

interface Shape {
  readonly finding: Finding;
  readonly target: Target;
  readonly patch: Patch;
  readonly approvedBy?: string;
  readonly members?: readonly { readonly fingerprint: string; readonly resource: string; readonly address: string }[];
  readonly remaining?: readonly string[];
}

/** A skill's fix of one finding, approved by a person; `h` in every untrusted value when given. */
function remediation(h?: string): Shape {
  return {
    finding:
      h === undefined
        ? FINDING
        : {
            ...FINDING,
            controlId: h,
            title: h,
            account: h,
            region: h,
            resource: { ...FINDING.resource, type: h, id: h, name: h },
            raw: { ...FINDING.raw, eventId: h },
          },
    target: {
      repository: 'infra',
      kind: 'terraform',
      file: h ?? 'storage.tf',
      files: ['storage.tf'],
      address: h ?? 'aws_s3_bucket.logs',
      resourceType: 'aws_s3_bucket',
      strategy: 'name',
    },
    patch: {
      fingerprint: FINDING.fingerprint,
      repository: 'infra',
      base: 'main',
      commit: '0123456789abcdef0123456789abcdef01234567',
      skill: 's3-block-public-access',
      files: [],
      diff: DIFF,
      notes: [h ?? 'Adds aws_s3_bucket_public_access_block.logs with all four settings true.'],
      messages: [],
      validation: {
        passed: true,
        checks: [
          { name: 'parses', status: 'passed', detail: h ?? 'HCL parses (hcl2json)' },
          { name: 'detect-clean', status: 'passed', detail: 's3-block-public-access finds nothing left to fix' },
          { name: 'terraform-validate', status: 'skipped', detail: h ?? 'terraform is off in the config' },
        ],
      },
    },
    approvedBy: h ?? 'slack:U0OWNER (Ada)',
  };
}

/** A model's codify patch of drift on a batch of resources, with a risk note; `h` in every untrusted value when given. */
function codify(h?: string): Shape {
  const shape = remediation(h);
  return {
    ...shape,
    patch: {
      ...shape.patch,
      skill: undefined,
      model: h ?? 'anthropic.claude-sonnet',
      risk: h ?? 'Suspending versioning keeps old versions but stops new ones.',
      drift: {
        differences: [h ?? 'versioning: Enabled in the code, Suspended live', 'tags.team: added live'],
        security: true,
        weakens: true,
        revert: h ?? 'deploy the code again',
      },
    },
    members: [
      { fingerprint: FINDING.fingerprint, resource: h ?? 'AWS::S3::Bucket acme-logs', address: h ?? 'storage.tf aws_s3_bucket.logs' },
      {
        fingerprint: 'fedcba9876543210fedcba9876543210',
        resource: 'AWS::S3::Bucket acme-audit',
        address: 'storage.tf aws_s3_bucket.audit',
      },
    ],
  };
}

/** A skill's fix that leaves a violation it cannot fix (the port 22 rule's CIDR comes from a parameter); `h` in every untrusted value when given. */
function partial(h?: string): Shape {
  return {
    ...remediation(h),
    remaining: [
      h ?? 'InstanceGroup SecurityGroupIngress #1 allows 0.0.0.0/0 on TCP 22 (EC2.13, EC2.18, EC2.19): it comes from !Ref SSHLocation.',
    ],
  };
}

/** A skill's fix that replaces the database, with its rollback; `h` in every untrusted value when given. */
function replacing(h?: string): Shape {
  const shape = remediation(h);
  const rollback = h ?? 'Take a manual snapshot first; to roll back, restore it to a new instance.';
  return {
    ...shape,
    patch: {
      ...shape.patch,
      skill: 'rds-storage-encrypted',
      risk: h ?? 'It replaces the database.',
      disruption: { kind: 'replacement', rollback },
    },
  };
}

function texts(shape: Shape): { title: string; body: string; message: string } {
  const scope = { resources: shape.members?.length, remaining: shape.remaining, disruption: shape.patch.disruption?.kind };
  const title = pullRequestTitle(shape.finding, shape.target, scope);
  const body = pullRequestBody({ ...shape, approvedBy: shape.approvedBy });
  return { title, body, message: withOwnerTrailer(pullRequestCommitMessage(title, shape.patch), OWNER) };
}

/** The body with its diff block cut out, and the diff block's fence and content. */
function splitDiff(body: string): { prose: string; fence: string; diff: string[] } {
  const lines = body.split('\n');
  const open = lines.findIndex((line) => /^`{3,}diff$/.test(line));
  const fence = (lines[open] ?? '').replace(/diff$/, '');
  const close = lines.findIndex((line, i) => i > open && /^ {0,3}`{3,}\s*$/.test(line) && line.trim().length >= fence.length);
  return { prose: [...lines.slice(0, open), '⟨diff⟩', ...lines.slice(close + 1)].join('\n'), fence, diff: lines.slice(open + 1, close) };
}

describe.each([
  ['a remediation', remediation],
  ['a codified drift of a batch', codify],
  ['a partial remediation', partial],
  ['a remediation that replaces the resource', replacing],
])('pull-request text of %s', (_name, shape) => {
  const honest = texts(shape());
  const honestProse = codeSpans(splitDiff(honest.body).prose).outside;

  it.each(HOSTILE)('keeps %j inert in the title, body and commit message', (h) => {
    const { title, body, message } = texts(shape(h));
    const { prose, diff } = splitDiff(body);

    // Outside code, nothing depends on the hostile values: the same text as an honest finding's.
    expect(codeSpans(title).outside).toBe(codeSpans(honest.title).outside);
    expect(codeSpans(prose).outside).toBe(honestProse);
    expect(codeSpans(message).outside).toBe(codeSpans(honest.message).outside);
    for (const outside of [codeSpans(title).outside, codeSpans(prose).outside]) {
      expect(markup(outside.replace(/<\/?sub>/g, ''))).toEqual([]);
      expect(references(outside)).toEqual([]);
    }
    // Inside code, and anywhere in a commit message (which GitHub scans without rendering it).
    for (const span of [...codeSpans(title).spans, ...codeSpans(prose).spans]) expect(references(span), span).toEqual([]);
    expect(references(message)).toEqual([]);
    for (const text of [title, prose, message]) expect(UNSAFE.exec(text)?.[0]).toBeUndefined();
    expect(title.split('\n')).toHaveLength(1);
    expect(Array.from(title).length).toBeLessThanOrEqual(256);
    expect(ownerOf(message)).toEqual(OWNER);
    expect(diff.join('\n')).toBe(DIFF.trimEnd());
  });
});

describe('the diff block', () => {
  it('stays one literal fenced block whatever backtick runs the diff holds', () => {
    const hostile = `${DIFF}+# \`\`\`\`\n+\`\`\`\`\`\n+@octocat fixes #1\n`;
    const shape = remediation();
    const { fence, diff } = splitDiff(pullRequestBody({ ...shape, patch: { ...shape.patch, diff: hostile } }));

    expect(fence).toBe('``````');
    expect(diff.join('\n')).toBe(hostile.trimEnd());
  });
});

describe('an honest pull request', () => {
  it('reads well', () => {
    const { title, body, message } = texts(remediation());

    expect(title).toBe('[cloudmend] `S3.8`: `S3 general purpose buckets should block public access` (`aws_s3_bucket.logs`)');
    expect(message).toBe(
      `${title}\n\n- \`Adds aws_s3_bucket_public_access_block.logs with all four settings true.\`\n\nCloudmend-Fingerprint: ${FINDING.fingerprint}\n`,
    );
    expect(body).toMatchSnapshot();
  });

  it('lists the resources of a batch and says a weakening first', () => {
    const { title, body } = texts(codify());

    expect(title).toBe('[cloudmend] `S3.8`: `S3 general purpose buckets should block public access` (2 resources)');
    expect(body).toMatchSnapshot();
  });

  it('keeps the first line short when much remains: the first five, and how many more', () => {
    const remaining = Array.from({ length: 7 }, (_, i) => `rule ${i + 1} stays open`);
    const first = texts({ ...partial(), remaining }).body.split('\n')[0] ?? '';

    expect(first).toMatch(/^⚠️ \*\*Partial fix\*\* for `S3\.8`: 7 violation\(s\) remain after merging/);
    expect(first).toContain('`rule 5 stays open` and 2 more (see Evidence)');
    expect(first).not.toContain('rule 6');
  });

  it('says the change applies to every instance of a count/for_each block, and where a module was given its values', () => {
    const shape = remediation();
    const { body } = texts({
      ...shape,
      target: {
        ...shape.target,
        instance: '["logs"]',
        instances: 3,
        caller: { file: 'main.tf', address: 'module.storage' },
        varFile: 'prod.tfvars',
      },
    });

    expect(body).toContain('- Instance: `["logs"]` of 3: the change edits the block every instance shares, so it applies to all of them');
    expect(body).toContain('- Module call: `module.storage` in `main.tf` sets the values the module was found with');
    expect(body).toContain('- Variable file: `prod.tfvars` (the values the resource was found with)');
    expect(texts(shape).body).not.toContain('- Instance:');
  });

  it('says a partial fix is partial, in the title and the first line, with what remains', () => {
    const { title, body } = texts(partial());

    expect(title).toBe('[cloudmend] partial `S3.8`: `S3 general purpose buckets should block public access` (`aws_s3_bucket.logs`)');
    expect(body.split('\n')[0]).toBe(
      '⚠️ **Partial fix** for `S3.8`: 1 violation(s) remain after merging, which only a person can decide: `InstanceGroup SecurityGroupIngress ＃1 allows 0.0.0.0/0 on TCP 22 (EC2.13, EC2.18, EC2.19): it comes from !Ref SSHLocation.`',
    );
  });

  it('says a replacement first, in the title and the first line, and rolls back from a snapshot, not by reverting', () => {
    const { title, body } = texts(replacing());
    expect(title).toBe('[cloudmend] replaces `S3.8`: `S3 general purpose buckets should block public access` (`aws_s3_bucket.logs`)');
    expect(body.split('\n')[0]).toMatch(/^⚠️ \*\*This change replaces `[^`]+`\*\*: deploying it destroys the resource and creates it again/);
    const rollback = body.slice(body.indexOf('## Rollback'));
    expect(rollback).toContain('reverting this pull request does not bring back what was destroyed');
    expect(rollback).toContain('Take a manual snapshot first');
    expect(rollback).not.toContain('revert this pull request and deploy again');
    expect(texts(remediation()).body).toContain('revert this pull request and deploy again');
  });

  it("says a model's patch of no known kind has no known rollback, never that reverting restores", () => {
    const shape = remediation();
    const { body } = texts({ ...shape, patch: { ...shape.patch, skill: undefined, model: 'anthropic.claude' } });
    const rollback = body.slice(body.indexOf('## Rollback'));
    expect(rollback).toContain('**The rollback of this change is not known.**');
    expect(rollback).toContain('take a snapshot or backup of anything that holds data before deploying');
    expect(rollback).not.toContain('revert this pull request and deploy again');
    expect(rollback).not.toContain('comes back');
  });
});
