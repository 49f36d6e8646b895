import type { RecordHandler } from '../../../fanout-consumer/consumer';
import { MessageFormatError } from '../../../fanout-consumer/envelope';
import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { isAwsError } from '../../../shared/aws/errors';
import type { WebSocketConnections } from '../../../shared/aws/websocket-connections';
import { HandlerError } from '../../../shared/errors';
import { operatorsKey } from '../shared/keys';
import { checkThresholdEvent, ThresholdExceededEvent } from '../telemetry-consumer/analytics-event';

export interface OperatorAlertSettings {
  readonly client: DynamoDb;
  readonly connectionsTable: string;
  readonly connections: WebSocketConnections;
  readonly onDelivered?: (outcome: { tenantId: string; deviceId: string; delivered: number; gone: number }) => void;
}

/** Some operator connections could not be reached for a reason other than having left: the message is retried. */
export class AlertDeliveryError extends HandlerError {
  constructor(failed: number, total: number, codes: string[]) {
    super('ALERT_DELIVERY_FAILED', `the alert reached ${total - failed} of ${total} operator connections; failed with ${[...new Set(codes)].join(', ')}`, true);
  }
}

/** Connections posted to at the same time. */
const POST_CONCURRENCY = 10;

/**
 * A threshold.exceeded event becomes a WebSocket alert for the operators of the event's
 * tenant, and only theirs: the connections come from `T#<tenant>#OPS`, the tenant from the
 * event (which the telemetry consumer took from the registry, never from a device's body).
 * A connection that has left (GoneException) loses its OPS item and is not a failure; any
 * other failed post fails the message so SQS delivers it again (operators already reached
 * may see the alert twice: alerts are at least once). Anything that is not such an event
 * fails alone, and reaches the queue's DLQ after maxReceiveCount receives.
 */
export function alertOperators(settings: OperatorAlertSettings): RecordHandler {
  return async (message) => {
    const checked = checkThresholdEvent(message.json(), message.attributes.tenantId?.value);
    if (typeof checked === 'string') throw new MessageFormatError(`message ${message.messageId} is not a threshold.exceeded event: ${checked}`);
    const event: ThresholdExceededEvent = checked;
    const pk = operatorsKey(event.tenantId);
    const connectionIds = await operatorConnections(settings, pk);
    const alert = JSON.stringify({ type: 'alert', tenantId: event.tenantId, deviceId: event.deviceId, metric: event.metric, value: event.value, ts: event.ts });
    let gone = 0;
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < connectionIds.length) {
        const connectionId = connectionIds[next++];
        try {
          await settings.connections.postToConnection(connectionId, alert);
        } catch (error) {
          if (!isAwsError(error, 'GoneException')) {
            failures.push(isAwsError(error) ? error.code : (error as Error)?.name ?? 'Error');
            continue;
          }
          gone++;
          await settings.client.deleteItem({ TableName: settings.connectionsTable, Key: { pk: { S: pk }, sk: { S: connectionId } } });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(POST_CONCURRENCY, connectionIds.length) }, worker));
    if (failures.length > 0) throw new AlertDeliveryError(failures.length, connectionIds.length, failures);
    settings.onDelivered?.({ tenantId: event.tenantId, deviceId: event.deviceId, delivered: connectionIds.length - gone, gone });
  };
}

/** Every connection id of one tenant's OPS partition (all pages). */
async function operatorConnections(settings: OperatorAlertSettings, pk: string): Promise<string[]> {
  const ids: string[] = [];
  let start: Record<string, { S?: string }> | undefined;
  do {
    const page = await settings.client.query({
      TableName: settings.connectionsTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: pk } },
      ProjectionExpression: 'sk',
      ...(start ? { ExclusiveStartKey: start } : {}),
    });
    for (const item of page.Items ?? []) if (item.sk?.S) ids.push(item.sk.S);
    start = page.LastEvaluatedKey;
  } while (start);
  return ids;
}
