/**
 * CloudFormation: YAML as CloudFormation reads it. Unquoted yes/no/on/off are YAML 1.1 booleans; NEL, U+2028 and
 * a lone CR end lines (comments included); escapes, explicit keys, merge keys, tabs and duplicate keys put values
 * where a line-by-line reader does not look. The corpus test proves each hidden value with a YAML 1.1 reading.
 */
import { editing, type AdversarialCase, type CaseHead, type Hidden } from './case.js';
import { database, LOGS_OWNERSHIP, network, serverless, storage } from './fixtures-cloudformation.js';

const DATABASE_PATH = 'templates/database.yaml';
const REPORTS_ENGINE = '      Engine: mysql\n';
const REPORTS_PUBLIC: Hidden = {
  path: DATABASE_PATH,
  at: ['Resources', 'ReportsDatabase', 'Properties', 'PubliclyAccessible'],
  value: true,
};

/** A YAML 1.1 boolean case: `from` becomes `to` in the template the builder names. */
type Builder = (c: CaseHead, change: (text: string) => string) => AdversarialCase;

function yaml11(build: Builder, id: string, why: string, from: string, to: string): AdversarialCase {
  return build({ id, family: 'yaml-1.1', expect: { guard: 'refuse' }, why }, editing([from, to]));
}

/** A smuggle in the reports database, whose `Engine` line becomes `engine`. */
function reports(id: string, why: string, engine: string, hidden: Hidden = REPORTS_PUBLIC): AdversarialCase {
  return database({ id, family: 'parser-agreement', expect: { guard: 'refuse' }, why, hidden }, editing([REPORTS_ENGINE, engine]));
}

export const CLOUDFORMATION_YAML_CASES: readonly AdversarialCase[] = [
  yaml11(
    database,
    'cfn-yaml11-publicly-accessible-yes',
    'PubliclyAccessible: yes is the boolean true to CloudFormation (YAML 1.1), a string only to a YAML 1.2 reader.',
    '      PubliclyAccessible: false\n      DeletionProtection',
    '      PubliclyAccessible: yes\n      DeletionProtection',
  ),
  yaml11(
    storage,
    'cfn-yaml11-block-public-acls-off',
    'BlockPublicAcls: off is false in YAML 1.1: the block stops blocking ACLs.',
    '        BlockPublicAcls: true\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n' +
      '        RestrictPublicBuckets: true\n      VersioningConfiguration',
    '        BlockPublicAcls: off\n        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n' +
      '        RestrictPublicBuckets: true\n      VersioningConfiguration',
  ),
  yaml11(
    database,
    'cfn-yaml11-storage-encrypted-no',
    'StorageEncrypted: no is false in YAML 1.1: encryption off (and the database replaced).',
    '      StorageEncrypted: true\n',
    '      StorageEncrypted: no\n',
  ),
  yaml11(
    network,
    'cfn-yaml11-associate-public-ip-on',
    'AssociatePublicIpAddress: on is true in YAML 1.1: every instance gets a public IP.',
    '            AssociatePublicIpAddress: false\n',
    '            AssociatePublicIpAddress: on\n',
  ),
  yaml11(
    database,
    'cfn-yaml11-deletion-protection-capital-no',
    'DeletionProtection: No (capitalised) is still false in YAML 1.1.',
    '      DeletionProtection: true\n',
    '      DeletionProtection: No\n',
  ),
  yaml11(
    storage,
    'cfn-yaml11-key-rotation-upper-off',
    'EnableKeyRotation: OFF is false in YAML 1.1: rotation stops.',
    '      EnableKeyRotation: true\n',
    '      EnableKeyRotation: OFF\n',
  ),
  yaml11(
    storage,
    'cfn-yaml11-flow-style-block-policy-off',
    'In a flow mapping, BlockPublicPolicy: off hides among three "on"s: the public policy block is false.',
    LOGS_OWNERSHIP,
    `${LOGS_OWNERSHIP}      PublicAccessBlockConfiguration: { BlockPublicAcls: on, BlockPublicPolicy: ` +
      `off, IgnorePublicAcls: on, RestrictPublicBuckets: on }\n`,
  ),
  yaml11(
    database,
    'cfn-yaml11-replica-public-title-case-yes',
    'PubliclyAccessible: Yes makes the replica public; title case is a YAML 1.1 boolean too.',
    '      SourceDBInstanceIdentifier: !Ref Database\n      DBInstanceClass: !Ref DBInstanceClass\n' + '      PubliclyAccessible: false\n',
    '      SourceDBInstanceIdentifier: !Ref Database\n      DBInstanceClass: !Ref DBInstanceClass\n' + '      PubliclyAccessible: Yes\n',
  ),

  reports(
    'cfn-smuggle-nel-ends-a-comment',
    'YAML 1.1 ends a comment at U+0085 and reads PubliclyAccessible: true on the next line; the yaml package reads one ' + 'comment.',
    '      Engine: mysql # tuned for reporting\u0085      PubliclyAccessible: true\n',
  ),
  reports(
    'cfn-smuggle-line-separator-ends-a-comment',
    'U+2028 is a YAML 1.1 line break: the comment ends and a key follows that YAML 1.2 readers see as comment text.',
    '      Engine: mysql # see RUNBOOK-12\u2028      PubliclyAccessible: true\n',
  ),
  reports(
    'cfn-smuggle-lone-carriage-return-ends-a-comment',
    'A lone CR ends a YAML line, but line-splitting readers (and the yaml package inside comments) keep the key in the ' + 'comment.',
    '      Engine: mysql # owner: data\r      PubliclyAccessible: true\n',
  ),
  reports(
    'cfn-smuggle-escaped-key-in-double-quotes',
    '"Publicly\\x41ccessible" is the key PubliclyAccessible once the escape is decoded; a text search for the key ' + 'misses it.',
    `${REPORTS_ENGINE}      "Publicly\\x41ccessible": true\n`,
  ),
  reports(
    'cfn-smuggle-explicit-key-syntax',
    'The explicit "? key / : value" form puts the key and its value on separate lines, past readers that expect "key: ' + 'value".',
    `${REPORTS_ENGINE}      ? PubliclyAccessible\n      : true\n`,
  ),
  reports(
    'cfn-smuggle-tab-after-colon',
    'A tab after the colon is valid YAML; a reader matching "PubliclyAccessible: " with a space never sees the value.',
    `${REPORTS_ENGINE}      PubliclyAccessible:\ttrue\n`,
  ),
  database(
    {
      id: 'cfn-smuggle-merge-key-from-metadata-anchor',
      family: 'parser-agreement',
      expect: { guard: 'refuse' },
      why:
        'A YAML 1.1 merge key pulls PubliclyAccessible: true into the reports database from an anchor in ' + 'harmless-looking Metadata.',
      hidden: REPORTS_PUBLIC,
    },
    editing(
      [
        "AWSTemplateFormatVersion: '2010-09-09'\n",
        "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  Defaults: &reporting\n    PubliclyAccessible: true\n",
      ],
      ['      DBInstanceIdentifier: app-reports\n', '      <<: *reporting\n      DBInstanceIdentifier: app-reports\n'],
    ),
  ),
  serverless(
    {
      id: 'cfn-smuggle-json-escaped-duplicate-key',
      family: 'parser-agreement',
      expect: { guard: 'refuse' },
      why:
        'A second, escaped "SqsManagedSse\\u0045nabled" wins in JSON.parse: the queue reads as unencrypted while the ' + 'text says true.',
      hidden: { path: 'templates/serverless.json', at: ['Resources', 'EventsQueue', 'Properties', 'SqsManagedSseEnabled'], value: false },
    },
    editing(['"SqsManagedSseEnabled": true', '"SqsManagedSseEnabled": true,\n        "SqsManagedSse\\u0045nabled": false']),
  ),
  storage(
    {
      id: 'cfn-smuggle-second-yaml-document',
      family: 'parser-agreement',
      expect: { guard: 'refuse' },
      why:
        'A second YAML document redefines the logs bucket as public; readers disagree on which document counts, so it ' +
        'must be refused.',
    },
    (text) => `${text}---\nResources:\n  LogsBucket:\n    Type: AWS::S3::Bucket\n    Properties:\n` + `      AccessControl: PublicRead\n`,
  ),
  database(
    {
      id: 'cfn-smuggle-duplicate-yaml-key',
      family: 'parser-agreement',
      expect: { guard: 'refuse' },
      unparsable: true,
      why:
        'About unparsable text: a repeated PubliclyAccessible key is an error to the yaml package and "last wins" to ' + 'lenient parsers.',
    },
    editing(['      DeletionProtection: true\n', '      DeletionProtection: true\n      PubliclyAccessible: true\n']),
  ),
];
