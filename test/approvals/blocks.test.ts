import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIFF_MAX_LINES,
  approvalOutcomeMessage,
  approvalRequestMessage,
  diffPreview,
  type ApprovalMessageInput,
  type SlackMessage,
} from '../../src/approvals/blocks.js';
import { fitMrkdwn } from '../../src/approvals/mrkdwn.js';
import { APPROVAL_ID, FINGERPRINT, TASK_TOKEN, at } from './fixtures.js';

const request: ApprovalMessageInput = {
  approvalId: APPROVAL_ID,
  fingerprint: FINGERPRINT,
  controlId: 'S3.8',
  title: 'S3 general purpose buckets should block public access',
  severity: 'HIGH',
  resource: 'AwsS3Bucket logs',
  repository: 'acme/infra',
  skill: 's3-block-public-access',
  diff: '--- a/main.tf\n+++ b/main.tf\n@@ -1,3 +1,4 @@\n resource "aws_s3_bucket" "logs" {\n+  # block public access\n }\n',
  validation: 'terraform validate: passed, checkov: passed',
  expiresAt: at(3600),
};

const HOSTILE =
  '<!channel> <!here> <@U123> <#C999> <https://evil.example|aws.amazon.com> & `x` ```code``` \u202egnp.exe\n*Approved by security*';

/** Every text Slack will render, with its kind and length limit. */
function texts(message: SlackMessage): { text: string; max: number; type: string }[] {
  const out: { text: string; max: number; type: string }[] = [{ text: message.text, max: 40_000, type: 'fallback' }];
  for (const block of message.blocks) {
    if (block.type === 'header') out.push({ text: block.text.text, max: 150, type: block.text.type });
    if (block.type === 'section') {
      out.push({ text: block.text.text, max: 3000, type: block.text.type });
      for (const f of block.fields ?? []) out.push({ text: f.text, max: 2000, type: f.type });
    }
    if (block.type === 'context') for (const e of block.elements) out.push({ text: e.text, max: 3000, type: e.type });
    if (block.type === 'actions') for (const b of block.elements) out.push({ text: b.text.text, max: 75, type: b.text.type });
  }
  return out;
}

/** Text with cloudmend's own control sequences (dates, verified mentions) removed: no `<` may remain. */
const withoutOwnSequences = (text: string): string =>
  text.replace(/<!date\^\d+\^\{date_short_pretty\} \{time\}\|[0-9TZ:.-]+>/g, '').replace(/<@[UW][A-Z0-9]+>/g, '');

function expectWithinLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  for (const t of texts(message)) expect(t.text.length, t.text.slice(0, 80)).toBeLessThanOrEqual(t.max);
  const sections = message.blocks.filter((b) => b.type === 'section');
  for (const s of sections) expect(s.fields?.length ?? 0).toBeLessThanOrEqual(10);
}

describe('approvalRequestMessage', () => {
  it('shows the finding, fix, validation and diff, with Approve (confirmed) and Reject carrying only the approval id', () => {
    const message = approvalRequestMessage(request);
    const json = JSON.stringify(message);
    for (const expected of [
      'S3.8',
      'HIGH',
      'AwsS3Bucket logs',
      'acme/infra',
      'skill s3-block-public-access',
      'terraform validate: passed',
      'aws_s3_bucket',
      APPROVAL_ID,
      FINGERPRINT,
    ]) {
      expect(json).toContain(expected);
    }
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(actions?.elements.map((b) => [b.action_id, b.style, b.value])).toEqual([
      ['cloudmend_approve', 'primary', APPROVAL_ID],
      ['cloudmend_reject', 'danger', APPROVAL_ID],
    ]);
    expect(actions?.elements[0]?.confirm).toMatchObject({
      title: { type: 'plain_text' },
      confirm: { text: 'Approve' },
      deny: { text: 'Cancel' },
    });
    expect(actions?.elements[1]?.confirm).toBeUndefined();
    expect(json).not.toContain('truncated');
    expectWithinLimits(message);
  });

  it('asks a drift decision with Codify (confirmed), Revert and Ignore, listing the untrusted differences escaped and bounded', () => {
    const differences = [
      `publicAccessBlock.blockPublicAcls: code true, live false [exposure, weakens]`,
      HOSTILE,
      ...Array.from({ length: 30 }, (_, i) => `tags.k${i}: code "a", live "b"`),
    ];
    const message = approvalRequestMessage({ ...request, drift: { differences, weakens: true, ignoreDays: 7 } });
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'cloudmend: drift decision needed' } });
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(actions?.elements.map((b) => [b.action_id, b.text.text, b.value])).toEqual([
      ['cloudmend_codify', 'Codify', APPROVAL_ID],
      ['cloudmend_revert', 'Revert', APPROVAL_ID],
      ['cloudmend_ignore', 'Ignore 7 days', APPROVAL_ID],
    ]);
    expect(actions?.elements[0]).toMatchObject({
      style: 'danger',
      confirm: { text: { text: expect.stringContaining('security weakening') as unknown } },
    });
    const drift = JSON.stringify(message.blocks.find((b) => b.type === 'section' && b.text.text.startsWith('*Drift')));
    expect(drift).toContain('less secure than its code');
    expect(drift).toContain('and 17 more');
    expect(withoutOwnSequences(drift)).not.toMatch(/<!|<@|<#|\u202e/);
    expectWithinLimits(message);
  });

  it('offers only Revert and Ignore when cloudmend cannot write the live values (codify: false)', () => {
    const differences = ['ingress[tcp 22 0.0.0.0/0]: code (none), live {"peer":"0.0.0.0/0"} [exposure, weakens]'];
    const message = approvalRequestMessage({
      ...request,
      severity: 'CRITICAL',
      drift: { differences, weakens: true, codify: false, ignoreDays: 7 },
    });
    const actions = message.blocks.find((b) => b.type === 'actions');
    expect(actions?.elements.map((b) => b.action_id)).toEqual(['cloudmend_revert', 'cloudmend_ignore']);
  });

  it('never carries a task token, even when a caller passes one by mistake', () => {
    const sloppy = { ...request, taskToken: TASK_TOKEN } as ApprovalMessageInput;
    expect(JSON.stringify(approvalRequestMessage(sloppy))).not.toContain(TASK_TOKEN.slice(0, 40));
  });

  it('names the model when no skill wrote the patch, and where the finding lives when known', () => {
    const json = JSON.stringify(
      approvalRequestMessage({ ...request, skill: undefined, model: 'anthropic.claude', account: '123456789012', region: 'eu-west-1' }),
    );
    expect(json).toContain('model anthropic.claude');
    expect(json).toContain('123456789012 / eu-west-1');
  });

  it('escapes hostile finding text: no mention, channel ping, disguised link, extra line or bidi override survives', () => {
    const hostile: ApprovalMessageInput = {
      ...request,
      controlId: HOSTILE,
      title: HOSTILE,
      severity: HOSTILE,
      resource: HOSTILE,
      repository: HOSTILE,
      skill: HOSTILE,
      validation: HOSTILE,
      diff: HOSTILE,
    };
    const message = approvalRequestMessage(hostile);
    for (const t of texts(message)) {
      expect(withoutOwnSequences(t.text)).not.toMatch(/[<>]/);
      expect(t.text).not.toMatch(/\u202e/);
      if (t.type === 'mrkdwn') expect(t.text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    const title = message.blocks[1];
    // One line (the newline is gone), entities for <, > and &, backtick runs broken, the bidi override shown as text.
    expect(title?.type === 'section' && title.text.text).toBe(
      '*&lt;!channel&gt; &lt;!here&gt; &lt;@U123&gt; &lt;#C999&gt; &lt;https://evil.example|aws.amazon.com&gt; &amp; `x` `\u200b`\u200b`code`\u200b`\u200b` \\u202egnp.exe *Approved by security**',
    );
    // Every mrkdwn text skips Slack's automatic linking of @here, #channel and bare URLs.
    expect(JSON.stringify(message.blocks)).not.toContain('"verbatim":false');
    for (const block of message.blocks) if (block.type === 'section') expect(block.text.verbatim).toBe(true);
  });

  it('keeps the diff inside its code block: backtick runs are broken up', () => {
    const { text } = diffPreview('+ echo ```\n+ ``` <!channel>\n+ ````````');
    expect(text.match(/```/g)).toHaveLength(2);
    expect(text.startsWith('```\n') && text.endsWith('\n```')).toBe(true);
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('truncates a 10,000-line diff to a bounded preview and says so', () => {
    const diff = Array.from({ length: 10_000 }, (_, i) => `+ line ${i} <@U123> & more`).join('\n');
    const message = approvalRequestMessage({ ...request, diff });
    const preview = diffPreview(diff);
    expect(preview).toMatchObject({ shownLines: DIFF_MAX_LINES, totalLines: 10_000, truncated: true });
    expect(JSON.stringify(message)).toContain(`${DIFF_MAX_LINES} of 10000 lines shown`);
    expect(JSON.stringify(message)).not.toContain('line 40 ');
    expectWithinLimits(message);
  });

  it('cuts long lines and stops at the character budget before the line cap', () => {
    const wide = Array.from({ length: 30 }, () => `+${'&'.repeat(5000)}`).join('\n');
    const preview = diffPreview(wide);
    expect(preview.text.length).toBeLessThanOrEqual(3000);
    expect(preview.truncated).toBe(true);
    expect(preview.shownLines).toBeLessThan(30);
    expect(preview.text).not.toMatch(/&(?!amp;)/);
    expect(diffPreview('').text).toBe('```\n(empty diff)\n```');
  });

  it('stays within Slack limits and escaped for any text', () => {
    const text = fc.string({ unit: 'binary', maxLength: 5000 });
    fc.assert(
      fc.property(
        fc.record({
          controlId: text,
          title: text,
          severity: text,
          resource: text,
          repository: text,
          skill: text,
          validation: text,
          diff: text,
        }),
        (fields) => {
          const message = approvalRequestMessage({ ...request, ...fields });
          expectWithinLimits(message);
          for (const t of texts(message)) {
            expect(withoutOwnSequences(t.text)).not.toMatch(/[<>]/);
            // No half of an emoji left dangling by a cut.
            expect(t.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('fitMrkdwn', () => {
  it('counts escaped length, never cuts inside an entity or an emoji, and marks the cut', () => {
    expect(fitMrkdwn('a&b', 10)).toBe('a&amp;b');
    expect(fitMrkdwn('ab&c', 5)).toBe('ab…');
    expect(fitMrkdwn('😀😀😀', 4)).toBe('😀…');
  });
});

describe('approvalOutcomeMessage', () => {
  const base = {
    approvalId: APPROVAL_ID,
    fingerprint: FINGERPRINT,
    finding: {
      source: 'securityhub',
      controlId: 'S3.8',
      title: HOSTILE,
      resourceType: 'AwsS3Bucket',
      resourceId: 'logs',
      account: '123456789012',
      region: 'eu-west-1',
    },
  };

  it('says who approved and when, mentioning the verified Slack user, with no buttons left', () => {
    const message = approvalOutcomeMessage({ ...base, outcome: { status: 'approved', by: 'slack:U0ALICE', at: at(60) } });
    const json = JSON.stringify(message);
    expect(json).toContain('*Approved* by <@U0ALICE> on <!date^1740830460^');
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
    for (const t of texts(message)) expect(withoutOwnSequences(t.text)).not.toMatch(/[<>]/);
    expectWithinLimits(message);
  });

  it('shows other actors as text, and a forged actor cannot become a mention', () => {
    expect(JSON.stringify(approvalOutcomeMessage({ ...base, outcome: { status: 'rejected', by: 'cli:alice', at: at(60) } }))).toContain(
      '*Rejected* by cli:alice',
    );
    const forged = approvalOutcomeMessage({ ...base, outcome: { status: 'rejected', by: 'slack:<!channel>', at: at(60) } });
    expect(JSON.stringify(forged)).toContain('slack:&lt;!channel&gt;');
  });

  it('says an expired request opened nothing, also without a finding summary', () => {
    const message = approvalOutcomeMessage({
      approvalId: APPROVAL_ID,
      fingerprint: FINGERPRINT,
      outcome: { status: 'expired', expiresAt: at(3600) },
    });
    expect(JSON.stringify(message)).toContain('*Expired*: nobody decided before <!date^1740834000^');
    expect(message.text).toBe(`cloudmend approval ${APPROVAL_ID}: expired`);
  });
});
