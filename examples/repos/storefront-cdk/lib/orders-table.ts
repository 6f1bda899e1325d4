import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

export interface OrdersTableProps {
  /** The physical table name the order service is configured with. */
  readonly tableName: string;
}

/** Orders by customer, with a lookup by status for the fulfilment workers. */
export class OrdersTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: OrdersTableProps) {
    super(scope, id);

    this.table = new dynamodb.Table(this, 'Table', {
      tableName: props.tableName,
      partitionKey: { name: 'customerId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'orderId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table.addGlobalSecondaryIndex({
      indexName: 'by-status',
      partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'placedAt', type: dynamodb.AttributeType.STRING },
    });
  }
}
