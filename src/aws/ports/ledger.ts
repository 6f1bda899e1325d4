/** The ledger port in AWS: the DynamoDB table the stack names. */
import { dynamoDbLedger } from '../../ledger/dynamodb.js';
import { ENV, required } from '../environment.js';
import type { PortFactory } from '../context.js';

export const ledger = ((env: NodeJS.ProcessEnv) =>
  dynamoDbLedger({ tableName: required(env, ENV.ledgerTable) })) satisfies PortFactory<'ledger'>;
