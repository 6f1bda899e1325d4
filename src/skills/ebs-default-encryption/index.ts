/**
 * EC2.7: EBS encryption by default is on in the account, in each Region. Only Terraform declares
 * it (`aws_ebs_encryption_by_default`, whose `enabled` defaults to true); CloudFormation has no
 * resource for it. A repository without the resource is not given one: which root module owns an
 * account's settings in a Region is the team's choice, and two owners would fight over it.
 */
import { remedyRule, tfBooleanRemedy } from '../helpers.js';
import { defineSkill } from '../types.js';

export default defineSkill({
  meta: {
    id: 'ebs-default-encryption',
    title: 'EBS encryption by default is on',
    controls: ['EC2.7'],
    configRules: ['ec2-ebs-encryption-by-default'],
    fixable: 'code',
    risk: 'none',
    messages: {
      settingWrong:
        '{{setting}} is {{value}}: new EBS volumes and snapshot copies in this Region are unencrypted unless each one asks for encryption.',
      settingUnknown: '{{setting}} is set to an expression cloudmend cannot evaluate ({{expr}}); make sure it is true.',
    },
  },

  terraform: {
    resourceTypes: ['aws_ebs_encryption_by_default'],
    ...remedyRule(({ module, resource }) =>
      tfBooleanRemedy(module, resource, resource.block, 'enabled', {
        required: true,
        whenMissing: 'comply',
        note: `Set enabled to true in ${resource.address}: EBS encrypts every new volume and snapshot copy in the Region with the account's default EBS key (aws/ebs unless aws_ebs_default_kms_key says otherwise); existing volumes stay as they are. Check that instance roles and Auto Scaling can use that key.`,
      }),
    ),
  },
});
