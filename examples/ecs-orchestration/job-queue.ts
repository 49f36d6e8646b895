import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';

/** Settings of the lab's job queue. */
export interface JobQueueProps {
  /** Topic the dead-letter alarm notifies. */
  readonly alarmTopic: sns.ITopic;
}

/** Receives before a job is dead-lettered: small, so the poison-message exercise is quick. */
const MAX_RECEIVE_COUNT = 3;

/**
 * The queue the worker drains, with its dead-letter queue and an alarm on it. The DLQ names
 * its one source queue (RedriveAllowPolicy byQueue); the source queue's ARN is built from
 * its fixed name, since a reference would make the two queues depend on each other.
 */
export class JobQueue extends Construct {
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  /** Fires when a message sits in the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: JobQueueProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const queueName = `${stack.stackName}-jobs`;
    const sourceQueue = sqs.Queue.fromQueueArn(this, 'SourceQueue', stack.formatArn({ service: 'sqs', resource: queueName }));
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.BY_QUEUE, sourceQueues: [sourceQueue] },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    NagSuppressions.addResourceSuppressions(this.deadLetterQueue, [{
      id: 'Serverless-SQSRedrivePolicy',
      reason: 'This is the dead-letter queue of the job queue: what lands here waits to be read and redriven by a person; a queue behind it would only move the same messages once more.',
    }]);
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Longer than the longest job (20 s) plus its delete, so a job in hand is not handed out twice.
      visibilityTimeout: Duration.seconds(60),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'A job reached the dead-letter queue after 3 failed receives: read it, fix the cause, then redrive it.',
    });
    this.deadLetterAlarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
    this.deadLetterAlarm.addOkAction(new cloudwatchActions.SnsAction(props.alarmTopic));
  }
}
