import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ConstructAlarms, IAlarmed } from './alarms';

/**
 * The base of every construct of this library that creates alarms: one implementation of
 * `alarms` and `addAlarmAction` for all of them.
 */
export abstract class AlarmedConstruct extends Construct implements IAlarmed {
  /** @internal */
  protected readonly _alarmSet: ConstructAlarms;

  /**
   * @param alarmTopic the topic every alarm notifies (on ALARM and OK), if any
   */
  protected constructor(scope: Construct, id: string, alarmTopic?: sns.ITopic) {
    super(scope, id);
    this._alarmSet = new ConstructAlarms(alarmTopic);
  }

  /** Every alarm of the construct, including those of its parts. */
  public get alarms(): cloudwatch.IAlarm[] {
    return this._alarmSet.alarms;
  }

  /** Notify these actions on ALARM and on OK of every alarm, present and future. */
  public addAlarmAction(...actions: cloudwatch.IAlarmAction[]): void {
    this._alarmSet.addAlarmAction(...actions);
  }
}
