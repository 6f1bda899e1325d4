/**
 * Skills that write a value only the team knows (a key, a rotation function, a count): without it
 * in the config a violation is a suggestion naming the key to set (the finding ends `recommended`),
 * with it the fix writes exactly that value. Cases run with CASE_OPTIONS, so the unset path is here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../src/iac/source.js';
import { detect, fix } from '../../src/skills/engine.js';
import { loadSkills, skillDir } from '../../src/skills/registry.js';
import { DEFAULT_SKILL_OPTIONS, formatMessage, type SkillOptions } from '../../src/skills/types.js';
import { kindOfExtension } from './case-files.js';

const skills = await loadSkills();

async function run(id: string, file: string, options: SkillOptions) {
  const skill = skills.find((s) => s.meta.id === id)!;
  const text = readFileSync(join(skillDir(id), 'cases', file), 'utf8');
  const kind = kindOfExtension(file.split('.').pop()!);
  const source = await parseSource(kind, [{ path: file, text }]);
  const violations = detect(skill, source, options).flatMap((d) => d.violations);
  const fixed = (await fix(skill, kind, [{ path: file, text }], options)).files.get(file) ?? text;
  return { messages: violations.map((v) => formatMessage(skill.meta, v)), fixable: violations.filter((v) => v.fixable), text, fixed };
}

describe.each([
  // [skill, case file, config key the message names, options that set it, the value the fix writes]
  [
    'sns-encrypted',
    'alarm-topic.manual.tf',
    'skills.snsKmsKeyId',
    { snsKmsKeyId: 'arn:aws:kms:us-east-1:111122223333:alias/sns-topics' },
    '"arn:aws:kms:us-east-1:111122223333:alias/sns-topics"',
  ],
  [
    'sns-encrypted',
    'eventbridge-topic.manual.yaml',
    'skills.snsKmsKeyId',
    { snsKmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-4a5b-9c8d-7e6f5a4b3c2d' },
    'KmsMasterKeyId: arn:aws:kms:us-east-1:111122223333:key/1a2b3c4d-5e6f-4a5b-9c8d-7e6f5a4b3c2d',
  ],
  [
    'eks-endpoint-private',
    'cluster-default.input.tf',
    'skills.eksPrivateEndpoints',
    { eksPrivateEndpoints: true },
    'endpoint_public_access  = false',
  ],
  [
    'eks-endpoint-private',
    'public.input.json',
    'skills.eksPrivateEndpoints',
    { eksPrivateEndpoints: true },
    '"EndpointPublicAccess": false',
  ],
  ['ecr-lifecycle-policy', 'repository.input.tf', 'skills.ecrLifecycleMaxImages', { ecrLifecycleMaxImages: 25 }, 'countNumber = 25'],
  ['ecr-lifecycle-policy', 'repository.input.yaml', 'skills.ecrLifecycleMaxImages', { ecrLifecycleMaxImages: 25 }, '"countNumber":25'],
  [
    'secretsmanager-rotation',
    'secret.input.tf',
    'skills.secretsManagerRotation',
    { secretsManagerRotation: { lambdaArn: 'arn:aws:lambda:eu-west-1:111122223333:function:rotate-mysql', days: 7 } },
    'automatically_after_days = 7',
  ],
  [
    'secretsmanager-rotation',
    'api-key.input.json',
    'skills.secretsManagerRotation',
    { secretsManagerRotation: { lambdaArn: 'arn:aws:lambda:eu-west-1:111122223333:function:rotate-mysql', days: 7 } },
    '"RotationLambdaARN": "arn:aws:lambda:eu-west-1:111122223333:function:rotate-mysql"',
  ],
  [
    's3-access-logging',
    'new-bucket.input.tf',
    'skills.s3AccessLogBucket',
    { s3AccessLogBucket: 'team-logs' },
    'target_bucket = "team-logs"\n  target_prefix = "uploads/"',
  ],
  [
    's3-access-logging',
    'no-logging.input.yaml',
    'skills.s3AccessLogBucket',
    { s3AccessLogBucket: 'team-logs', s3AccessLogPrefix: 'logs/s3/' },
    'DestinationBucketName: team-logs\n        LogFilePrefix: logs/s3/AssetsBucket/',
  ],
  ['elb-access-logs', 'alb.input.tf', 'skills.elbAccessLogBucket', { elbAccessLogBucket: 'team-lb-logs' }, 'bucket  = "team-lb-logs"'],
  ['elb-access-logs', 'alb.input.yaml', 'skills.elbAccessLogBucket', { elbAccessLogBucket: 'team-lb-logs' }, 'Value: team-lb-logs'],
] as const)('%s on %s', (id, file, key, configured, written) => {
  it(`without ${key}: a suggestion that says what to set, and no edit`, async () => {
    const r = await run(id, file, DEFAULT_SKILL_OPTIONS);
    expect(r.messages.length).toBeGreaterThan(0);
    expect(r.messages.some((m) => m.includes(`set ${key} in the config`))).toBe(true);
    expect(r.fixable).toEqual([]);
    expect(r.fixed).toBe(r.text);
  });

  it(`with ${key}: fixed with exactly the configured value`, async () => {
    const r = await run(id, file, { ...DEFAULT_SKILL_OPTIONS, ...configured });
    expect(r.fixable.length).toBeGreaterThan(0);
    expect(r.fixed).toContain(written);
  });
});
