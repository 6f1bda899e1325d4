/** Codify: live values written into the code in place, then compared again; what cannot be written is said. */
import { describe, expect, it } from 'vitest';
import { codify } from '../../src/drift/codify.js';
import { driftOf } from '../../src/drift/index.js';
import { cloudformationFiles, liveOf, terraformFiles, updateSupplementary } from './support.js';

describe('codify', () => {
  it('writes a CloudFormation scalar where it stands, keeping comments and everything else', () => {
    const files = cloudformationFiles('s3-bucket', (t) =>
      t.replace('        Status: Enabled', '        Status: Enabled # required by the audit'),
    );
    const item = liveOf('s3-bucket', (ci) =>
      updateSupplementary(ci, 'BucketVersioningConfiguration', (v: Record<string, unknown>) => ({ ...v, status: 'Suspended' })),
    );
    const declared = { kind: 'cloudformation' as const, files, address: 'LogsBucket' };
    const report = driftOf(declared, item);
    expect(report.differences.map((d) => d.path)).toEqual(['versioning']);
    const result = codify(declared, report);
    expect(result).toMatchObject({ written: ['versioning'], skipped: [] });
    const after = result.files.get(files[0]!.path)!;
    expect(after).toBe(files[0]!.text.replace('Status: Enabled #', 'Status: Suspended #'));
    expect(driftOf({ ...declared, files: [{ path: files[0]!.path, text: after }] }, item).drifted).toBe(false);
  });

  it('writes a Terraform number as a number', () => {
    const files = terraformFiles('rds-instance');
    const item = liveOf('rds-instance', (ci) => {
      (ci.configuration as Record<string, unknown>).backupRetentionPeriod = 1;
    });
    const declared = { kind: 'terraform' as const, files, address: 'aws_db_instance.orders' };
    const result = codify(declared, driftOf(declared, item));
    expect(result.written).toEqual(['backupRetentionPeriod']);
    const [path, text] = [...result.files][0]!;
    expect(text).toContain('backup_retention_period             = 1\n');
    expect(driftOf({ ...declared, files: files.map((f) => (f.path === path ? { path, text } : f)) }, item).drifted).toBe(false);
  });

  it('leaves rules, policies and values stated more than once for a person, and says why', () => {
    const files = terraformFiles('security-group');
    const item = liveOf('security-group', (ci) => {
      const config = ci.configuration as { ipPermissions: unknown[] };
      config.ipPermissions.push({
        ipProtocol: 'tcp',
        fromPort: 22,
        toPort: 22,
        ipRanges: ['0.0.0.0/0'],
        ipv4Ranges: [{ cidrIp: '0.0.0.0/0' }],
      });
    });
    const declared = { kind: 'terraform' as const, files, address: undefined };
    const report = driftOf(declared, item);
    expect(report.drifted).toBe(true);
    const result = codify({ ...declared, address: report.address }, report);
    expect(result.files.size).toBe(0);
    expect(result.skipped.map((s) => s.why)).toEqual(
      report.differences.map(() => expect.stringMatching(/left for a person|does not declare it/) as unknown),
    );
  });
});
