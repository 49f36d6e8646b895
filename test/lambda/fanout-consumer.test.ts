import type { SQSEvent } from 'aws-lambda';
import {
  failures, FIFO_QUEUE, invokeConsumer as invoke, loadConsumerBundle, order, snsEnvelope, sqsEvent as event, sqsRecord, lambdaContext as context,
} from './fanout-consumer-harness';

// Invokes the esbuild bundle (assets/fanout-consumer/index.js) - the code Lambda loads - with
// SQS event payloads shaped like the ones Lambda delivers from an SNS-subscribed queue.
const loadHandler = (config?: Record<string, unknown>) => loadConsumerBundle('fanout-consumer', 'FANOUT_CONSUMER_CONFIG', config);

describe('fanout-consumer bundle, standard queue', () => {
  const handler = loadHandler({ serviceName: 'inventory', failMarker: 'POISON', maxReceiveCount: 3 });

  test('a poison message fails only itself: good records succeed, bad ones are reported exactly', async () => {
    const { response, error, records } = await invoke(handler, event(
      sqsRecord('m1', order('o-1')),
      sqsRecord('m2', order('o-2', { note: 'POISON' })),
      sqsRecord('m3', order('o-3')),
      sqsRecord('m4', 'not json at all'),
      sqsRecord('m5', JSON.stringify({ eventType: 'created' })),
      sqsRecord('m6', order('o-6')),
    ));
    expect(error).toBeUndefined();
    expect(response).toEqual(failures('m2', 'm4', 'm5'));
    const processed = records.filter((r) => r.message === 'order event processed').map((r) => r.orderId);
    expect(processed.sort()).toEqual(['o-1', 'o-3', 'o-6']);
  });

  test('SNS envelopes are unwrapped: the SNS MessageId is the de-duplication key and the marker inside the message fails it', async () => {
    const { response, records } = await invoke(handler, event(
      sqsRecord('m1', snsEnvelope('sns-1', order('o-1'), { eventType: 'created' })),
      sqsRecord('m2', snsEnvelope('sns-2', order('o-2', { note: 'POISON' }))),
      sqsRecord('m3', order('o-3')), // raw delivery on another queue: auto format handles both
    ));
    expect(response).toEqual(failures('m2'));
    const processed = records.filter((r) => r.message === 'order event processed');
    expect(processed.map((r) => [r.orderId, r.dedupeKey]).sort()).toEqual([['o-1', 'sns-1'], ['o-3', 'm3']]);
  });

  test('an envelope whose message is not JSON fails with a clear reason', async () => {
    const { response, records } = await invoke(handler, event(
      sqsRecord('m1', snsEnvelope('sns-1', 'plain text')),
      sqsRecord('m2', order('o-2')),
    ));
    expect(response).toEqual(failures('m1'));
    const warn = records.find((r) => r.message === 'record failed');
    expect(warn).toMatchObject({ level: 'WARN', messageId: 'm1', errorCode: 'MESSAGE_FORMAT_INVALID', errorMessage: expect.stringContaining('not valid JSON') });
  });

  test('failures are logged without message bodies, and flag the receive that will dead-letter', async () => {
    const secret = 'card-4111-1111-1111-1111';
    const { response, lines, records } = await invoke(handler, event(
      sqsRecord('m1', order('o-1', { card: secret, note: 'POISON' }), { receiveCount: 3 }),
      sqsRecord('m2', order('o-2', { card: secret, note: 'POISON' }), { receiveCount: 1 }),
      sqsRecord('m3', order('o-3', { card: secret })),
    ));
    expect(response).toEqual(failures('m1', 'm2'));
    expect(lines.join('\n')).not.toContain(secret);
    const warnings = records.filter((r) => r.message === 'record failed');
    expect(warnings.map((w) => [w.messageId, w.receiveCount, w.willDeadLetter, w.errorCode])).toEqual([
      ['m1', 3, true, 'POISON_MESSAGE'],
      ['m2', 1, false, 'POISON_MESSAGE'],
    ]);
  });

  test('one EMF document per invocation counts received, succeeded, failed and dead-lettering records', async () => {
    const { records } = await invoke(handler, event(
      sqsRecord('m1', order('o-1')),
      sqsRecord('m2', order('o-2', { note: 'POISON' }), { receiveCount: 5 }),
      sqsRecord('m3', order('o-3')),
    ));
    const emf = records.filter((r) => r._aws);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({
      service: 'inventory',
      RecordsReceived: 3,
      RecordsSucceeded: 2,
      RecordsFailed: 1,
      RecordsSkipped: 0,
      RecordsDeadLettering: 1,
      BatchFullFailure: 0,
      ReceiveCountMax: 5,
    });
    expect(emf[0]._aws.CloudWatchMetrics[0].Namespace).toBe('CdkServiceIntegration');
  });

  test('a batch where every record fails throws, so the whole batch is retried with backoff', async () => {
    const { response, error, records } = await invoke(handler, event(
      sqsRecord('m1', 'x'),
      sqsRecord('m2', order('o-2', { note: 'POISON' })),
    ));
    expect(response).toBeUndefined();
    expect(error?.name).toBe('FullBatchFailureError');
    expect(records.find((r) => r._aws)).toMatchObject({ BatchFullFailure: 1, RecordsFailed: 2, RecordsSucceeded: 0 });
  });

  test('an empty batch succeeds with no failures', async () => {
    const { response } = await invoke(handler, event());
    expect(response).toEqual({ batchItemFailures: [] });
  });

  test('an event without Records is rejected with a clear error', async () => {
    const { error } = await invoke(handler, {} as SQSEvent);
    expect(error?.message).toBe('expected an SQS event with a Records array, got an empty object');
  });

  test('records are not started when the invocation is about to time out, and are reported for redelivery', async () => {
    const remaining = [60_000, 1_500];
    const { response, records } = await invoke(handler, event(
      sqsRecord('m1', order('o-1')),
      sqsRecord('m2', order('o-2')),
    ), context(() => remaining.shift() ?? 1_000));
    expect(response).toEqual(failures('m2'));
    expect(records.find((r) => r.message === 'record failed')).toMatchObject({ messageId: 'm2', errorCode: 'DEADLINE_NEAR' });
  });
});

describe('fanout-consumer bundle, FIFO queue', () => {
  const fifo = (id: string, body: string, groupId: string) => sqsRecord(id, body, { queue: FIFO_QUEUE, groupId });

  test('stops at the first failure and reports it with every later record, keeping the order', async () => {
    const handler = loadHandler({ failMarker: 'POISON' });
    const { response, records } = await invoke(handler, event(
      fifo('f1', order('o-1'), 'a'),
      fifo('f2', order('o-2', { note: 'POISON' }), 'a'),
      fifo('f3', order('o-3'), 'b'),
      fifo('f4', order('o-4'), 'a'),
    ));
    expect(response).toEqual(failures('f2', 'f3', 'f4'));
    expect(records.filter((r) => r.message === 'order event processed').map((r) => r.orderId)).toEqual(['o-1']);
    expect(records.find((r) => r._aws)).toMatchObject({ RecordsFailed: 1, RecordsSkipped: 2, RecordsSucceeded: 1 });
  });

  test('with skip-group, only the failed message group stops; other groups go on', async () => {
    const handler = loadHandler({ failMarker: 'POISON', fifoFailureMode: 'skip-group' });
    const { response, records } = await invoke(handler, event(
      fifo('f1', snsEnvelope('s1', order('o-1')), 'a'),
      fifo('f2', snsEnvelope('s2', order('o-2', { note: 'POISON' })), 'a'),
      fifo('f3', snsEnvelope('s3', order('o-3')), 'b'),
      fifo('f4', snsEnvelope('s4', order('o-4')), 'a'),
      fifo('f5', snsEnvelope('s5', order('o-5')), 'b'),
    ));
    expect(response).toEqual(failures('f2', 'f4'));
    expect(records.filter((r) => r.message === 'order event processed').map((r) => r.orderId)).toEqual(['o-1', 'o-3', 'o-5']);
  });
});

describe('fanout-consumer bundle, message formats and configuration', () => {
  test('sns-envelope format rejects a raw body instead of guessing', async () => {
    const handler = loadHandler({ messageFormat: 'sns-envelope' });
    const { response, records } = await invoke(handler, event(
      sqsRecord('m1', snsEnvelope('s1', order('o-1'))),
      sqsRecord('m2', order('o-2')),
    ));
    expect(response).toEqual(failures('m2'));
    expect(records.find((r) => r.message === 'record failed')).toMatchObject({
      messageId: 'm2', errorCode: 'MESSAGE_FORMAT_INVALID', errorMessage: expect.stringContaining('is not an SNS notification envelope'),
    });
  });

  test('raw format never unwraps: an envelope is read as the message itself', async () => {
    const handler = loadHandler({ messageFormat: 'raw' });
    const { response } = await invoke(handler, event(
      sqsRecord('m1', snsEnvelope('s1', order('o-1'))),
      sqsRecord('m2', order('o-2')),
    ));
    expect(response).toEqual(failures('m1'));
  });

  test('works without any configuration', async () => {
    const handler = loadHandler();
    const { response } = await invoke(handler, event(sqsRecord('m1', order('o-1')), sqsRecord('m2', '{}')));
    expect(response).toEqual(failures('m2'));
  });

  test('invalid settings fail at init with every problem named', () => {
    expect(() => loadHandler({ messageFormat: 'xml', maxConcurrency: 0, fifoFailureMode: 'later' })).toThrow(
      'invalid settings in FANOUT_CONSUMER_CONFIG: messageFormat must be one of "auto", "sns-envelope", "raw", got "xml"; ' +
      'maxConcurrency must be an integer between 1 and 10000, got 0; fifoFailureMode must be one of "stop-batch", "skip-group", got "later"',
    );
  });
});
