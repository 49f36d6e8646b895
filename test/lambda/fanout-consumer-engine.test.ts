import type { SQSRecord } from 'aws-lambda';
import { createBatchConsumer, RecordHandler } from '../../lambda-src/fanout-consumer/consumer';
import { decodeRecord } from '../../lambda-src/fanout-consumer/envelope';
import { describeJsonSyntaxError, jsonSyntaxErrorOffset } from '../../lambda-src/fanout-consumer/json-syntax';

// The batch engine with a record handler of the caller's choice: what the labs reuse.
const silent = { debug: () => undefined, warn: () => undefined };

function record(messageId: string, body: string, queue = 'arn:aws:sqs:us-east-1:123456789012:q'): SQSRecord {
  return {
    messageId,
    receiptHandle: 'r',
    body,
    attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1', SenderId: 's', ApproximateFirstReceiveTimestamp: '1' },
    messageAttributes: { tenant: { stringValue: 't-1', dataType: 'String', stringListValues: [], binaryListValues: [] } },
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: queue,
    awsRegion: 'us-east-1',
  };
}

describe('createBatchConsumer', () => {
  test('runs at most maxConcurrency record handlers at once on a standard queue', async () => {
    let active = 0;
    let peak = 0;
    const handler: RecordHandler = async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 2));
      active--;
    };
    const consume = createBatchConsumer({ recordHandler: handler, logger: silent, maxConcurrency: 3 });
    const response = await consume({ Records: Array.from({ length: 20 }, (_, i) => record(`m${i}`, '{}')) });
    expect(response).toEqual({ batchItemFailures: [] });
    expect(peak).toBe(3);
  });

  test('maxConcurrency 1 processes records one after the other, in order', async () => {
    const seen: string[] = [];
    const consume = createBatchConsumer({
      recordHandler: async (m) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push(m.messageId);
      },
      logger: silent,
      maxConcurrency: 1,
    });
    await consume({ Records: ['a', 'b', 'c'].map((id) => record(id, '{}')) });
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  test('a thrown value that is not an Error still fails only its record', async () => {
    const consume = createBatchConsumer({
      recordHandler: (m) => {
        if (m.body === 'bad') throw 'plain string'; // eslint-disable-line no-throw-literal
      },
      logger: silent,
    });
    expect(await consume({ Records: [record('a', 'ok'), record('b', 'bad')] })).toEqual({ batchItemFailures: [{ itemIdentifier: 'b' }] });
  });

  test('throwOnFullBatchFailure false reports every record instead of throwing', async () => {
    const consume = createBatchConsumer({ recordHandler: () => { throw new Error('down'); }, logger: silent, throwOnFullBatchFailure: false });
    expect(await consume({ Records: [record('a', 'x'), record('b', 'y')] })).toEqual({
      batchItemFailures: [{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }],
    });
  });
});

describe('decodeRecord', () => {
  test('normalizes SQS message attributes of a raw message', () => {
    const message = decodeRecord(record('m1', '{"a":1}'), 'auto');
    expect(message).toMatchObject({ messageId: 'm1', dedupeKey: 'm1', body: '{"a":1}', attributes: { tenant: { type: 'String', value: 't-1' } } });
    expect(message.json()).toEqual({ a: 1 });
  });

  test('normalizes SNS message attributes of an envelope and keeps the topic', () => {
    const body = JSON.stringify({
      Type: 'Notification',
      MessageId: 'sns-1',
      TopicArn: 'arn:aws:sns:us-east-1:1:t',
      Message: 'hello',
      MessageAttributes: { eventType: { Type: 'String', Value: 'created' } },
    });
    expect(decodeRecord(record('m1', body), 'auto')).toMatchObject({
      snsMessageId: 'sns-1',
      dedupeKey: 'sns-1',
      body: 'hello',
      topicArn: 'arn:aws:sns:us-east-1:1:t',
      attributes: { eventType: { type: 'String', value: 'created' } },
    });
  });

  test('a JSON body that only looks like an envelope is raw', () => {
    const body = JSON.stringify({ Type: 'Notification', Message: 'no topic' });
    expect(decodeRecord(record('m1', body), 'auto').body).toBe(body);
  });
});

describe('JSON syntax errors are described by position, never by the text', () => {
  test.each([
    ['hello', 0],
    ['{"orderId": secret}', 12],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['[1, 2', 5],
    ['{"note": "unterminated', 22],
    ['{"a": "x\u0001"}', 8],
    ['{"a": "\\q"}', 8],
    ['{"a": "\\u12g4"}', 11],
    ['{"a": 1} trailing', 9],
    ['01', 1],
    ['', 0],
  ])('%j breaks at offset %i, where JSON.parse stops', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(jsonSyntaxErrorOffset(text)).toBe(offset);
  });

  test('valid JSON has no offset, and nesting too deep to scan gives up instead of throwing', () => {
    expect(jsonSyntaxErrorOffset('{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}')).toBeUndefined();
    expect(jsonSyntaxErrorOffset(`${'['.repeat(200_000)}x`)).toBeUndefined();
  });

  test('a SyntaxError thrown elsewhere keeps only the position V8 states', () => {
    const errorOf = (text: string): unknown => {
      try {
        JSON.parse(text);
      } catch (e) {
        return e;
      }
      throw new Error(`${text} parsed`);
    };
    const stated = errorOf('{"a": 1} secret');
    const unstated = errorOf('secret');
    expect(describeJsonSyntaxError(stated)).toBe('SyntaxError at position 9');
    expect(describeJsonSyntaxError(unstated)).toBe('SyntaxError (position unknown)');
    expect(describeJsonSyntaxError(unstated, 'secret')).toBe('SyntaxError at position 0');
  });
});
