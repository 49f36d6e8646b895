import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { ALERT_NOTIFIER_SETTINGS_VARIABLE, AlertNotifierSettings } from './alert-notifier-settings';
import { ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE, AnalyticsAggregatorSettings } from './analytics-aggregator-settings';
import { BY_SUB_INDEX, IotTables } from './data-tables';
import { grantConnectionManagement, iotFunction, queryIndex } from './iot-function';
import { TELEMETRY_CONSUMER_SETTINGS_VARIABLE, TelemetryConsumerSettings } from './telemetry-consumer-settings';
import { FanoutQueue, FanoutTopic } from '../../src';

export interface TelemetryPipelineProps {
  readonly tables: IotTables;
  readonly encryptionKey: kms.IKey;
  readonly alarmTopic: sns.ITopic;
}

/** Records that keep failing are dead-lettered after 3 retries or 1 hour. */
const STREAM_RETRY_ATTEMPTS = 3;

const STREAM_CONSUMER_REASON = 'Invoked only by the Kinesis event source mapping: failed batches are bisected, retried 3 times, then their ' +
  'metadata goes to the stream-failure queue (which alarms). There are no asynchronous invocations to dead-letter.';
const QUEUE_CONSUMER_REASON = 'Invoked only by an SQS event source mapping: a failed message returns to its queue and moves to the ' +
  'queue\'s dead-letter queue after 3 receives (which alarms). There are no asynchronous invocations to dead-letter.';

/**
 * The telemetry data path: an on-demand Kinesis stream (written by the HTTP API, no Lambda
 * in the hot path) read by the telemetry consumer, which writes readings under the
 * registry's tenant, sets rejected records aside with their reason, and publishes threshold
 * events to a FanoutTopic read by the alert notifier and the analytics aggregator.
 */
export class TelemetryPipeline extends Construct {
  public readonly stream: kinesis.Stream;
  public readonly consumer: lambda.Function;
  /** Rejected records (malformed, unknown device, mismatch) with the payload and the reason, 14 days. */
  public readonly rejectedQueue: sqs.Queue;
  /** Metadata of batches that failed every retry (Kinesis keeps the records for 24 hours). */
  public readonly streamFailureQueue: sqs.Queue;
  public readonly analyticsEvents: FanoutTopic;
  public readonly alertQueue: FanoutQueue;
  public readonly analyticsQueue: FanoutQueue;
  public readonly alertNotifier: lambda.Function;
  public readonly analyticsAggregator: lambda.Function;

  constructor(scope: Construct, id: string, props: TelemetryPipelineProps) {
    super(scope, id);
    const { tables, encryptionKey } = props;
    const removalPolicy = RemovalPolicy.DESTROY;
    this.stream = new kinesis.Stream(this, 'TelemetryStream', {
      streamMode: kinesis.StreamMode.ON_DEMAND,
      retentionPeriod: Duration.hours(24),
      // The AWS-managed key: no per-request KMS charge for producers and consumers at scale.
      encryption: kinesis.StreamEncryption.MANAGED,
      removalPolicy,
    });
    // SQS-managed encryption: the Lambda service and the consumer write to these queues
    // without any KMS permission (a customer key would need kms wildcards for SqsDlq).
    const queue = (name: string) => new sqs.Queue(this, name, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      removalPolicy,
    });
    this.rejectedQueue = queue('RejectedTelemetry');
    this.streamFailureQueue = queue('StreamFailures');
    for (const q of [this.rejectedQueue, this.streamFailureQueue]) {
      const reason = 'This queue is itself where failed or rejected telemetry ends up, with an alarm on its depth; nothing consumes it automatically ' +
        '(an operator inspects and replays it, see the runbook), so there is no consumer failure to redrive.';
      NagSuppressions.addResourceSuppressions(q, [{ id: 'AwsSolutions-SQS3', reason }, { id: 'Serverless-SQSRedrivePolicy', reason }]);
    }
    this.analyticsEvents = new FanoutTopic(this, 'AnalyticsEvents', { alarmTopic: props.alarmTopic, removalPolicy });

    this.consumer = iotFunction(this, 'TelemetryConsumer', {
      bundle: 'telemetry-consumer',
      description: 'Writes telemetry from the Kinesis stream under the registry\'s tenant and device (IoT platform)',
      encryptionKey,
      memorySize: 512,
      timeout: Duration.seconds(60),
      settings: {
        [TELEMETRY_CONSUMER_SETTINGS_VARIABLE]: {
          readingsTable: tables.readings.tableName,
          registryTable: tables.registry.tableName,
          bySubIndex: BY_SUB_INDEX,
          rejectedQueueUrl: this.rejectedQueue.queueUrl,
          analyticsTopicArn: this.analyticsEvents.topic.topicArn,
          temperatureThreshold: 80,
        } satisfies TelemetryConsumerSettings,
      },
      reasons: STREAM_CONSUMER_REASON,
    });
    this.consumer.addEventSource(new sources.KinesisEventSource(this.stream, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 500,
      maxBatchingWindow: Duration.seconds(1),
      parallelizationFactor: 1,
      bisectBatchOnError: true,
      retryAttempts: STREAM_RETRY_ATTEMPTS,
      maxRecordAge: Duration.hours(1),
      reportBatchItemFailures: true,
      onFailure: new sources.SqsDlq(this.streamFailureQueue),
    }));
    tables.readings.grant(this.consumer, 'dynamodb:BatchWriteItem');
    this.consumer.addToRolePolicy(queryIndex(tables.registry.tableArn, BY_SUB_INDEX));
    this.consumer.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.rejectedQueue.queueArn] }));
    this.analyticsEvents.grantPublish(this.consumer);

    this.alertNotifier = iotFunction(this, 'AlertNotifier', {
      bundle: 'alert-notifier',
      description: 'Pushes threshold alerts to the operators of the event\'s tenant over the command WebSocket (IoT platform)',
      encryptionKey,
      settings: {}, // written by wireAlertNotifier once the WebSocket stage exists
      reasons: QUEUE_CONSUMER_REASON,
    });
    this.analyticsAggregator = iotFunction(this, 'AnalyticsAggregator', {
      bundle: 'analytics-aggregator',
      description: 'Counts analytics events per device and hour (IoT platform)',
      encryptionKey,
      settings: {
        [ANALYTICS_AGGREGATOR_SETTINGS_VARIABLE]: { readingsTable: tables.readings.tableName } satisfies AnalyticsAggregatorSettings,
      },
      reasons: QUEUE_CONSUMER_REASON,
    });
    tables.readings.grant(this.analyticsAggregator, 'dynamodb:UpdateItem');
    this.alertQueue = this.analyticsEvents.addQueue('OperatorAlerts', {
      filterPolicy: { eventType: sns.SubscriptionFilter.stringFilter({ allowlist: ['threshold.exceeded'] }) },
      consumer: this.alertNotifier,
      maxReceiveCount: 3,
      visibilityTimeout: Duration.seconds(60),
      batchSize: 10,
    });
    this.analyticsQueue = this.analyticsEvents.addQueue('Analytics', {
      consumer: this.analyticsAggregator,
      maxReceiveCount: 3,
      visibilityTimeout: Duration.seconds(60),
      batchSize: 10,
    });
  }

  /**
   * The alert notifier's settings and grants, once the command WebSocket's stage exists: it
   * reads a tenant's operator connections, posts to them and forgets the ones that are gone.
   */
  public wireAlertNotifier(connections: dynamodb.ITable, stage: apigwv2.WebSocketStage): void {
    this.alertNotifier.addEnvironment(ALERT_NOTIFIER_SETTINGS_VARIABLE, Stack.of(this).toJsonString({
      connectionsTable: connections.tableName,
      commandsCallbackUrl: stage.callbackUrl,
    } satisfies AlertNotifierSettings));
    connections.grant(this.alertNotifier, 'dynamodb:Query', 'dynamodb:DeleteItem');
    grantConnectionManagement(stage, this.alertNotifier);
  }
}
