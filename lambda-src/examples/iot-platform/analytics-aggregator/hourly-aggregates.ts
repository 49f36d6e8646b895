import type { RecordHandler } from '../../../fanout-consumer/consumer';
import { MessageFormatError } from '../../../fanout-consumer/envelope';
import type { DynamoDb } from '../../../shared/aws/dynamodb';
import { aggregateSortKey, deviceKey } from '../shared/keys';
import { checkThresholdEvent } from '../telemetry-consumer/analytics-event';

export interface HourlyAggregateSettings {
  readonly client: DynamoDb;
  readonly readingsTable: string;
  readonly onCounted?: (aggregate: { tenantId: string; deviceId: string; hour: string }) => void;
}

/**
 * Each analytics event adds one to its device's counter for the event's hour
 * (`AGG#<yyyy-mm-ddThh>` beside the device's readings) and keeps the last value seen. ADD
 * needs no read and no condition, so concurrent events never lose an update; a message SQS
 * delivers twice is counted twice (the counters are at least once). An event that is not a
 * valid threshold.exceeded event fails alone and reaches the DLQ after maxReceiveCount receives.
 */
export function countHourlyAggregates(settings: HourlyAggregateSettings): RecordHandler {
  return async (message) => {
    const event = checkThresholdEvent(message.json(), message.attributes.tenantId?.value);
    if (typeof event === 'string') throw new MessageFormatError(`message ${message.messageId} is not a threshold.exceeded event: ${event}`);
    const sk = aggregateSortKey(Date.parse(event.ts));
    await settings.client.updateItem({
      TableName: settings.readingsTable,
      Key: { pk: { S: deviceKey(event.tenantId, event.deviceId) }, sk: { S: sk } },
      UpdateExpression: 'ADD #count :one SET #lastValue = :value, #lastMetric = :metric, #lastTs = :ts, #tenantId = :tenantId, #deviceId = :deviceId',
      ExpressionAttributeNames: {
        '#count': 'count', '#lastValue': 'lastValue', '#lastMetric': 'lastMetric', '#lastTs': 'lastTs', '#tenantId': 'tenantId', '#deviceId': 'deviceId',
      },
      ExpressionAttributeValues: {
        ':one': { N: '1' },
        ':value': { N: String(event.value) },
        ':metric': { S: event.metric },
        ':ts': { S: event.ts },
        ':tenantId': { S: event.tenantId },
        ':deviceId': { S: event.deviceId },
      },
    });
    settings.onCounted?.({ tenantId: event.tenantId, deviceId: event.deviceId, hour: sk.slice('AGG#'.length) });
  };
}
