import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';

/** Where a construct reports: the topic its alarms notify and how long its logs are kept. */
export interface ObservabilityProps {
  /**
   * The SNS topic every alarm of the construct notifies, on ALARM and on OK.
   * @default - no topic: alarms notify nobody until `addAlarmAction` wires an action
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * How long the log groups the construct creates keep their events.
   * @default - one month (`logs.RetentionDays.ONE_MONTH`)
   */
  readonly logRetention?: logs.RetentionDays;
}

/** What happens to a construct's data when it leaves the stack, and which key encrypts it. */
export interface LifecycleProps {
  /**
   * What happens to the construct's data, keys and log groups when they leave the stack.
   * `DESTROY` deletes them (labs); `SNAPSHOT` snapshots what CloudFormation can snapshot
   * (a database instance) and retains everything else.
   * @default - kept: a database instance is snapshotted, everything else is retained
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The KMS key that encrypts what the construct stores (its README lists what it covers).
   * @default - a new customer-managed key with yearly rotation for messages, secrets and
   * databases; the service's own encryption for state tables and log groups
   */
  readonly encryptionKey?: kms.IKey;
}
