import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { bundledCode } from '../../examples/bundled-code';
import { JsonConfig } from '../../lambda-src/shared/config';
import { FanoutTopic, HandlerFunction } from '../../src';
import {
  FANOUT_CONSUMER_SETTINGS_VARIABLE, FanoutConsumerSettings, FanoutConsumerSettingsDocument, parseFanoutConsumerSettings,
} from '../../src/messaging/fanout-consumer-settings';
import { synthesizedSettings, withRenamedKey } from '../helpers/settings-contract';

// The contract of the example fan-out consumer: the settings a stack writes for the
// consumer of a FanoutQueue are what the consumer's own parser reads.
const WRITTEN: FanoutConsumerSettingsDocument = {
  serviceName: 'inventory',
  messageFormat: 'raw',
  maxConcurrency: 4,
  maxReceiveCount: 2,
  deadlineSafetyMs: 1500,
  throwOnFullBatchFailure: false,
  fifoFailureMode: 'skip-group',
  failMarker: 'POISON',
};

function synthesize(): Record<string, unknown> {
  const stack = new Stack(new App(), 'Stack');
  const consumer = new HandlerFunction(stack, 'Consumer', {
    code: bundledCode('fanout-consumer'),
    description: 'consumes order events',
    timeout: Duration.seconds(10),
    environment: { [FANOUT_CONSUMER_SETTINGS_VARIABLE]: JSON.stringify(WRITTEN) },
  });
  new FanoutTopic(stack, 'Events').addQueue('Inventory', { consumer: consumer.function, maxReceiveCount: 2 });
  return synthesizedSettings(Template.fromStack(stack), FANOUT_CONSUMER_SETTINGS_VARIABLE);
}

const parse = (document: Record<string, unknown>) => parseFanoutConsumerSettings(new JsonConfig(FANOUT_CONSUMER_SETTINGS_VARIABLE, document));

describe('fan-out consumer settings contract', () => {
  test('the consumer parses the synthesized settings into exactly the values written', () => {
    expect(parse(synthesize())).toEqual(WRITTEN as FanoutConsumerSettings);
  });

  test('a field the writer renamed would fail the contract', () => {
    expect(() => expect(parse(withRenamedKey(synthesize(), 'maxConcurrency', 'concurrency'))).toEqual(WRITTEN)).toThrow();
  });
});
