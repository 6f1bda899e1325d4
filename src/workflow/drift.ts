/**
 * Drift in the remediate workflow, the pure parts: which findings are drift, the suppression an
 * "Ignore" decision writes, how a reviewer is told to revert, and the report of a drift detector
 * (CloudFormation's own) turned into cloudmend's differences.
 */
import { type Category, type Difference, type DriftReport, withVerdict } from '../drift/index.js';
import type { Finding, ReportedDifference } from '../findings/finding.js';
import type { Target } from '../iac/locate.js';
import { dirname } from 'node:path';

/** Findings the workflow compares with their code instead of fixing a control. */
export function isDriftFinding(finding: Finding): boolean {
  return finding.source === 'config-change' || finding.source === 'drift';
}

/** What "Ignore" suppresses: drift on this resource, whichever detector reports it. */
export function driftSuppressionKey(finding: Finding): string {
  const { partition, account, region, resource } = finding;
  return `drift:${partition}:${account}:${region}:${resource.arn ?? `${resource.type}/${resource.id}`}`.slice(0, 512);
}

/** The steps to undo the drift by deploying the code again; cloudmend never runs them. */
export function revertSteps(target: Target, stackName: string | undefined): string {
  if (target.kind === 'cloudformation') {
    const stack = stackName ?? '<stack name>';
    return `re-deploy ${target.address} from ${target.file}: aws cloudformation deploy --stack-name ${stack} --template-file ${target.file} (or your pipeline's deploy of that stack), then check with aws cloudformation detect-stack-drift --stack-name ${stack}`;
  }
  const dir = dirname(target.file);
  return `re-apply ${target.address} from ${target.file}: cd ${dir === '.' ? '<repository root>' : dir} && terraform plan -target=${target.address} (review: it shows the live values being put back), then terraform apply -target=${target.address} (or your pipeline's apply)`;
}

const CATEGORY_WORDS: readonly [Category, RegExp][] = [
  ['encryption', /encrypt|kms|sse|ssl|tls/i],
  ['exposure', /public|acl|accesscontrol|ownership/i],
  ['iam', /polic|role|principal|assume|permission/i],
  ['network', /securitygroup|ingress|egress|cidr|port|vpc|subnet/i],
];

/**
 * A detector's differences (CloudFormation compares the template's expected values with the live
 * ones) as a report. The detector says nothing about direction, so a security-relevant difference
 * is taken to weaken: it then needs a person's approval before it is codified.
 */
export function reportOfReported(finding: Finding, target: Target, reported: readonly ReportedDifference[]): DriftReport {
  const differences: Difference[] = reported.map((d) => {
    const category = CATEGORY_WORDS.find(([, words]) => words.test(d.path))?.[0];
    const json = (v: unknown) => (v === undefined ? null : (JSON.parse(JSON.stringify(v)) as Difference['declared']));
    return {
      path: d.path,
      declared: json(d.expected),
      live: d.type === 'DELETED' ? 'deleted' : json(d.actual),
      class: category ? 'security' : 'benign',
      ...(category ? { category } : {}),
      weakens: category !== undefined,
      why: `${d.type ?? 'changed'} at ${d.path}, as the drift detector reported it`,
    };
  });
  return {
    resourceType: finding.resource.type,
    resourceId: finding.resource.id,
    resourceName: finding.resource.name,
    kind: target.kind,
    address: target.address,
    ...withVerdict(differences),
  };
}

/** One line per difference for the approval message and the pull request. */
export function differenceLines(report: DriftReport): string[] {
  const show = (v: unknown) => (v === null ? '(none)' : JSON.stringify(v).slice(0, 120));
  return report.differences.map(
    (d) =>
      `${d.path}: code ${show(d.recorded?.declared ?? d.declared)}, live ${show(d.recorded?.live ?? d.live)}${d.class === 'security' ? ` [${d.category ?? 'security'}${d.weakens ? ', weakens' : ''}]` : ''}`,
  );
}
