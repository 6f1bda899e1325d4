/**
 * What cloudmend keeps: the ledger table, the artifacts bucket, the secrets it reads, and the key
 * that encrypts them. Data survives `cdk destroy` unless the removal policy says otherwise.
 */
import { Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { LEDGER_TABLE_SCHEMA } from '../src/ledger/dynamodb-schema.js';
import { acknowledgeWildcard, arnRef } from './nag.js';

export interface CloudmendDataProps {
  readonly removalPolicy: RemovalPolicy;
  /** How long patches and sandbox inputs are kept. */
  readonly artifactRetention: Duration;
}

const attribute = (a: { readonly name: string }): dynamodb.Attribute => ({ name: a.name, type: dynamodb.AttributeType.STRING });

/** A secret created holding `{}`, for the operator to fill (README, "Secrets"); never generated. */
function emptySecret(
  scope: Construct,
  id: string,
  description: string,
  key: kms.IKey,
  removalPolicy: RemovalPolicy,
): secretsmanager.Secret {
  const secret = new secretsmanager.Secret(scope, id, {
    description,
    encryptionKey: key,
    secretStringValue: SecretValue.unsafePlainText('{}'),
    removalPolicy,
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'A GitHub App private key and Slack tokens are issued by GitHub and Slack; Secrets Manager cannot rotate them. Rotate them there and put the new value (README, "Secrets").',
  });
  return secret;
}

export class CloudmendData extends Construct {
  readonly key: kms.Key;
  readonly ledger: dynamodb.Table;
  readonly artifacts: s3.Bucket;
  readonly githubSecret: secretsmanager.Secret;
  readonly slackSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: CloudmendDataProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'cloudmend: encrypts the ledger, artifacts, secrets, queues and alarm topic',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    // Table, not TableV2: TableV2 cannot render a customer managed key in a region-agnostic stack.
    this.ledger = new dynamodb.Table(this, 'Ledger', {
      partitionKey: attribute(LEDGER_TABLE_SCHEMA.partitionKey),
      sortKey: attribute(LEDGER_TABLE_SCHEMA.sortKey),
      timeToLiveAttribute: LEDGER_TABLE_SCHEMA.timeToLiveAttribute,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      deletionProtection: props.removalPolicy === RemovalPolicy.RETAIN,
      removalPolicy: props.removalPolicy,
    });
    for (const index of LEDGER_TABLE_SCHEMA.globalSecondaryIndexes) {
      this.ledger.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    this.artifacts = new s3.Bucket(this, 'Artifacts', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'expire-artifacts', expiration: props.artifactRetention, abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: false,
    });
    Validations.of(this.artifacts).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds short-lived patches that only cloudmend roles read and write; object access is auditable with CloudTrail data events, which an access-log bucket would only duplicate.',
    });
    Validations.of(this.key).acknowledge({ id: 'AwsSolutions-KMS5', reason: 'Rotation is enabled.' });
    this.githubSecret = emptySecret(
      this,
      'GitHubSecret',
      'cloudmend: GitHub App credentials {"appId","privateKey","installationId"} or {"token"}',
      this.key,
      props.removalPolicy,
    );
    this.slackSecret = emptySecret(this, 'SlackSecret', 'cloudmend: Slack {"botToken","signingSecret"}', this.key, props.removalPolicy);
  }

  /**
   * Read and write the ledger: the item and index actions the DynamoDB adapter uses, on the table
   * and its two indexes by name, and the key's encrypt and decrypt. No scans, no deletes.
   */
  grantLedger(grantee: iam.IGrantable): iam.Grant {
    const tableArn = this.ledger.tableArn;
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem', 'dynamodb:Query'],
      resourceArns: [tableArn, ...LEDGER_TABLE_SCHEMA.globalSecondaryIndexes.map((index) => `${tableArn}/index/${index.indexName}`)],
    });
    this.grantKey(grantee, 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey');
    return grant;
  }

  /**
   * Objects under `prefix` of the artifacts bucket: read, write, or both. Never list or delete.
   * The wildcard is the object key, named at run time; `scope` records why it is acceptable.
   */
  grantArtifacts(
    grantee: iam.IGrantable,
    prefix: string,
    access: 'read' | 'write' | 'readwrite',
    scope: Construct,
    reason: string,
  ): iam.Grant {
    const actions = [...(access === 'write' ? [] : ['s3:GetObject']), ...(access === 'read' ? [] : ['s3:PutObject'])];
    const grant = iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.artifacts.arnForObjects(`${prefix}*`)] });
    this.grantKey(grantee, ...(access === 'write' ? [] : ['kms:Decrypt']), ...(access === 'read' ? [] : ['kms:GenerateDataKey']));
    acknowledgeWildcard(scope, `${arnRef(this.artifacts)}/${prefix}*`, reason);
    return grant;
  }

  private grantKey(grantee: iam.IGrantable, ...actions: string[]): void {
    if (actions.length > 0) iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [this.key.keyArn] });
  }
}
