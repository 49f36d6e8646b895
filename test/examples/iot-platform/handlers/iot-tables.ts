import type { LocalDynamo } from '../../../helpers/dynalite';

// The IoT platform's table schemas (examples/iot-platform/data-tables.ts) as dynalite
// tables, for every handler harness: one definition, so the tests cannot drift apart.

const PAIR = [{ AttributeName: 'pk', KeyType: 'HASH' as const }, { AttributeName: 'sk', KeyType: 'RANGE' as const }];
const string = (AttributeName: string) => ({ AttributeName, AttributeType: 'S' as const });

/** The device registry: pk/sk with its `bySub` and `byTenant` indexes. */
export async function createRegistryTable(dynamo: LocalDynamo, tableName: string): Promise<void> {
  await dynamo.createTable({
    TableName: tableName,
    KeySchema: PAIR,
    AttributeDefinitions: [string('pk'), string('sk'), string('sub'), string('tenantId'), string('deviceId')],
    GlobalSecondaryIndexes: [
      { IndexName: 'bySub', KeySchema: [{ AttributeName: 'sub', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
      {
        IndexName: 'byTenant',
        KeySchema: [{ AttributeName: 'tenantId', KeyType: 'HASH' }, { AttributeName: 'deviceId', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

/** A pk/sk table without indexes: the readings and the connections tables. */
export async function createPairTable(dynamo: LocalDynamo, tableName: string): Promise<void> {
  await dynamo.createTable({ TableName: tableName, KeySchema: PAIR, AttributeDefinitions: [string('pk'), string('sk')], BillingMode: 'PAY_PER_REQUEST' });
}
