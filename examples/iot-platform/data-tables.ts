import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** Index names the handlers' settings carry. */
export const BY_SUB_INDEX = 'bySub';
export const BY_TENANT_INDEX = 'byTenant';

/**
 * The platform's three tables. Every key that belongs to a tenant starts with
 * `T#<tenantId>#` (lambda-src/examples/iot-platform/shared/keys.ts), which is what the tenant
 * data role's `dynamodb:LeadingKeys` condition admits. On-demand, point-in-time recovery,
 * destroyed with the stack.
 */
export class IotTables extends Construct {
  /** Devices: `T#<tenant>#D#<device>` / `META`, indexed by Cognito subject and by tenant. */
  public readonly registry: dynamodb.Table;
  /** Readings (`R#<epoch ms>#<n>`) and hourly aggregates (`AGG#<hour>`) per device; expire after 7 days. */
  public readonly readings: dynamodb.Table;
  /** WebSocket connections, device presence and each tenant's operator connections; expire with TTL. */
  public readonly connections: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const table = (name: string, ttl: boolean) => new dynamodb.Table(this, name, {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: ttl ? 'ttl' : undefined,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.registry = table('DeviceRegistry', false);
    this.registry.addGlobalSecondaryIndex({
      indexName: BY_SUB_INDEX,
      partitionKey: { name: 'sub', type: dynamodb.AttributeType.STRING },
    });
    this.registry.addGlobalSecondaryIndex({
      indexName: BY_TENANT_INDEX,
      partitionKey: { name: 'tenantId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'deviceId', type: dynamodb.AttributeType.STRING },
    });
    this.readings = table('Readings', true);
    this.connections = table('Connections', true);
  }
}
