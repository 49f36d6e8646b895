import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { deviceRegistry } from './device-registry';
import { readingsWriter } from './readings-writer';
import { telemetryBatch } from './telemetry-batch';
import {
  parseTelemetryConsumerSettings, TELEMETRY_CONSUMER_SETTINGS_VARIABLE, TelemetryConsumerSettings,
} from '../../../../examples/iot-platform/telemetry-consumer-settings';
import { dynamoDb } from '../../../shared/aws/dynamodb';
import { sns } from '../../../shared/aws/sns';
import { sqs } from '../../../shared/aws/sqs';
import { JsonConfig } from '../../../shared/config';
import { createHandler } from '../../../shared/handler';

// The IoT platform's telemetry consumer (Kinesis event source with ReportBatchItemFailures).
// Settings: examples/iot-platform/telemetry-consumer-settings.ts. This file only wires.
const settings = parseTelemetryConsumerSettings(JsonConfig.fromEnvironment<TelemetryConsumerSettings>(TELEMETRY_CONSUMER_SETTINGS_VARIABLE));

export const handler = createHandler<KinesisStreamEvent, KinesisStreamBatchResponse>('telemetry-consumer', ({ logger, metrics }) => {
  const dynamo = dynamoDb();
  const queue = sqs();
  const topic = sns();
  const consume = telemetryBatch({
    lookupDevice: deviceRegistry({ client: dynamo, tableName: settings.registryTable, indexName: settings.bySubIndex, now: Date.now }),
    writeReadings: readingsWriter({ client: dynamo, tableName: settings.readingsTable, now: Date.now }),
    sendRejection: async (body) => {
      await queue.sendMessage({ QueueUrl: settings.rejectedQueueUrl, MessageBody: body });
    },
    publishEvent: async (message, attributes) => {
      await topic.publish({ TopicArn: settings.analyticsTopicArn, Message: message, MessageAttributes: attributes });
    },
    temperatureThreshold: settings.temperatureThreshold,
    now: Date.now,
    onFailure: (record) => logger.warn('record reported for retry', record),
  });

  return async (event) => {
    const { response, summary } = await consume(event);
    logger.info('batch processed', { ...summary, reported: response.batchItemFailures.length });
    metrics.addMetric('ReadingsWritten', MetricUnit.Count, summary.readingsWritten);
    metrics.addMetric('RecordsReported', MetricUnit.Count, response.batchItemFailures.length);
    metrics.addMetric('ThresholdEventsPublished', MetricUnit.Count, summary.eventsPublished);
    // One data point per rejection code, with the code as its dimension (alarms per reason).
    for (const [code, count] of Object.entries(summary.rejected)) {
      const single = metrics.singleMetric();
      single.addDimension('code', code);
      single.addMetric('TelemetryRejected', MetricUnit.Count, count);
    }
    return response;
  };
});
