// The settings contract of the example fan-out consumer runtime (lambda-src/fanout-consumer),
// which consumes a FanoutQueue: whoever creates the consumer function writes them, the
// handler parses them at init. Every setting is optional. Dependency-free: the handler
// bundles this file.
import type { SettingsReader } from '../core/settings-reader';

/** The environment variable holding the settings, as one JSON object. */
export const FANOUT_CONSUMER_SETTINGS_VARIABLE = 'FANOUT_CONSUMER_CONFIG';

/** How message bodies are read: the SNS envelope, the raw message, or whichever each is. */
export const MESSAGE_FORMATS = ['auto', 'sns-envelope', 'raw'] as const;

/** The consumer's settings, every default applied. */
export interface FanoutConsumerSettings {
  /** The service dimension of logs and metrics. */
  readonly serviceName: string;
  readonly messageFormat: typeof MESSAGE_FORMATS[number];
  /** Records of a standard-queue batch processed at the same time. */
  readonly maxConcurrency: number;
  /** The queue's maxReceiveCount, to flag failures that will dead-letter the message. */
  readonly maxReceiveCount?: number;
  /** No record starts when less remains of the invocation. */
  readonly deadlineSafetyMs: number;
  readonly throwOnFullBatchFailure: boolean;
  readonly fifoFailureMode: 'stop-batch' | 'skip-group';
  /** The example logic rejects messages whose body contains this marker (tests, labs). */
  readonly failMarker?: string;
}

/** The document written into the environment: every setting may be left out. */
export type FanoutConsumerSettingsDocument = Partial<FanoutConsumerSettings>;

/** Read and check every setting; the reader reports all problems in one error. */
export function parseFanoutConsumerSettings(config: SettingsReader<FanoutConsumerSettingsDocument>): FanoutConsumerSettings {
  const settings: FanoutConsumerSettings = {
    serviceName: config.string('serviceName', 'fanout-consumer'),
    messageFormat: config.oneOf('messageFormat', MESSAGE_FORMATS, 'auto'),
    maxConcurrency: config.number('maxConcurrency', { min: 1, max: 10000, integer: true }, 10),
    maxReceiveCount: config.raw('maxReceiveCount') === undefined ? undefined : config.number('maxReceiveCount', { min: 1, max: 1000, integer: true }),
    deadlineSafetyMs: config.number('deadlineSafetyMs', { min: 0, max: 900000, integer: true }, 2000),
    throwOnFullBatchFailure: config.boolean('throwOnFullBatchFailure', true),
    fifoFailureMode: config.oneOf('fifoFailureMode', ['stop-batch', 'skip-group'] as const, 'stop-batch'),
    failMarker: config.raw('failMarker') === undefined ? undefined : config.string('failMarker'),
  };
  config.validate();
  return settings;
}
