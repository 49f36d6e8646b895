import { optionalJsonConfig } from '../shared';
import { MESSAGE_FORMATS } from './envelope';
import { createConsumerHandler } from './handler';
import { orderEventHandler } from './order-events';

// The example fan-out consumer: Powertools partial batch responses around the example
// order-event logic. Settings come from one JSON environment variable, checked at init:
//   FANOUT_CONSUMER_CONFIG = {"serviceName":"inventory","messageFormat":"auto","maxConcurrency":10,
//                             "maxReceiveCount":5,"failMarker":"POISON","fifoFailureMode":"stop-batch"}
// Every setting is optional.
const CONFIG_VARIABLE = 'FANOUT_CONSUMER_CONFIG';
const config = optionalJsonConfig(CONFIG_VARIABLE);
const serviceName = config.string('serviceName', 'fanout-consumer');
const messageFormat = config.oneOf('messageFormat', MESSAGE_FORMATS, 'auto');
const maxConcurrency = config.number('maxConcurrency', { min: 1, max: 10000, integer: true }, 10);
const maxReceiveCount = config.raw('maxReceiveCount') === undefined ? undefined : config.number('maxReceiveCount', { min: 1, max: 1000, integer: true });
const deadlineSafetyMs = config.number('deadlineSafetyMs', { min: 0, max: 900000, integer: true }, 2000);
const throwOnFullBatchFailure = config.boolean('throwOnFullBatchFailure', true);
const fifoFailureMode = config.oneOf('fifoFailureMode', ['stop-batch', 'skip-group'] as const, 'stop-batch');
const failMarker = config.raw('failMarker') === undefined ? undefined : config.string('failMarker');
config.validate();

export const handler = createConsumerHandler(serviceName, ({ logger }) => ({
  recordHandler: orderEventHandler({
    failMarker,
    onProcessed: (event) => logger.info('order event processed', event),
  }),
  messageFormat,
  maxConcurrency,
  maxReceiveCount,
  deadlineSafetyMs,
  throwOnFullBatchFailure,
  fifoFailureMode,
}));
