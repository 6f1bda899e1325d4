/** What the agent is told after a change, and what holds it back: table-driven on real parsers and skills. */
import { describe, expect, it } from 'vitest';
import { validateWorkspace } from '../../src/agent/validate.js';
import { Workspace } from '../../src/agent/workspace.js';
import { skillsOfKind } from '../../src/skills/registry.js';

const TABLE = `resource "aws_dynamodb_table" "orders" {
  name         = "orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }
}
`;

async function verdict(after: string) {
  const workspace = new Workspace([{ path: 'main.tf', text: TABLE }], ['main.tf']);
  workspace.replace('main.tf', after);
  const allSkills = await skillsOfKind('terraform');
  return validateWorkspace(workspace, {
    kind: 'terraform',
    address: 'aws_dynamodb_table.orders',
    skills: [],
    allSkills,
    options: { allowedIngressCidrs: [], allowedIngressIpv6Cidrs: [] },
  });
}

describe('validateWorkspace', () => {
  it('passes a change that weakens nothing', async () => {
    const v = await verdict(TABLE.replace('  hash_key     = "id"\n', '  hash_key     = "id"\n\n  deletion_protection_enabled = true\n'));
    expect(v.passed).toBe(true);
  });

  it('fails a change that turns off what another control checks, naming the skill that sees it', async () => {
    const v = await verdict(
      TABLE.replace('  hash_key     = "id"\n', '  hash_key     = "id"\n\n  deletion_protection_enabled = true\n').replace(
        '    enabled = true',
        '    enabled = false',
      ),
    );
    expect(v.passed).toBe(false);
    expect(v.checks.find((c) => c.status === 'failed')?.detail).toMatch(
      /weakens what it did not set out to fix: dynamodb-pitr: .* on aws_dynamodb_table\.orders/,
    );
  });

  it('fails what does not parse, and says so before anything else', async () => {
    const v = await verdict(TABLE.replace('billing_mode = "PAY_PER_REQUEST"', 'billing_mode = '));
    expect(v).toMatchObject({ passed: false, checks: [{ name: 'parses', status: 'failed' }] });
  });

  it('does not pass an unchanged workspace: nothing has been fixed yet', async () => {
    expect((await verdict(TABLE)).passed).toBe(false);
  });
});
