/**
 * The CloudFormation templates every CloudFormation case starts from, as an application repository holds them:
 * storage, a database, network and IAM in YAML (short-form intrinsics, parameters, conditions, mappings) and the
 * serverless part in JSON. Deliberately imperfect where a finding would point: a logs bucket without public
 * access block or encryption, a reports database never encrypted, a queue key without rotation, a table
 * without point-in-time recovery.
 */
import { editing, type AdversarialCase, type CaseHead, type Change } from './case.js';

const STORAGE_YAML = `AWSTemplateFormatVersion: '2010-09-09'
Description: Application storage

Parameters:
  Environment:
    Type: String
    AllowedValues: [prod, staging]
    Default: prod
  KeepArchive:
    Type: String
    AllowedValues: ['true', 'false']
    Default: 'true'

Conditions:
  IsProd: !Equals [!Ref Environment, prod]
  CreateArchive: !Equals [!Ref KeepArchive, 'true']

Resources:
  DataKey:
    Type: AWS::KMS::Key
    Properties:
      Description: Key for the data bucket
      EnableKeyRotation: true
      KeyPolicy:
        Version: '2012-10-17'
        Statement:
          - Sid: AccountAdministration
            Effect: Allow
            Principal:
              AWS: !Sub arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: '*'

  DataBucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BucketName: !Sub acme-app-data-\${Environment}
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt DataKey.Arn
            BucketKeyEnabled: true
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
      VersioningConfiguration:
        Status: Enabled
      Tags:
        - Key: DataClass
          Value: confidential

  DataBucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref DataBucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: DenyInsecureTransport
            Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource:
              - !GetAtt DataBucket.Arn
              - !Sub '\${DataBucket.Arn}/*'
            Condition:
              Bool:
                aws:SecureTransport: 'false'

  ArchiveBucket:
    Type: AWS::S3::Bucket
    Condition: CreateArchive
    DeletionPolicy: Retain
    Properties:
      BucketName: !Sub acme-app-archive-\${Environment}
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true

  LogsBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub acme-app-logs-\${Environment}
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerEnforced

Outputs:
  DataBucketName:
    Value: !Ref DataBucket
`;

const DATABASE_YAML = `AWSTemplateFormatVersion: '2010-09-09'
Description: Application database

Parameters:
  DBInstanceClass:
    Type: String
    Default: db.t3.medium
  VpcId:
    Type: AWS::EC2::VPC::Id
  SubnetIds:
    Type: List<AWS::EC2::Subnet::Id>
  AppCidr:
    Type: String
    Default: 10.0.0.0/16
  EnableReplica:
    Type: String
    AllowedValues: ['true', 'false']
    Default: 'true'

Conditions:
  HasReplica: !Equals [!Ref EnableReplica, 'true']

Resources:
  DBSubnetGroup:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupDescription: Application database subnets
      SubnetIds: !Ref SubnetIds

  DBSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Database access from the application tier
      VpcId: !Ref VpcId
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 5432
          ToPort: 5432
          CidrIp: !Ref AppCidr

  Database:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      DBInstanceIdentifier: app-prod
      Engine: postgres
      EngineVersion: '16.3'
      DBInstanceClass: !Ref DBInstanceClass
      AllocatedStorage: '100'
      StorageEncrypted: true
      MasterUsername: app_admin
      ManageMasterUserPassword: true
      DBSubnetGroupName: !Ref DBSubnetGroup
      VPCSecurityGroups:
        - !GetAtt DBSecurityGroup.GroupId
      PubliclyAccessible: false
      DeletionProtection: true
      BackupRetentionPeriod: 14

  Replica:
    Type: AWS::RDS::DBInstance
    Condition: HasReplica
    Properties:
      SourceDBInstanceIdentifier: !Ref Database
      DBInstanceClass: !Ref DBInstanceClass
      PubliclyAccessible: false

  ReportsDatabase:
    Type: AWS::RDS::DBInstance
    DeletionPolicy: Snapshot
    UpdateReplacePolicy: Snapshot
    Properties:
      DBInstanceIdentifier: app-reports
      Engine: mysql
      EngineVersion: '8.0'
      DBInstanceClass: db.t3.small
      AllocatedStorage: '20'
      MasterUsername: reports
      ManageMasterUserPassword: true
      DBSubnetGroupName: !Ref DBSubnetGroup
      VPCSecurityGroups:
        - !GetAtt DBSecurityGroup.GroupId
`;

const NETWORK_YAML = `AWSTemplateFormatVersion: '2010-09-09'
Description: Application network edge

Parameters:
  VpcId:
    Type: AWS::EC2::VPC::Id
  PublicSubnets:
    Type: List<AWS::EC2::Subnet::Id>
  PrivateSubnets:
    Type: List<AWS::EC2::Subnet::Id>
  AdminCidr:
    Type: String
    Default: 10.20.0.0/16
  AmiId:
    Type: AWS::EC2::Image::Id
    Default: ami-0abcdef1234567890

Resources:
  WebSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Public HTTPS to the load balancer
      VpcId: !Ref VpcId
      SecurityGroupIngress:
        - Description: HTTPS from anywhere
          IpProtocol: tcp
          FromPort: 443
          ToPort: 443
          CidrIp: 0.0.0.0/0

  BastionSecurityGroup:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: SSH from the office
      VpcId: !Ref VpcId
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 22
          ToPort: 22
          CidrIp: !Ref AdminCidr

  AppLaunchTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Ref AmiId
        InstanceType: t3.small
        MetadataOptions:
          HttpEndpoint: enabled
          HttpTokens: required
        NetworkInterfaces:
          - DeviceIndex: 0
            AssociatePublicIpAddress: false
            Groups:
              - !GetAtt WebSecurityGroup.GroupId
        UserData:
          Fn::Base64: |
            #!/bin/bash
            systemctl start app

  PublicLoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internet-facing
      SecurityGroups:
        - !Ref WebSecurityGroup
      Subnets: !Ref PublicSubnets

  InternalLoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internal
      Subnets: !Ref PrivateSubnets
`;

const IAM_YAML = `AWSTemplateFormatVersion: '2010-09-09'
Description: Application roles and policies

Parameters:
  Environment:
    Type: String
    AllowedValues: [prod, staging]
    Default: prod

Conditions:
  IsProd: !Equals [!Ref Environment, prod]

Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app-worker
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: worker
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: ReadData
                Effect: Allow
                Action:
                  - s3:GetObject
                  - s3:ListBucket
                Resource:
                  - !Sub arn:\${AWS::Partition}:s3:::acme-app-data-\${Environment}
                  - !Sub arn:\${AWS::Partition}:s3:::acme-app-data-\${Environment}/*
              - Sid: DecryptViaS3
                Effect: Allow
                Action: kms:Decrypt
                Resource: arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8f1e-2d3c4b5a6978
                Condition:
                  StringEquals:
                    kms:ViaService: !Sub s3.\${AWS::Region}.amazonaws.com

  DeployPolicy:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: app-deploy
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action:
              - lambda:UpdateFunctionCode
              - lambda:GetFunction
            Resource: !Sub arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:app-worker
          - Effect: Deny
            Action: iam:*
            Resource: '*'

  AnalyticsPolicy:
    Type: AWS::IAM::ManagedPolicy
    Condition: IsProd
    Properties:
      ManagedPolicyName: app-analytics
      Roles:
        - !Ref WorkerRole
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Action: s3:*
            Resource: !Sub arn:\${AWS::Partition}:s3:::acme-app-data-\${Environment}/exports/*
`;

const SERVERLESS_JSON = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "Application workers",
  "Resources": {
    "QueueKey": {
      "Type": "AWS::KMS::Key",
      "Properties": {
        "Description": "Key for the jobs queue",
        "EnableKeyRotation": false,
        "KeyPolicy": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "AccountAdministration",
              "Effect": "Allow",
              "Principal": { "AWS": { "Fn::Sub": "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" } },
              "Action": "kms:*",
              "Resource": "*"
            }
          ]
        }
      }
    },
    "JobsQueue": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "QueueName": "app-jobs",
        "KmsMasterKeyId": { "Ref": "QueueKey" }
      }
    },
    "EventsQueue": {
      "Type": "AWS::SQS::Queue",
      "Properties": {
        "QueueName": "app-events",
        "SqsManagedSseEnabled": true
      }
    },
    "SessionsTable": {
      "Type": "AWS::DynamoDB::Table",
      "Properties": {
        "TableName": "app-sessions",
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{ "AttributeName": "id", "AttributeType": "S" }],
        "KeySchema": [{ "AttributeName": "id", "KeyType": "HASH" }],
        "SSESpecification": { "SSEEnabled": true }
      }
    },
    "WorkerRole": {
      "Type": "AWS::IAM::Role",
      "Properties": {
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            { "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }
          ]
        },
        "Policies": [
          {
            "PolicyName": "jobs",
            "PolicyDocument": {
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Effect": "Allow",
                  "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                  "Resource": { "Fn::GetAtt": ["JobsQueue", "Arn"] }
                }
              ]
            }
          }
        ]
      }
    },
    "WorkerFunction": {
      "Type": "AWS::Lambda::Function",
      "Properties": {
        "FunctionName": "app-worker",
        "Runtime": "python3.12",
        "Handler": "app.handler",
        "Role": { "Fn::GetAtt": ["WorkerRole", "Arn"] },
        "Timeout": 30,
        "Code": { "S3Bucket": "acme-artifacts", "S3Key": "worker/1.4.2.zip" },
        "Environment": { "Variables": { "QUEUE_URL": { "Ref": "JobsQueue" } } }
      }
    }
  }
}
`;

/** Lines of the templates that many patches edit or anchor on. */
export const LOGS_OWNERSHIP = '      BucketName: !Sub acme-app-logs-${Environment}\n';
export const BASTION_CIDR = '          CidrIp: !Ref AdminCidr\n';
export const REPORTS_STORAGE = "      AllocatedStorage: '20'\n";

/** serverless.json with `resources` (JSON members, each followed by a comma) added first in Resources. */
export function jsonResources(resources: string): (before: string) => string {
  return editing(['  "Resources": {\n', `  "Resources": {\n${resources}`]);
}

/** A CloudFormation case over one template (`path` names it): the template before and after `change`. */
export function cfnCase(c: CaseHead, path: string, before: string, change: Change): AdversarialCase {
  const after = typeof change === 'string' ? change : change(before);
  return { ...c, kind: 'cloudformation', files: [{ path, before, after }] };
}

/** A builder of cases over one template, under the path its repository gives it. */
const over =
  (path: string, template: string) =>
  (c: CaseHead, change: Change): AdversarialCase =>
    cfnCase(c, path, template, change);

export const storage = over('templates/storage.yaml', STORAGE_YAML);
export const database = over('templates/database.yaml', DATABASE_YAML);
export const network = over('templates/network.yaml', NETWORK_YAML);
export const iam = over('templates/iam.yaml', IAM_YAML);
export const serverless = over('templates/serverless.json', SERVERLESS_JSON);
