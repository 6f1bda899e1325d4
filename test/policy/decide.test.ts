import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { normalizeEvent } from '../../src/findings/normalize.js';
import type { Finding } from '../../src/findings/finding.js';
import { decide, type TriggerResult } from '../../src/policy/decide.js';
import { asffFinding, complianceEvent, customActionEvent, importedEvent, itemChangeEvent, scheduledEvent } from '../support/events.js';

const CONFIG = parseConfig(
  `
version: 1
triggers: { severityFloor: MEDIUM }
repositories:
  - name: tagged
    location: a
    iac: terraform
    owns: { accounts: ["111122223333"], tags: { team: payments } }
  - name: network
    location: b
    iac: cloudformation
    owns: { accounts: ["111122223333"], stacks: [network-prod] }
  - name: catch-all
    location: c
    iac: terraform
    owns: { accounts: ["111122223333"], regions: [us-east-1] }
policy:
  default: pull_request_with_approval
  rules:
    - { name: iam-human, match: { controls: ["IAM.*"] }, tier: recommend }
    - { name: quiet-ec2, match: { controls: ["EC2.2"] }, tier: observe }
    - { name: auto-critical, match: { minSeverity: CRITICAL, sources: [securityhub] }, tier: pull_request }
schedules:
  - { name: cloudmend-drift-scan, task: drift-scan, expression: "rate(1 day)" }
`,
  'test.yaml',
);

const MATCHED: TriggerResult = { matched: true, name: 'test' };

function findingOf(event: Record<string, unknown>): Finding {
  const finding = normalizeEvent(event).findings[0];
  if (!finding) throw new Error('no finding');
  return finding;
}

const hub = (overrides: Record<string, unknown> = {}) => findingOf(importedEvent([asffFinding(overrides)]));

describe('decide', () => {
  it.each<[string, Finding, string, RegExp]>([
    ['archived findings', hub({ RecordState: 'ARCHIVED' }), 'archived', /RecordState ARCHIVED/],
    ['suppressed findings', hub({ Workflow: { Status: 'SUPPRESSED' } }), 'suppressed', /Workflow SUPPRESSED/],
    ['resolved findings', hub({ Workflow: { Status: 'RESOLVED' } }), 'resolved', /Workflow RESOLVED/],
    [
      "cloudmend's own write-back echo",
      hub({ Workflow: { Status: 'NOTIFIED' }, Note: { Text: 'PR', UpdatedBy: 'cloudmend', UpdatedAt: 'x' } }),
      'echo',
      /own write-back/,
    ],
    ['passed checks', hub({ Compliance: { Status: 'PASSED', SecurityControlId: 'S3.8' } }), 'passed', /passed/],
    [
      'checks that do not apply',
      hub({ Compliance: { Status: 'NOT_AVAILABLE', SecurityControlId: 'S3.8' } }),
      'not_applicable',
      /does not apply/,
    ],
    [
      'checks that could not run',
      hub({ Compliance: { Status: 'WARNING', SecurityControlId: 'S3.8', StatusReasons: [{ ReasonCode: 'CONFIG_ACCESS_DENIED' }] } }),
      'not_evaluated',
      /could not be evaluated \(CONFIG_ACCESS_DENIED\)/,
    ],
    ['compliant Config evaluations', findingOf(complianceEvent({ complianceType: 'COMPLIANT' })), 'passed', /Config COMPLIANT/],
    [
      'deleted resources',
      findingOf(itemChangeEvent({ configurationItemStatus: 'ResourceDeleted' })),
      'resource_deleted',
      /ResourceDeleted/,
    ],
    [
      'findings without a control',
      hub({ Compliance: { Status: 'FAILED' }, GeneratorId: 'custom/thing' }),
      'no_control',
      /names no Security Hub control/,
    ],
    [
      'Config rules that back several controls',
      findingOf(complianceEvent({ rule: 'iam-password-policy' })),
      'no_control',
      /several controls \(IAM\.7, IAM\.10/,
    ],
    [
      "evaluations of Security Hub's own Config rules, which arrive as its findings",
      findingOf(complianceEvent()),
      'security_hub_rule',
      /securityhub-s3-bucket-server-side-encryption-enabled-5f2c9a1b is Security Hub's own: .* finding of control S3\.4/,
    ],
    [
      'the same in a conformance pack',
      findingOf(complianceEvent({ rule: 'securityhub-s3-bucket-server-side-encryption-enabled-5f2c9a1b-conformance-pack-abc123' })),
      'security_hub_rule',
      /Security Hub's own/,
    ],
    [
      "a customer's own Config rule",
      findingOf(complianceEvent({ rule: 'required-tags' })),
      'no_control',
      /not behind a Security Hub control/,
    ],
    ['severities below the floor', hub({ Severity: { Label: 'LOW' } }), 'below_severity_floor', /severity LOW is below the floor MEDIUM/],
    ['tier observe', hub({ control: 'EC2.2' }), 'observe_only', /tier observe by policy rule quiet-ec2/],
    ['unowned accounts', hub({ AwsAccountId: '999999999999' }), 'no_repository', /tagged owns accounts 111122223333, not 999999999999/],
    [
      'unowned regions',
      hub({ Region: 'eu-west-1', Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::b' }] }),
      'no_repository',
      /catch-all owns regions us-east-1, not eu-west-1/,
    ],
    [
      'schedules the config does not name',
      findingOf(scheduledEvent('someone-elses-rule')),
      'unknown_schedule',
      /no schedule named someone-elses-rule.*cloudmend-drift-scan/,
    ],
  ])('skips %s', (_, finding, code, reason) => {
    const decision = decide(finding, MATCHED, CONFIG);
    expect(decision).toMatchObject({ decision: 'skip', code });
    expect(decision.reason).toMatch(reason);
  });

  it('skips with the trigger mismatch when no trigger matches the event', () => {
    expect(decide(hub(), { matched: false, why: 'trigger x needs y' }, CONFIG)).toEqual({
      decision: 'skip',
      code: 'no_trigger',
      reason: 'no trigger matches: trigger x needs y',
    });
  });

  it('reports a state skip before a trigger mismatch, since it says more', () => {
    expect(decide(hub({ Workflow: { Status: 'RESOLVED' } }), { matched: false, why: 'w' }, CONFIG)).toMatchObject({ code: 'resolved' });
  });

  it.each<[string, Finding, Record<string, unknown>]>([
    [
      'to the first repository whose conditions all hold (tags)',
      hub({ Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::p', Tags: { team: 'payments' } }] }),
      { repository: 'tagged', tier: 'pull_request_with_approval', policyRule: undefined },
    ],
    ['by CloudFormation stack tag', findingOf(itemChangeEvent()), { repository: 'network' }],
    [
      'with the first matching policy rule',
      hub({ control: 'IAM.1' }),
      { tier: 'recommend', policyRule: 'iam-human', repository: 'catch-all' },
    ],
    ['with a severity rule', hub({ Severity: { Label: 'CRITICAL' } }), { tier: 'pull_request', policyRule: 'auto-critical' }],
    [
      'on Config compliance findings, whose severity comes from the control',
      findingOf(complianceEvent({ rule: 's3-bucket-server-side-encryption-enabled' })),
      { tier: 'pull_request_with_approval', repository: 'catch-all' },
    ],
  ])('acts %s', (_, finding, expected) => {
    expect(decide(finding, MATCHED, CONFIG)).toMatchObject({ decision: 'act', code: 'remediate', ...expected });
  });

  it('applies no severity floor to findings a person sent to the custom action', () => {
    const finding = findingOf(customActionEvent([asffFinding({ Severity: { Label: 'LOW' } })]));
    expect(decide(finding, MATCHED, CONFIG)).toMatchObject({ decision: 'act' });
  });

  it('runs the task of a configured schedule', () => {
    expect(decide(findingOf(scheduledEvent()), MATCHED, CONFIG)).toEqual({
      decision: 'act',
      code: 'scheduled_task',
      task: 'drift-scan',
      reason: 'runs the drift-scan task of schedule cloudmend-drift-scan',
    });
  });

  it('tells how to fix a config without repositories', () => {
    expect(decide(hub(), MATCHED, parseConfig('version: 1\n', 'c.yaml')).reason).toMatch(
      /no repositories are configured; add the repository/,
    );
  });
});
