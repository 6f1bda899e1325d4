/**
 * EKS.1: cluster API endpoints are not reachable from the internet. EKS creates a public endpoint
 * (`endpoint_public_access` / `EndpointPublicAccess` default true) and no private one; restricting
 * the public endpoint to CIDRs still fails the control. Turning the public endpoint off cuts every
 * client outside the VPC (kubectl on laptops, hosted CI, GitOps services, Terraform's kubernetes
 * and helm providers) off the API: only the team knows whether its clients reach the cluster from
 * inside, so the fix runs only when the config says so (`skills.eksPrivateEndpoints: true`) and
 * otherwise the finding is a suggestion. The fix turns the private endpoint on with it, so nodes
 * and in-VPC clients keep their path to the API (AWS refuses a cluster with neither).
 */
import { cfnBooleanRemedy, minimumMajor, remedyRule, tfSettingRemedy, tfString, type BooleanRule, type Remedy } from '../helpers.js';
import { defineSkill, type CfnTarget, type TfTarget } from '../types.js';

function rules(resource: string): { readonly public: BooleanRule; readonly private: BooleanRule } {
  return {
    public: {
      required: false,
      whenMissing: 'violation',
      note: `Turned off the public API endpoint of ${resource} and turned on its private one: kubectl, CI and other clients must now reach the API from inside the VPC (VPN, Direct Connect, in-VPC runners).`,
    },
    private: { required: true, whenMissing: 'violation' },
  };
}

/**
 * The public endpoint's remedies and, when it is to be turned off, the private one's; without the
 * config's consent, reports for a person.
 */
function remedies(publicRemedies: Remedy[], privateRemedies: () => Remedy[], consent: boolean | undefined): Remedy[] {
  if (publicRemedies.length === 0) return [];
  if (!consent) return publicRemedies.map((r) => ({ violation: { ...r.violation, messageId: 'notConfigured', fixable: false } }));
  // The private endpoint is part of the same fix: its edit rides on the public one's violation.
  const extra = privateRemedies().flatMap((r) => r.edits ?? []);
  return publicRemedies.map((r) => (r.edits ? { ...r, edits: [...r.edits, ...extra] } : r));
}

export const EKS_MODULE = 'terraform-aws-modules/eks/aws';

/**
 * terraform-aws-modules/eks: the endpoint is private by default from v19.0.0 (public before, with
 * private off); v21.0.0 renamed `cluster_endpoint_*_access` to `endpoint_*_access`.
 */
function moduleRemedies({ module, resource, options }: TfTarget): Remedy[] {
  const r = rules(resource.address);
  const major = minimumMajor(tfString(module, resource.block.body, 'version')) ?? 21;
  const prefix = major >= 21 ? '' : 'cluster_';
  return remedies(
    tfSettingRemedy(module, resource, [`${prefix}endpoint_public_access`], {
      ...r.public,
      whenMissing: major >= 19 ? 'comply' : 'violation',
      value: false,
    }),
    () =>
      tfSettingRemedy(module, resource, [`${prefix}endpoint_private_access`], {
        ...r.private,
        whenMissing: major >= 19 ? 'comply' : 'violation',
        value: true,
      }),
    options.eksPrivateEndpoints,
  );
}

function terraformRemedies(target: TfTarget): Remedy[] {
  const { module, resource, options } = target;
  if (resource.mode === 'module') return moduleRemedies(target);
  const r = rules(resource.address);
  return remedies(
    tfSettingRemedy(module, resource, ['vpc_config', 'endpoint_public_access'], { ...r.public, value: false }),
    () => tfSettingRemedy(module, resource, ['vpc_config', 'endpoint_private_access'], { ...r.private, value: true }),
    options.eksPrivateEndpoints,
  );
}

function cloudFormationRemedies({ template, resource, options }: CfnTarget): Remedy[] {
  const r = rules(resource.logicalId);
  const path = ['Properties', 'ResourcesVpcConfig'];
  return remedies(
    cfnBooleanRemedy(template, resource, [...path, 'EndpointPublicAccess'], r.public),
    () => cfnBooleanRemedy(template, resource, [...path, 'EndpointPrivateAccess'], r.private),
    options.eksPrivateEndpoints,
  );
}

export default defineSkill({
  meta: {
    id: 'eks-endpoint-private',
    title: 'EKS cluster API endpoints are not public',
    controls: ['EKS.1'],
    configRules: ['eks-endpoint-no-public-access'],
    fixable: 'code',
    options: ['eksPrivateEndpoints'],
    risk: 'access-change',
    riskNote:
      'Clients outside the VPC (kubectl on laptops, hosted CI runners, GitOps services, the kubernetes and helm Terraform providers) lose access to the cluster API: make sure they reach it from inside the VPC before this is applied.',
    messages: {
      settingWrong: '{{setting}} is {{value}}: the cluster API is reachable from the internet.',
      settingMissing: '{{setting}} is not set: EKS makes the cluster API reachable from the internet by default.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is false.',
      notConfigured:
        'The cluster API endpoint is public ({{setting}}): turning it off cuts kubectl, CI and other clients outside the VPC off the cluster. Once they reach it from inside the VPC, set skills.eksPrivateEndpoints in the config to true (the fix then turns the public endpoint off and the private one on), or set {{setting}} to false with endpoint private access on.',
    },
  },

  terraform: {
    resourceTypes: ['aws_eks_cluster', `module:${EKS_MODULE}`],
    ...remedyRule(terraformRemedies),
  },

  cloudformation: {
    resourceTypes: ['AWS::EKS::Cluster'],
    ...remedyRule(cloudFormationRemedies),
  },
});
