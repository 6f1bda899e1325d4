/**
 * What a skill is: in the style of an ESLint rule, `meta` plus, per IaC kind, `detect` (an
 * independent check of the control on the code) and `fix` (text edits). Skills are pure: they read
 * the parsed source they are given and return edits; the engine applies, confines and verifies.
 */
import type { Config } from '../config/schema.js';
import type { CdkProp } from '../iac/cdk/props.js';
import type { CfnResource, CfnTemplate } from '../iac/cloudformation/template.js';
import type { TextEdit } from '../iac/edits.js';
import type { TfModule, TfResource } from '../iac/terraform/module.js';

/** Risks whose fixes always go to an approver, with a rollback that does not rely on reverting. */
export const DISRUPTIVE_RISKS: ReadonlySet<SkillMeta['risk']> = new Set(['replacement', 'downtime']);

export const IAC_KINDS = ['terraform', 'cloudformation'] as const;
export type IacKind = (typeof IAC_KINDS)[number];

export interface SkillMeta {
  /** Folder name under src/skills. */
  readonly id: string;
  readonly title: string;
  /** Security Hub control ids the skill answers. */
  readonly controls: readonly string[];
  /** AWS Config rule identifiers behind those controls. */
  readonly configRules: readonly string[];
  /** `code`: fixes edit the source. `suggestion`: findings get a recommendation, never an edit. */
  readonly fixable: 'code' | 'suggestion';
  /**
   * What applying the fix does besides the setting: `replacement` destroys and recreates the
   * resource, `downtime` interrupts it while the change applies (a restart), `access-change` changes
   * who or what can reach it. `replacement` and `downtime` always go to an approver.
   */
  readonly risk: 'none' | 'replacement' | 'downtime' | 'access-change';
  /** One sentence for the pull request when risk is not `none`; for `replacement`, what is destroyed and created again. */
  readonly riskNote?: string;
  /**
   * Required with `risk: 'replacement'` or `'downtime'`: how to roll back safely once deployed
   * (a snapshot first). Reverting the pull request does not bring a destroyed resource's data back.
   */
  readonly rollback?: string;
  /** Messages by id, with `{{placeholders}}` filled from a violation's data. */
  readonly messages: Readonly<Record<string, string>>;
  /** The config `skills` keys the skill reads (the conformance test holds this to its source). */
  readonly options?: readonly (keyof SkillOptions)[];
}

/**
 * Settings from the config's `skills` section (CIDR allow-lists, KMS keys, log destinations...),
 * validated there: values only the user knows. A skill that needs one and finds it unset reports a
 * violation only a person fixes, naming the key to set, never a guessed value.
 */
export type SkillOptions = Readonly<Config['skills']>;

export const DEFAULT_SKILL_OPTIONS: SkillOptions = { allowedIngressCidrs: [], allowedIngressIpv6Cidrs: [] };

export interface Violation {
  readonly messageId: string;
  readonly data?: Readonly<Record<string, string>> | undefined;
  /** Terraform address or CloudFormation logical id of the resource at fault. */
  readonly resource: string;
  /** Character offset in the file to point people at. */
  readonly offset: number;
  /** False when no safe code fix exists: a suggestion for a person. */
  readonly fixable: boolean;
  /**
   * `unpinned`: the code relies on a default that is secure today (S3 encrypts and blocks public
   * access on new buckets) but does not say so; a fix pins it. `violation`: the code is insecure.
   */
  readonly kind: 'violation' | 'unpinned';
}

export interface Fix {
  readonly edits: readonly TextEdit[];
  /** Sentences for the pull request: what changed and what to check. */
  readonly notes?: readonly string[];
}

export interface TfTarget {
  readonly module: TfModule;
  readonly resource: TfResource;
  readonly options: SkillOptions;
}

export interface CfnTarget {
  readonly template: CfnTemplate;
  readonly resource: CfnResource;
  readonly options: SkillOptions;
}

export interface IacRule<Target> {
  /** Resource types this rule checks (`aws_s3_bucket`, `AWS::S3::Bucket`; `module:<source>` for modules). */
  readonly resourceTypes: readonly string[];
  detect(target: Target): Violation[];
  /** Edits that fix `violations` (those of this target); may add sibling resources after it. */
  fix(target: Target, violations: readonly Violation[]): Fix;
}

/** A construct of a CDK app whose synthesized resource the CloudFormation form found at fault. */
export interface CdkTarget {
  /** The construct's class as jsii names it (`aws-cdk-lib.aws_s3.Bucket`). */
  readonly fqn: string;
  /** The props its source sets by name, each value as written (`true`, `props.versioned`). */
  readonly props: ReadonlyMap<string, string>;
  /** The synthesized template and the resource in it. */
  readonly template: CfnTemplate;
  readonly resource: CfnResource;
  readonly options: SkillOptions;
}

/**
 * The CDK form: which props of an L2 construct express the setting. Detection is the CloudFormation
 * form's, on the synthesized template; the props are set in the app's TypeScript and the app is
 * synthesized again to verify. L1 (`Cfn*`) constructs need no CDK form: their props are the
 * CloudFormation properties, written from the CloudFormation form's fix.
 */
export interface CdkRule {
  /** The construct classes (`aws-cdk-lib.aws_s3.Bucket`) whose props this form sets. */
  readonly constructs: readonly string[];
  /** The props that fix `violations` (the CloudFormation form's, on the construct's resource); none when no prop can. */
  fix(target: CdkTarget, violations: readonly Violation[]): readonly CdkProp[];
  /** What a person changes in the app when no prop expresses the fix (the call that makes the setting). */
  readonly advice?: string | undefined;
}

export interface Skill {
  readonly meta: SkillMeta;
  readonly terraform?: IacRule<TfTarget> | undefined;
  readonly cloudformation?: IacRule<CfnTarget> | undefined;
  /** Needs `cloudformation`, whose detector judges the synthesized template. */
  readonly cdk?: CdkRule | undefined;
}

/** Identity for type checking and one place to hang skill-wide checks. */
export function defineSkill(skill: Skill): Skill {
  return skill;
}

/** A message with its `{{placeholders}}` filled; unknown ids are a bug and throw. */
export function formatMessage(meta: SkillMeta, violation: Pick<Violation, 'messageId' | 'data'>): string {
  const template = meta.messages[violation.messageId];
  if (template === undefined) throw new Error(`skill ${meta.id} has no message ${violation.messageId}`);
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => violation.data?.[key] ?? `{{${key}}}`);
}
