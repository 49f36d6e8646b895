import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeNagFindings } from '../../src/core/nag';
import { unacknowledgedNagFindings } from '../helpers/nag';

describe('acknowledgeNagFindings', () => {
  test('cdk-nag honours acknowledgements the library writes, and only those', () => {
    const stack = new Stack(new App(), 'Stack');
    const queue = new sqs.Queue(stack, 'Queue');
    const before = unacknowledgedNagFindings(new Stack(new App(), 'Other'));
    expect(before).toEqual([]);

    acknowledgeNagFindings(queue, [{ id: 'AwsSolutions-SQS3', reason: 'this queue is itself a dead-letter queue' }]);
    const rules = unacknowledgedNagFindings(stack).map((f) => f.message.split(':')[0]);
    expect(rules).not.toContain('AwsSolutions-SQS3');
    expect(rules).toContain('AwsSolutions-SQS4'); // not acknowledged: still reported
  });

  test('acknowledgements merge with existing ones without duplicates', () => {
    const stack = new Stack(new App(), 'Stack');
    const queue = new sqs.Queue(stack, 'Queue');
    const ack = { id: 'AwsSolutions-SQS3', reason: 'this queue is itself a dead-letter queue' };
    acknowledgeNagFindings(queue, [ack]);
    acknowledgeNagFindings(queue, [ack, { id: 'AwsSolutions-SQS4', reason: 'test only: TLS enforced elsewhere', appliesTo: ['x'] }]);
    expect((queue.node.defaultChild as sqs.CfnQueue).getMetadata('cdk_nag')).toEqual({
      rules_to_suppress: [
        { id: 'AwsSolutions-SQS3', reason: 'this queue is itself a dead-letter queue' },
        { id: 'AwsSolutions-SQS4', reason: 'test only: TLS enforced elsewhere', applies_to: ['x'] },
      ],
    });
  });

  test('a construct without a CloudFormation resource is refused', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => acknowledgeNagFindings(new Construct(stack, 'Empty'), [{ id: 'X', reason: 'whatever reason' }]))
      .toThrow("acknowledgeNagFindings: 'Stack/Empty' is not a CloudFormation resource and has none as default child");
  });
});
