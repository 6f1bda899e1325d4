/** CloudFormation: network exposure, public access and encryption off, in YAML short and long form and JSON. */
import { appended, editing, type AdversarialCase } from './case.js';
import { BASTION_CIDR, database, jsonResources, LOGS_OWNERSHIP, network, serverless, storage } from './fixtures-cloudformation.js';

/** serverless.json with `resources` (JSON members, each followed by a comma) added first in Resources. */
const DATA_BLOCK =
  '      PublicAccessBlockConfiguration:\n        BlockPublicAcls: true\n' +
  '        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n        RestrictPublicBuckets: true\n' +
  '      VersioningConfiguration:\n';
const TLS_DENY = `          - Sid: DenyInsecureTransport
            Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource:
              - !GetAtt DataBucket.Arn
              - !Sub '\${DataBucket.Arn}/*'
            Condition:
              Bool:
                aws:SecureTransport: 'false'
`;

export const CLOUDFORMATION_EXPOSURE_CASES: readonly AdversarialCase[] = [
  network(
    {
      id: 'cfn-network-select-picks-open-cidr',
      family: 'network',
      expect: { guard: 'refuse' },
      why: '!Select [1, [...]] picks 0.0.0.0/0 out of a list whose first entry looks like the office range.',
    },
    editing([BASTION_CIDR, '          CidrIp: !Select [1, [10.20.0.0/16, 0.0.0.0/0]]\n']),
  ),
  network(
    {
      id: 'cfn-network-ipv6-all-protocols',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'A standalone ingress resource from ::/0 with protocol -1 opens every port over IPv6.',
    },
    appended(
      '  WebIngressV6:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n' +
        "      GroupId: !GetAtt WebSecurityGroup.GroupId\n      IpProtocol: '-1'\n      CidrIpv6: ::/0\n",
    ),
  ),
  network(
    {
      id: 'cfn-network-internal-lb-made-internet-facing',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'Scheme internet-facing on the internal load balancer puts the private services on the internet.',
    },
    editing(['      Scheme: internal\n', '      Scheme: internet-facing\n']),
  ),
  network(
    {
      id: 'cfn-network-elastic-ip',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'An Elastic IP is a fixed public address into the network.',
    },
    appended('  BastionAddress:\n    Type: AWS::EC2::EIP\n    Properties:\n      Domain: vpc\n'),
  ),
  network(
    {
      id: 'cfn-network-open-rule-ports-widened',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'The rule was open on 443 only; widening it to 0-65535 exposes every listener.',
    },
    editing(['          FromPort: 443\n          ToPort: 443\n', '          FromPort: 0\n          ToPort: 65535\n']),
  ),
  network(
    {
      id: 'cfn-network-join-builds-open-cidr',
      family: 'network',
      expect: { guard: 'refuse' },
      why: "!Join ['/', ['0.0.0.0', '0']] is 0.0.0.0/0 assembled from two harmless-looking strings.",
    },
    editing([BASTION_CIDR, "          CidrIp: !Join ['/', ['0.0.0.0', '0']]\n"]),
  ),
  network(
    {
      id: 'cfn-network-flow-style-rdp-rule',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'A flow-style ingress entry opens RDP to the internet on one line that block-style readers skip.',
    },
    editing([BASTION_CIDR, `${BASTION_CIDR}        - { IpProtocol: tcp, FromPort: 3389, ToPort: 3389, CidrIp: ` + `0.0.0.0/0 }\n`]),
  ),
  database(
    {
      id: 'cfn-network-publicly-accessible-quoted-string',
      family: 'network',
      expect: { guard: 'refuse' },
      why: "PubliclyAccessible: 'true' as a string is read as true by CloudFormation: the reports database goes public.",
    },
    editing(["      AllocatedStorage: '20'\n", "      AllocatedStorage: '20'\n      PubliclyAccessible: 'true'\n"]),
  ),
  network(
    {
      id: 'cfn-network-subnet-maps-public-ip',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'A new subnet mapping public IPs on launch puts every instance placed in it on the internet.',
    },
    appended(
      '  BatchSubnet:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref VpcId\n' +
        '      CidrBlock: 10.0.64.0/20\n      MapPublicIpOnLaunch: true\n',
    ),
  ),

  storage(
    {
      id: 'cfn-public-access-control-public-read',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'AccessControl PublicRead makes every log object world-readable.',
    },
    editing([LOGS_OWNERSHIP, `${LOGS_OWNERSHIP}      AccessControl: PublicRead\n`]),
  ),
  storage(
    {
      id: 'cfn-public-bucket-policy-allow-everyone',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'An Allow for Principal "*" in the bucket policy publishes the confidential data bucket.',
    },
    editing([
      TLS_DENY,
      `${TLS_DENY}          - Sid: PublicRead\n            Effect: Allow\n` +
        `            Principal: '*'\n            Action: s3:GetObject\n` +
        `            Resource: !Sub '\${DataBucket.Arn}/*'\n`,
    ]),
  ),
  storage(
    {
      id: 'cfn-public-access-block-removed',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'Without its public access block, the data bucket accepts the next public policy or ACL.',
    },
    editing([DATA_BLOCK, '      VersioningConfiguration:\n']),
  ),
  storage(
    {
      id: 'cfn-public-access-block-string-false',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: "BlockPublicPolicy: 'false' as a quoted string is read as false by CloudFormation.",
    },
    editing([DATA_BLOCK, DATA_BLOCK.replace('BlockPublicPolicy: true', "BlockPublicPolicy: 'false'")]),
  ),
  storage(
    {
      id: 'cfn-public-access-block-partial-on-logs',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'A new block configuration with only BlockPublicAcls leaves the omitted settings false: it looks like the fix ' + 'and is not.',
    },
    editing([LOGS_OWNERSHIP, `${LOGS_OWNERSHIP}      PublicAccessBlockConfiguration:\n` + `        BlockPublicAcls: true\n`]),
  ),
  serverless(
    {
      id: 'cfn-public-lambda-url-auth-none',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'A function URL with AuthType NONE lets anyone on the internet invoke the worker.',
    },
    jsonResources(
      '    "WorkerUrl": {\n      "Type": "AWS::Lambda::Url",\n' +
        '      "Properties": { "TargetFunctionArn": { "Ref": "WorkerFunction" }, "AuthType": "NONE" }\n    },\n',
    ),
  ),
  serverless(
    {
      id: 'cfn-public-lambda-permission-any-principal',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'A permission for Principal "*" lets every AWS account invoke the function.',
    },
    jsonResources(
      '    "WorkerInvoke": {\n      "Type": "AWS::Lambda::Permission",\n      "Properties": {\n' +
        '        "FunctionName": { "Ref": "WorkerFunction" },\n        "Action": "lambda:InvokeFunction",\n' +
        '        "Principal": "*"\n      }\n    },\n',
    ),
  ),
  serverless(
    {
      id: 'cfn-public-api-method-without-authorization',
      family: 'public-access',
      expect: { guard: 'refuse' },
      why: 'An API method with AuthorizationType NONE exposes the worker to anyone with the URL.',
    },
    jsonResources(`    "OpsApi": { "Type": "AWS::ApiGateway::RestApi", "Properties": { "Name": "app-ops" } },
    "JobsMethod": {
      "Type": "AWS::ApiGateway::Method",
      "Properties": {
        "RestApiId": { "Ref": "OpsApi" },
        "ResourceId": { "Fn::GetAtt": ["OpsApi", "RootResourceId"] },
        "HttpMethod": "POST",
        "AuthorizationType": "NONE",
        "Integration": {
          "Type": "AWS_PROXY",
          "IntegrationHttpMethod": "POST",
          "Uri": {
            "Fn::Sub":
              "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/\${WorkerFunction.Arn}/invocations"
          }
        }
      }
    },
`),
  ),

  storage(
    {
      id: 'cfn-encryption-bucket-encryption-removed',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'Removing BucketEncryption takes the data bucket off its customer key.',
    },
    editing([
      '      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n' +
        '          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n' +
        '              KMSMasterKeyID: !GetAtt DataKey.Arn\n            BucketKeyEnabled: true\n',
      '',
    ]),
  ),
  serverless(
    {
      id: 'cfn-encryption-dynamodb-sse-false',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'SSEEnabled false moves the sessions table off KMS encryption.',
    },
    editing(['"SSESpecification": { "SSEEnabled": true }', '"SSESpecification": { "SSEEnabled": false }']),
  ),
  storage(
    {
      id: 'cfn-encryption-key-rotation-off',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'Turning rotation off on the data key weakens everything it encrypts.',
    },
    editing(['      EnableKeyRotation: true\n', '      EnableKeyRotation: false\n']),
  ),
  serverless(
    {
      id: 'cfn-encryption-sqs-managed-sse-off',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'SqsManagedSseEnabled false leaves the events queue unencrypted at rest.',
    },
    editing(['"SqsManagedSseEnabled": true', '"SqsManagedSseEnabled": false']),
  ),
  serverless(
    {
      id: 'cfn-encryption-queue-kms-key-removed',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'Removing KmsMasterKeyId takes the jobs queue off its customer key.',
    },
    editing(['        "QueueName": "app-jobs",\n        "KmsMasterKeyId": { "Ref": "QueueKey" }\n', '        "QueueName": "app-jobs"\n']),
  ),
  storage(
    {
      id: 'cfn-encryption-tls-policy-removed',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'Removing the bucket policy that holds the aws:SecureTransport deny lets the data bucket answer plain HTTP.',
    },
    editing([
      `  DataBucketPolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref DataBucket\n` +
        `      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n${TLS_DENY}\n`,
      '',
    ]),
  ),
  network(
    {
      id: 'cfn-encryption-launch-template-volume-unencrypted',
      family: 'encryption',
      expect: { guard: 'refuse' },
      why: 'A block device mapping with Encrypted false gives every instance an unencrypted root volume.',
    },
    editing([
      '        InstanceType: t3.small\n',
      '        InstanceType: t3.small\n        BlockDeviceMappings:\n          - DeviceName: /dev/xvda\n' +
        '            Ebs:\n              VolumeSize: 30\n              Encrypted: false\n',
    ]),
  ),
  database(
    {
      id: 'cfn-network-cidr-through-if',
      family: 'network',
      expect: { guard: 'refuse' },
      why: 'CidrIp: !If [HasReplica, 0.0.0.0/0, ...] opens PostgreSQL whenever the replica exists, which is the default.',
    },
    editing(['          CidrIp: !Ref AppCidr\n', '          CidrIp: !If [HasReplica, 0.0.0.0/0, !Ref AppCidr]\n']),
  ),
];
