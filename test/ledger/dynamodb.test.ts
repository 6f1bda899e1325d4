import { afterAll, beforeAll, describe } from 'vitest';
import { describeLedgerContract } from './ledger-contract.js';
import { motoInstalled, openOnMoto, startMoto, type Moto } from './dynamodb-moto.js';

const available = motoInstalled();
if (!available) console.log('skipping DynamoDB ledger contract: moto_server not found');

describe.skipIf(!available)('DynamoDB ledger on moto_server', () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  }, 30_000);
  afterAll(async () => {
    // Undefined when the server never started.
    if (moto !== undefined) await moto.stop();
  });

  // moto checks a condition and writes in separate steps across its request threads, so two racing
  // writes can both pass: the concurrency cases run on SQLite only; every other case checks each
  // condition's effect here.
  describeLedgerContract(
    'DynamoDB (moto)',
    openOnMoto(() => moto),
    { atomicUnderConcurrency: false },
  );
});
