/**
 * sandbox/Dockerfile read as Docker and Fargate read it, without a daemon. The task runs as uid 1000
 * with a read-only root and an empty bind volume at /tmp; Fargate creates that volume root-owned
 * 0755 (no agent run could write a file) unless the image declares the path a VOLUME, whose owner
 * and mode the volume then starts with.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/project.js';
import { SANDBOX_ARCHITECTURES, SANDBOX_USER, SCRATCH_PATH } from '../../lib/sandbox.js';
import { providedPackages } from '../../src/iac/cdk/synth.js';
import { RUNTIME_PACKAGES } from '../../src/sandbox/runtime-modules.js';
import { dockerfileStages, volumes } from '../support/dockerfile.js';

const stages = dockerfileStages();
const runtime = stages.at(-1)!.instructions;
const indexOf = (predicate: (op: string, args: string) => boolean): number => runtime.findIndex((i) => predicate(i.op, i.args));

describe('sandbox/Dockerfile', () => {
  it('declares the scratch path a VOLUME in the image the task runs, after making it the task user’s and writable', () => {
    expect(volumes(runtime)).toEqual([SCRATCH_PATH]);
    const volume = indexOf((op) => op === 'VOLUME');
    const owned = indexOf((op, args) => op === 'RUN' && new RegExp(`\\bchown ${SANDBOX_USER} (\\S+ )*${SCRATCH_PATH}\\b`).test(args));
    const mode = indexOf((op, args) => op === 'RUN' && new RegExp(`\\bchmod 1777 (\\S+ )*${SCRATCH_PATH}\\b`).test(args));
    expect(owned, `no RUN chown ${SANDBOX_USER} ${SCRATCH_PATH}`).toBeGreaterThanOrEqual(0);
    expect(mode, `no RUN chmod 1777 ${SCRATCH_PATH}`).toBeGreaterThanOrEqual(0);
    // Docker discards what a later RUN writes under a declared volume: owner and mode come first.
    expect(owned).toBeLessThan(volume);
    expect(mode).toBeLessThan(volume);
    expect(runtime.slice(volume).filter((i) => i.op === 'RUN')).toEqual([]);
  });

  it('runs as the user the task definition names, from the scratch directory', () => {
    expect(runtime.filter((i) => i.op === 'USER').map((i) => i.args)).toEqual([SANDBOX_USER]);
    expect(indexOf((op) => op === 'USER')).toBeGreaterThan(indexOf((op) => op === 'VOLUME'));
    expect(runtime.filter((i) => i.op === 'WORKDIR').at(-1)?.args).toBe(SCRATCH_PATH);
  });

  it('mirrors the Terraform provider for the platform the stack builds for, never a fixed one', () => {
    const terraform = stages.find((s) => / AS terraform$/i.test(s.from))!.instructions;
    expect(terraform).toContainEqual({ op: 'ARG', args: 'TERRAFORM_PLATFORM=linux_arm64' });
    expect(terraform.find((i) => i.op === 'RUN')?.args).toContain('terraform providers mirror -platform="$TERRAFORM_PLATFORM"');
    const fixed = stages.flatMap((s) => s.instructions).filter((i) => i.op === 'RUN' && /linux_(arm64|amd64)/.test(i.args));
    expect(fixed).toEqual([]);
    expect(
      Object.values(SANDBOX_ARCHITECTURES)
        .map((a) => a.terraformPlatform)
        .sort(),
    ).toEqual(['linux_amd64', 'linux_arm64']);
  });

  it('installs the aws-cdk-lib and constructs docs/cdk.md promises CDK apps (package-lock.json’s, as cloudmend synthesizes with locally)', () => {
    const docs = readFileSync(join(PROJECT_ROOT, 'docs/cdk.md'), 'utf8').replace(/\s+/g, ' ');
    expect(docs).toContain(`**${providedPackages()}**`);
    expect(RUNTIME_PACKAGES).toEqual(expect.arrayContaining(['aws-cdk-lib', 'constructs']));
  });
});
