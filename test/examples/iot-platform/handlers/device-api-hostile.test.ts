import { DeviceApiWorld, restEvent, SETTINGS } from './device-api-harness';

// The device-api bundle against malformed and foreign events, hostile values and
// dependencies that fail: every refusal is an exact answer naming what was wrong, made
// before any AWS call; every failure of a dependency is an answer, never a crash.

let world: DeviceApiWorld;

beforeAll(async () => {
  world = await DeviceApiWorld.start();
});
afterAll(async () => {
  await world.stop();
});

const ONE = '/v1/devices/{deviceId}';
const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const cursor = (value: string) => Buffer.from(value).toString('base64url');

/** Which AWS calls the request made, of any service. */
function callCounts() {
  const { sts, cognito, recorder, lambdaApi } = world;
  return { sts: sts.calls.length, cognito: cognito.calls.length, dynamo: recorder.calls.length, invoke: lambdaApi.requests.length };
}

describe('malformed requests are refused before any AWS call', () => {
  test.each(([
    ['a null event', null, 404, 'ROUTE_NOT_FOUND'],
    ['an SQS event', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }, 404, 'ROUTE_NOT_FOUND'],
    ['PATCH of a device', restEvent('PATCH', '/v2/devices/{deviceId}', { path: { deviceId: 'd-1' } }), 404, 'ROUTE_NOT_FOUND'],
    ['DELETE in v1', restEvent('DELETE', ONE, { path: { deviceId: 'd-1' } }), 404, 'ROUTE_NOT_FOUND'],
    ['a v1 list (v2 only)', restEvent('GET', '/v1/devices'), 404, 'ROUTE_NOT_FOUND'],
    ['no authorizer context', restEvent('GET', ONE, { tenant: null, path: { deviceId: 'd-1' } }), 403, 'NO_TENANT'],
    ['an authorizer tenant carrying a key separator', restEvent('GET', ONE, { tenant: 'tenant-a#D#d-1', path: { deviceId: 'd-1' } }), 403, 'NO_TENANT'],
    ['an authorizer tenant that is an IAM wildcard', restEvent('GET', ONE, { tenant: '*', path: { deviceId: 'd-1' } }), 403, 'NO_TENANT'],
    ['no body', restEvent('POST', '/v1/devices'), 400, 'BODY_REQUIRED'],
    ['a body of 16 KB and one byte', restEvent('POST', '/v1/devices', { body: `{"deviceId":"d-1","name":"${'x'.repeat(16 * 1024)}"}` }), 400, 'BODY_TOO_LARGE'],
    ['a base64 body over 16 KB', restEvent('POST', '/v1/devices', { body: base64(`{"deviceId":"d-1","pad":"${'x'.repeat(20_000)}"}`), isBase64Encoded: true }), 400, 'BODY_TOO_LARGE'],
    ['a body that is not UTF-8', restEvent('POST', '/v1/devices', { body: base64(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), isBase64Encoded: true }), 400, 'BODY_INVALID'],
    ['a body that is not JSON', restEvent('POST', '/v1/devices', { body: '{deviceId: d-1' }), 400, 'BODY_INVALID'],
    ['a JSON array body', restEvent('POST', '/v1/devices', { body: '[{"deviceId":"d-1"}]' }), 400, 'BODY_INVALID'],
    ['a deviceId with a key separator', restEvent('POST', '/v1/devices', { body: { deviceId: 'd#1' } }), 400, 'VALIDATION_FAILED', 'deviceId'],
    ['a numeric deviceId', restEvent('POST', '/v1/devices', { body: { deviceId: 42 } }), 400, 'VALIDATION_FAILED', 'deviceId'],
    ['a name with a control character', restEvent('POST', '/v1/devices', { body: { deviceId: 'd-1', name: 'a\u0000b' } }), 400, 'VALIDATION_FAILED', 'name'],
    ['a v2 registration without model', restEvent('POST', '/v2/devices', { body: { deviceId: 'd-1', firmwareVersion: '1.0' } }), 400, 'VALIDATION_FAILED', 'model'],
    ['labels as an array', restEvent('POST', '/v2/devices', { body: { deviceId: 'd-1', model: 'm', firmwareVersion: '1', labels: ['a'] } }), 400, 'VALIDATION_FAILED', 'labels'],
    ['11 labels', restEvent('POST', '/v2/devices', {
      body: { deviceId: 'd-1', model: 'm', firmwareVersion: '1', labels: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) },
    }), 400, 'VALIDATION_FAILED', 'labels'],
    ['a path deviceId with a key separator', restEvent('GET', ONE, { path: { deviceId: 'd-1#META' } }), 400, 'VALIDATION_FAILED', 'deviceId'],
    ['since that is not an instant', restEvent('GET', '/v1/devices/{deviceId}/readings', { path: { deviceId: 'd-1' }, query: { since: 'yesterday' } }), 400, 'VALIDATION_FAILED', 'since'],
    ['a limit of 500', restEvent('GET', '/v1/devices/{deviceId}/readings', { path: { deviceId: 'd-1' }, query: { limit: '500' } }), 400, 'VALIDATION_FAILED', 'limit'],
    ['a readings cursor forged to name another partition', restEvent('GET', '/v2/devices/{deviceId}/readings', {
      path: { deviceId: 'd-1' }, query: { next: cursor('T#tenant-b#D#d-1') },
    }), 400, 'VALIDATION_FAILED', 'next'],
    ['a list cursor forged to name another tenant', restEvent('GET', '/v2/devices', { query: { next: cursor('T#tenant-b#D#d-1') } }), 400, 'VALIDATION_FAILED', 'next'],
  ] as Array<[string, unknown, number, string, string?]>).map(([name, event, status, code, field]) => [name, event, status, code, field ?? ''] as const))(
    '%s is refused with the status and code it calls for', async (_name, event, status, code, field) => {
      const before = callCounts();
      const answer = await world.call(event);
      expect(answer.status).toBe(status);
      expect(answer.body.error.code).toBe(code);
      if (field) {
        expect(answer.body.error.field).toBe(field);
        expect(answer.body.error.message).toMatch(new RegExp(`^${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} must be .+, got .+`));
      }
      expect(callCounts()).toEqual(before);
    });

  test('a 10,000-character deviceId is named in the error cut to 64 characters', async () => {
    const answer = await world.call(restEvent('POST', '/v1/devices', { body: { deviceId: 'x'.repeat(10_000) } }));
    expect(answer.body.error.message).toBe(`deviceId must be 1-64 characters of A-Z a-z 0-9 _ -, got "${'x'.repeat(63)}...`);
  });
});

describe('failing dependencies', () => {
  test('STS unavailable answers 503, and the failure is not cached: the next request gets a session', async () => {
    const environment = world.loadEnvironment();
    world.sts.failNext(3, 503, 'ServiceUnavailable');
    const down = await world.call(restEvent('GET', '/v2/devices', { tenant: 'tenant-sts' }), environment);
    expect(down).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE' } }, dynamoCalls: [] });
    const up = await world.call(restEvent('GET', '/v2/devices', { tenant: 'tenant-sts' }), environment);
    expect(up).toMatchObject({ status: 200, body: { items: [], next: null } });
  });

  test('STS refusing the role answers 500 and no table is called', async () => {
    const environment = world.loadEnvironment();
    world.sts.failNext(1, 403, 'AccessDenied');
    const answer = await world.call(restEvent('GET', ONE, { tenant: 'tenant-denied', path: { deviceId: 'd-1' } }), environment);
    expect(answer).toMatchObject({ status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'the request failed; it has been logged' } }, dynamoCalls: [] });
  });

  test('Cognito unavailable during registration answers 503 and stores no device', async () => {
    world.cognito.failNext('AdminCreateUser', 500, 'InternalErrorException', 3);
    const answer = await world.call(restEvent('POST', '/v1/devices', { body: { deviceId: 'd-nocognito' } }));
    expect(answer).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE' } } });
    expect(await world.registryItem('tenant-a', 'd-nocognito')).toBeUndefined();
  });

  test('a password Cognito refuses deletes the user just created and stores no device', async () => {
    world.cognito.failNext('AdminSetUserPassword', 400, 'InvalidPasswordException');
    const answer = await world.call(restEvent('POST', '/v1/devices', { body: { deviceId: 'd-badpass' } }));
    expect(answer).toMatchObject({ status: 500, body: { error: { code: 'INTERNAL_ERROR' } } });
    expect(world.cognito.users.has('tenant-a.d-badpass')).toBe(false);
    expect(world.cognito.calls.at(-1)).toMatchObject({ action: 'AdminDeleteUser', body: { Username: 'tenant-a.d-badpass' } });
    expect(await world.registryItem('tenant-a', 'd-badpass')).toBeUndefined();
  });

  test('the breaker throwing answers 502 and the Invoke API down answers 503', async () => {
    await world.register('tenant-a', 'd-breaker');
    const status = () => world.call(restEvent('GET', '/v1/devices/{deviceId}/status', { path: { deviceId: 'd-breaker' } }));
    world.lambdaApi.respondWith(() => ({ status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: '{"errorType":"Error","errorMessage":"boom"}' }));
    try {
      expect(await status()).toMatchObject({ status: 502, body: { error: { code: 'STATUS_UNAVAILABLE' } } });
      world.lambdaApi.respondWith(() => ({ status: 200, body: '"not a proxy result"' }));
      expect(await status()).toMatchObject({ status: 502, body: { error: { code: 'STATUS_UNAVAILABLE' } } });
      world.lambdaApi.respondWith(() => ({ status: 503, headers: { 'x-amzn-errortype': 'ServiceException' }, body: '{"message":"down"}' }));
      expect(await status()).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE' } } });
    } finally {
      world.lambdaApi.respondWith(() => ({ status: 200, body: '{"statusCode":200,"headers":{"content-type":"application/json"},"body":"{}"}' }));
    }
  });

  test('a decommission whose @connections call fails answers 503 and completes when repeated', async () => {
    await world.register('tenant-a', 'd-retry');
    await world.putItem(SETTINGS.connectionsTable, { pk: { S: 'T#tenant-a#D#d-retry' }, sk: { S: 'CONN' }, connectionId: { S: 'retryConn1' }, ttl: { N: '9999999999' } });
    const healthy = world.connections;
    healthy.respondWith(() => ({ status: 500, headers: { 'x-amzn-errortype': 'InternalServerErrorException' }, body: '{}' }));
    const event = restEvent('DELETE', '/v2/devices/{deviceId}', { path: { deviceId: 'd-retry' } });
    try {
      expect(await world.call(event)).toMatchObject({ status: 503 });
    } finally {
      healthy.respondWith(() => ({ status: 204 }));
    }
    expect(await world.call(event)).toMatchObject({ status: 204 });
    expect(world.connections.requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/prod/@connections/retryConn1' });
    expect(world.cognito.users.get('tenant-a.d-retry')?.enabled).toBe(false);
  });

  test('no log line of these requests carries a password or the caller\'s token', async () => {
    const registered = await world.register('tenant-a', 'd-logs');
    await world.call(restEvent('GET', ONE, { path: { deviceId: 'd-logs' }, headers: { Authorization: 'Bearer eyJhbGciOi.secret.token' } }));
    const passwords = [...world.cognito.users.values()].map((u) => u.password).filter((p): p is string => !!p);
    expect(passwords).toContain(registered.body.credentials.password);
    expect(world.logs.length).toBeGreaterThan(10);
    expect(world.logs.filter((line) => passwords.some((p) => line.includes(p)) || line.includes('secret.token'))).toEqual([]);
  });
});
