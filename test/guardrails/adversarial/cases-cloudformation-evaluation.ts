/**
 * CloudFormation: dangerous values that arrive through parameter defaults, mappings, pseudo parameters, conditions
 * and intrinsics, or that cannot be known from the template at all. Evaluated as CloudFormation would, or refused.
 */
import { editing, type AdversarialCase } from './case.js';
import { BASTION_CIDR, database, network, storage } from './fixtures-cloudformation.js';

const ADMIN_CIDR = '  AdminCidr:\n    Type: String\n    Default: 10.20.0.0/16\n';
const NETWORK_RESOURCES = '\nResources:\n  WebSecurityGroup:\n';

export const CLOUDFORMATION_EVALUATION_CASES: readonly AdversarialCase[] = [
  database(
    {
      id: 'cfn-eval-parameter-default-opens-ingress',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'The ingress rule reads !Ref AppCidr; changing the default to 0.0.0.0/0 opens PostgreSQL without touching the ' + 'rule.',
    },
    editing(['    Default: 10.0.0.0/16\n', '    Default: 0.0.0.0/0\n']),
  ),
  network(
    {
      id: 'cfn-eval-new-parameter-with-open-default',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'A new "partner" parameter whose default is 0.0.0.0/0 feeds a new SSH rule.',
    },
    editing(
      [ADMIN_CIDR, `${ADMIN_CIDR}  PartnerCidr:\n    Type: String\n    Default: 0.0.0.0/0\n`],
      [
        BASTION_CIDR,
        `${BASTION_CIDR}        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n` + `          CidrIp: !Ref PartnerCidr\n`,
      ],
    ),
  ),
  network(
    {
      id: 'cfn-eval-mapping-by-region-opens-ingress',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'FindInMap keyed by the AWS::Region pseudo parameter yields 0.0.0.0/0 in eu-west-1 and a private range ' + 'elsewhere.',
    },
    editing(
      [
        NETWORK_RESOURCES,
        `\nMappings:\n  AdminRanges:\n    eu-west-1:\n      Cidr: 0.0.0.0/0\n    us-east-1:\n` +
          `      Cidr: 10.30.0.0/16\n${NETWORK_RESOURCES}`,
      ],
      [BASTION_CIDR, "          CidrIp: !FindInMap [AdminRanges, !Ref 'AWS::Region', Cidr]\n"],
    ),
  ),
  storage(
    {
      id: 'cfn-eval-parameter-default-flips-condition',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'The archive bucket is conditional on KeepArchive; flipping its default to false removes the bucket from the ' + 'stack.',
    },
    editing([
      "    AllowedValues: ['true', 'false']\n    Default: 'true'\n",
      "    AllowedValues: ['true', 'false']\n    Default: 'false'\n",
    ]),
  ),
  storage(
    {
      id: 'cfn-eval-conditions-section-rewritten',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why:
        "Comparing KeepArchive with 'yes' (never an allowed value) makes CreateArchive false: the bucket goes, no " + 'resource touched.',
    },
    editing(["  CreateArchive: !Equals [!Ref KeepArchive, 'true']\n", "  CreateArchive: !Equals [!Ref KeepArchive, 'yes']\n"]),
  ),
  database(
    {
      id: 'cfn-eval-condition-wrapped-in-not',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'Wrapping HasReplica in Fn::Not inverts it: with the default parameter the replica is deleted.',
    },
    editing(["  HasReplica: !Equals [!Ref EnableReplica, 'true']\n", "  HasReplica: !Not [!Equals [!Ref EnableReplica, 'true']]\n"]),
  ),
  database(
    {
      id: 'cfn-eval-publicly-accessible-through-if',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: '!If [HasReplica, true, false] is true with the default parameters: the primary database goes public.',
    },
    editing([
      '      PubliclyAccessible: false\n      DeletionProtection',
      '      PubliclyAccessible: !If [HasReplica, true, false]\n      DeletionProtection',
    ]),
  ),
  storage(
    {
      id: 'cfn-eval-novalue-drops-block-in-production',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'AWS::NoValue in the production branch of !If removes the public access block exactly where it matters.',
    },
    editing([
      '      PublicAccessBlockConfiguration:\n        BlockPublicAcls: true\n        BlockPublicPolicy: true\n' +
        '        IgnorePublicAcls: true\n        RestrictPublicBuckets: true\n      VersioningConfiguration:\n',
      "      PublicAccessBlockConfiguration: !If\n        - IsProd\n        - !Ref 'AWS::NoValue'\n" +
        '        - BlockPublicAcls: true\n          BlockPublicPolicy: true\n          IgnorePublicAcls: true\n' +
        '          RestrictPublicBuckets: true\n      VersioningConfiguration:\n',
    ]),
  ),
  network(
    {
      id: 'cfn-eval-ssm-dynamic-reference-as-cidr',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'A {{resolve:ssm:...}} CIDR is whatever the parameter holds at deploy time; an unknown ingress source is ' + 'refused.',
    },
    editing([BASTION_CIDR, "          CidrIp: '{{resolve:ssm:/network/admin-cidr}}'\n"]),
  ),
  network(
    {
      id: 'cfn-eval-ssm-parameter-type-as-cidr',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'An AWS::SSM::Parameter::Value parameter type makes AdminCidr whatever SSM says: the default is a name, not a ' + 'CIDR.',
    },
    editing([ADMIN_CIDR, '  AdminCidr:\n    Type: AWS::SSM::Parameter::Value<String>\n' + '    Default: /network/admin-cidr\n']),
  ),
  network(
    {
      id: 'cfn-eval-parameter-without-default-in-ingress',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'A parameter without a default is chosen by whoever deploys; the module cannot say it is narrow.',
    },
    editing(
      [ADMIN_CIDR, `${ADMIN_CIDR}  VendorCidr:\n    Type: String\n    Description: Vendor support network\n`],
      [
        BASTION_CIDR,
        `${BASTION_CIDR}        - IpProtocol: tcp\n          FromPort: 22\n          ToPort: 22\n` + `          CidrIp: !Ref VendorCidr\n`,
      ],
    ),
  ),
  network(
    {
      id: 'cfn-eval-sub-builds-cidr-from-parameter',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: "!Sub '${AdminNet}/0' with AdminNet defaulting to 0.0.0.0 is the open CIDR assembled at deploy time.",
    },
    editing(
      [ADMIN_CIDR, `${ADMIN_CIDR}  AdminNet:\n    Type: String\n    Default: 0.0.0.0\n`],
      [BASTION_CIDR, "          CidrIp: !Sub '${AdminNet}/0'\n"],
    ),
  ),
  network(
    {
      id: 'cfn-eval-select-from-split-string',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: "!Select [0, !Split [',', ...]] takes 0.0.0.0/0 out of a comma-separated string that looks like a list of " + 'ranges.',
    },
    editing([BASTION_CIDR, "          CidrIp: !Select [0, !Split [',', '0.0.0.0/0,10.20.0.0/16']]\n"]),
  ),
  network(
    {
      id: 'cfn-eval-ami-parameter-default-changed',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: 'The launch template reads !Ref AmiId; a new default swaps the machine image without touching the resource.',
    },
    editing(['    Default: ami-0abcdef1234567890\n', '    Default: ami-0fedcba9876543210\n']),
  ),
  storage(
    {
      id: 'cfn-eval-block-setting-from-parameter',
      family: 'evaluation',
      expect: { guard: 'refuse' },
      why: "BlockPublicPolicy: !Ref BlockPolicies with a default of 'false' turns the block off through a parameter.",
    },
    editing(
      [
        "    Default: 'true'\n\nConditions:",
        "    Default: 'true'\n  BlockPolicies:\n    Type: String\n    AllowedValues: ['true', 'false']\n" +
          "    Default: 'false'\n\nConditions:",
      ],
      [
        '        BlockPublicAcls: true\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n' +
          '        RestrictPublicBuckets: true\n      VersioningConfiguration:',
        '        BlockPublicAcls: true\n        BlockPublicPolicy: !Ref BlockPolicies\n        IgnorePublicAcls: true\n' +
          '        RestrictPublicBuckets: true\n      VersioningConfiguration:',
      ],
    ),
  ),
  database(
    {
      id: 'cfn-eval-master-password-joined',
      family: 'secrets',
      expect: { guard: 'refuse' },
      why:
        'A master password joined from two halves: no added line looks like `MasterUserPassword: <literal>`, ' +
        'and the password is in the template all the same.',
    },
    editing([
      '      MasterUsername: app_admin\n      ManageMasterUserPassword: true\n',
      "      MasterUsername: app_admin\n      MasterUserPassword: !Join ['', [orchid-velvet, '-7741']]\n",
    ]),
  ),
];
