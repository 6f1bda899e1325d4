/**
 * Customer managed IAM policies (Config's `AWS::IAM::Policy`): the default version's document,
 * description and tags. CloudFormation declares them as `AWS::IAM::ManagedPolicy`; its
 * `AWS::IAM::Policy` is an inline policy, which shows on the role's item instead.
 */
import type { Declaration } from '../declaration.js';
import type { ConfigItem } from '../item.js';
import { isList, listOf, pick, type Partial } from '../partial.js';
import type { DriftType, Fact, Spec } from '../types.js';
import { declaredTags, liveTags, put, TAGS_SPEC } from './common.js';

const specs: Spec[] = [
  { kind: 'policy', path: 'document', label: 'policy document' },
  { kind: 'scalar', path: 'description', label: 'policy description' },
  { kind: 'scalar', path: 'path', label: 'policy path' },
  TAGS_SPEC,
];

function declared(d: Declaration): Record<string, Fact> {
  const tf = d.kind === 'terraform';
  const facts: Record<string, Fact> = {};
  put(facts, 'document', tf ? d.props.policy : d.props.PolicyDocument);
  put(facts, 'description', tf ? d.props.description : d.props.Description);
  put(facts, 'path', tf ? d.props.path : d.props.Path);
  put(facts, 'tags', declaredTags(d));
  return facts;
}

/** The document of the default version: the one IAM evaluates. */
function defaultDocument(item: ConfigItem): Partial | undefined {
  const versions = listOf(pick(item.configuration, 'policyVersionList'));
  if (!isList(versions)) return undefined;
  const id = pick(item.configuration, 'defaultVersionId');
  const version =
    versions.find((v) => pick(v, 'isDefaultVersion') === true) ?? versions.find((v) => id !== undefined && pick(v, 'versionId') === id);
  return version === undefined ? undefined : pick(version, 'document');
}

function live(item: ConfigItem): Record<string, Fact> {
  const facts: Record<string, Fact> = { tags: liveTags(item) };
  put(facts, 'document', defaultDocument(item));
  put(facts, 'description', pick(item.configuration, 'description'));
  put(facts, 'path', pick(item.configuration, 'path'));
  return facts;
}

export const iamPolicy: DriftType = {
  configType: 'AWS::IAM::Policy',
  terraform: ['aws_iam_policy'],
  cloudformation: ['AWS::IAM::ManagedPolicy'],
  specs,
  declared,
  live,
};
