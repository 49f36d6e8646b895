import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** What a construct alarms on: the metric, the threshold and how to read them. */
export interface AlarmDefinition {
  /** The metric to watch. */
  readonly metric: cloudwatch.IMetric;
  /** The threshold the metric is compared with. */
  readonly threshold: number;
  /** One sentence: what fired and what to do about it. */
  readonly description: string;
  /** @default GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default - equal to evaluationPeriods */
  readonly datapointsToAlarm?: number;
  /**
   * Missing data means "nothing happened" for the count metrics the library alarms on.
   * @default NOT_BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

/**
 * The alarms of one construct. Each alarm notifies `alarmTopic` when one is given (on
 * ALARM and OK, so on-call sees recovery too), and {@link addAlarmAction} wires any
 * further action to every alarm, including ones added later.
 */
export class ConstructAlarms {
  private readonly list: cloudwatch.Alarm[] = [];
  private readonly actions: cloudwatch.IAlarmAction[] = [];

  constructor(alarmTopic?: sns.ITopic) {
    if (alarmTopic) this.actions.push(new cloudwatchActions.SnsAction(alarmTopic));
  }

  /** Every alarm created so far. */
  public get alarms(): cloudwatch.IAlarm[] {
    return [...this.list];
  }

  /** Create an alarm in `scope` and wire the actions registered so far. */
  public create(scope: Construct, id: string, definition: AlarmDefinition): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      metric: definition.metric,
      threshold: definition.threshold,
      alarmDescription: definition.description,
      comparisonOperator: definition.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: definition.evaluationPeriods ?? 1,
      datapointsToAlarm: definition.datapointsToAlarm,
      treatMissingData: definition.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.wire(alarm, this.actions);
    this.list.push(alarm);
    return alarm;
  }

  /** Add actions to every alarm, present and future. */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this.actions.push(...actions);
    for (const alarm of this.list) this.wire(alarm, actions);
  }

  private wire(alarm: cloudwatch.Alarm, actions: cloudwatch.IAlarmAction[]): void {
    if (actions.length === 0) return;
    alarm.addAlarmAction(...actions);
    alarm.addOkAction(...actions);
  }
}

