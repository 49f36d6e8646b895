import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ConfigurationError, HandlerError, JsonConfig, optionalJsonConfig, createLogger, createMetrics, fingerprint, isSecretKey, redactSecrets } from '../../lambda-src/shared';
import { captureOutput, jsonLines } from '../helpers/capture-output';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

describe('fingerprint', () => {
  test('is sha256: plus 12 hex characters, stable and distinct per secret', () => {
    expect(fingerprint('abc')).toBe('sha256:ba7816bf8f01'); // SHA-256("abc") = ba7816bf8f01cfea...
    expect(fingerprint('abc')).toBe(fingerprint('abc'));
    expect(fingerprint('abd')).not.toBe(fingerprint('abc'));
  });

  test('secret keys are recognised regardless of case, dashes and underscores', () => {
    for (const key of ['Authorization', 'taskToken', 'task_token', 'x-api-key', 'apiKey', 'PASSWORD', 'client_secret', 'Cookie']) {
      expect(isSecretKey(key)).toBe(true);
    }
    for (const key of ['tokenType', 'orderId', 'user', 'secretArn']) {
      expect(isSecretKey(key)).toBe(false);
    }
  });

  test('redactSecrets replaces strings with their fingerprint and other values with [redacted]', () => {
    expect(redactSecrets('authorization', `Bearer ${JWT}`)).toBe(fingerprint(`Bearer ${JWT}`));
    expect(redactSecrets('password', { nested: 'x' })).toBe('[redacted]');
    expect(redactSecrets('orderId', 'o-1')).toBe('o-1');
    expect(redactSecrets('token', undefined)).toBeUndefined();
  });
});

describe('createLogger', () => {
  test('writes structured JSON with the service name and never the secret itself', async () => {
    const logger = createLogger('orders');
    const lines = await captureOutput(() => {
      logger.info('request received', {
        headers: { 'Authorization': `Bearer ${JWT}`, 'x-api-key': 'k-123456789', 'accept': 'application/json' },
        taskToken: 'AAAAKgAAAAIAAAAAAAAAA-task-token',
        orderId: 'o-1',
      });
    });
    const output = lines.join('\n');
    expect(output).not.toContain(JWT);
    expect(output).not.toContain('k-123456789');
    expect(output).not.toContain('task-token');

    const [record] = jsonLines(lines);
    expect(record).toMatchObject({
      level: 'INFO',
      message: 'request received',
      service: 'orders',
      orderId: 'o-1',
      taskToken: fingerprint('AAAAKgAAAAIAAAAAAAAAA-task-token'),
      headers: { 'Authorization': fingerprint(`Bearer ${JWT}`), 'x-api-key': fingerprint('k-123456789'), 'accept': 'application/json' },
    });
  });

  test('honours the Lambda log level (AWS_LAMBDA_LOG_LEVEL)', async () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = 'WARN';
    try {
      const logger = createLogger('orders');
      const lines = await captureOutput(() => {
        logger.info('hidden');
        logger.warn('shown');
      });
      expect(jsonLines(lines).map((r) => r.message)).toEqual(['shown']);
    } finally {
      delete process.env.AWS_LAMBDA_LOG_LEVEL;
    }
  });
});

describe('createMetrics', () => {
  test('flushes one EMF document in the library namespace with the service dimension', async () => {
    const metrics = createMetrics('orders');
    const lines = await captureOutput(() => {
      metrics.addMetric('OrdersPlaced', MetricUnit.Count, 2);
      metrics.addMetric('OrderValue', MetricUnit.Count, 40);
      metrics.publishStoredMetrics();
    });
    const docs = jsonLines(lines).filter((d) => d._aws);
    expect(docs).toHaveLength(1);
    expect(docs[0]).toMatchObject({
      service: 'orders',
      OrdersPlaced: 2,
      OrderValue: 40,
      _aws: { CloudWatchMetrics: [{ Namespace: 'CdkServiceIntegration', Dimensions: [['service']] }] },
    });
  });
});

describe('HandlerError', () => {
  test('carries a stable code, retryability and the subclass name', () => {
    const cause = new Error('socket hang up');
    const err = new HandlerError('STORE_UNAVAILABLE', 'state store unreachable', true, { cause });
    expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE', retryable: true, name: 'HandlerError', cause });
    expect(new ConfigurationError('bad')).toMatchObject({ code: 'CONFIGURATION_INVALID', retryable: false, name: 'ConfigurationError' });
  });
});

describe('JsonConfig', () => {
  const env = (value?: string) => ({ CONFIG: value });

  test('reads typed settings with defaults', () => {
    const config = JsonConfig.fromEnvironment('CONFIG', env('{"url":"http://x","threshold":50,"mode":"fast","hosts":["a"],"strict":true}'));
    expect(config.string('url')).toBe('http://x');
    expect(config.string('region', 'us-east-1')).toBe('us-east-1');
    expect(config.number('threshold', { min: 1, max: 100, integer: true })).toBe(50);
    expect(config.number('window', { min: 1, max: 60 }, 10)).toBe(10);
    expect(config.oneOf('mode', ['fast', 'slow'] as const)).toBe('fast');
    expect(config.stringList('hosts')).toEqual(['a']);
    expect(config.boolean('strict', false)).toBe(true);
    expect(() => config.validate()).not.toThrow();
  });

  test('an optional settings variable that is absent means all defaults; a present one is still checked', () => {
    const defaults = optionalJsonConfig('CONFIG', env());
    expect(defaults.number('maxReceiveCount', { min: 1, max: 10 }, 3)).toBe(3);
    expect(() => defaults.validate()).not.toThrow();
    expect(() => optionalJsonConfig('CONFIG', env('{oops'))).toThrow(/environment variable CONFIG is not valid JSON/);
  });

  test('names the variable when it is missing, not JSON, or not an object', () => {
    expect(() => JsonConfig.fromEnvironment('CONFIG', env())).toThrow('environment variable CONFIG is not set');
    expect(() => JsonConfig.fromEnvironment('CONFIG', env('{oops'))).toThrow(/environment variable CONFIG is not valid JSON/);
    expect(() => JsonConfig.fromEnvironment('CONFIG', env('[1]'))).toThrow('environment variable CONFIG must be a JSON object, got [1]');
  });

  test('reports every invalid setting in one ConfigurationError', () => {
    const config = JsonConfig.fromEnvironment('CONFIG', env('{"threshold":0,"mode":"medium","hosts":[""],"strict":"yes"}'));
    config.string('url');
    config.number('threshold', { min: 1, max: 100 });
    config.oneOf('mode', ['fast', 'slow']);
    config.stringList('hosts');
    config.boolean('strict', false);
    expect(() => config.validate()).toThrow(ConfigurationError);
    expect(() => config.validate()).toThrow(
      'invalid settings in CONFIG: url must be a non-empty string, got nothing; threshold must be a number between 1 and 100, got 0; ' +
      'mode must be one of "fast", "slow", got "medium"; hosts must be a list of non-empty strings, got [""]; strict must be true or false, got "yes"',
    );
  });
});
