import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { OrdersTable } from './orders-table';

export interface StorefrontStackProps extends StackProps {
  readonly domainName: string;
}

export class StorefrontStack extends Stack {
  constructor(scope: Construct, id: string, props: StorefrontStackProps) {
    super(scope, id, props);

    // Product images, served through the CDN in front of shop.acme.example.
    // Only ACLs were blocked while the bucket served images itself; the CDN reads it with origin access control now.
    const media = new s3.Bucket(this, 'ProductMedia', {
      bucketName: 'acme-storefront-media',
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    media.addLifecycleRule({ id: 'expire-old-renditions', prefix: 'renditions/', expiration: Duration.days(90) });

    // Encrypts customer addresses before they are written to the orders table.
    const addressKey = new kms.Key(this, 'AddressKey', {
      description: `Customer addresses for ${props.domainName}`,
      pendingWindow: Duration.days(30),
    });
    addressKey.addAlias('alias/storefront-addresses');

    new OrdersTable(this, 'Orders', { tableName: 'acme-storefront-orders' });
  }
}
