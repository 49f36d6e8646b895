import { DeviceApiWorld, expectTenantScoped, FALLBACK_BODY, restEvent, SETTINGS } from './device-api-harness';
import { captureOutput } from '../../../helpers/capture-output';

// The IoT platform's device-api handler: the SHIPPED bundle (assets/) against dynalite and
// loopback STS, Cognito, Lambda (the real circuit-breaker bundle) and @connections, with
// REST proxy events as API Gateway sends them behind the library authorizer.
// DESIGN-NOTES §10 "device-api".

let world: DeviceApiWorld;

beforeAll(async () => {
  world = await DeviceApiWorld.start();
});
afterAll(async () => {
  await world.stop();
});

const PASSWORD_POLICY = [/^.{32}$/, /[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

describe('device-api', () => {
  test('registering stores the device under the authorizer\'s tenant, ignoring tenantId in the body and x-tenant-id', async () => {
    const answer = await world.call(restEvent('POST', '/v1/devices', {
      tenant: 'tenant-a',
      headers: { 'x-tenant-id': 'tenant-b' },
      body: { deviceId: 'd-reg', tenantId: 'tenant-b', name: 'Boiler room' },
    }));
    expect(answer.status).toBe(201);
    expect(answer.headers['cache-control']).toBe('no-store');
    const { password } = answer.body.credentials;
    expect(answer.body).toEqual({
      deviceId: 'd-reg',
      tenantId: 'tenant-a',
      status: 'active',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      credentials: { username: 'tenant-a.d-reg', password: expect.any(String) },
    });
    for (const rule of PASSWORD_POLICY) expect(password).toMatch(rule);

    const user = world.cognito.users.get('tenant-a.d-reg')!;
    expect(user).toMatchObject({ attributes: { 'custom:tenant_id': 'tenant-a' }, enabled: true, password, permanent: true });
    expect(world.cognito.calls.find((c) => c.action === 'AdminCreateUser' && c.body.Username === 'tenant-a.d-reg')?.body).toMatchObject({
      UserPoolId: SETTINGS.userPoolId, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'custom:tenant_id', Value: 'tenant-a' }],
    });
    expect(await world.registryItem('tenant-a', 'd-reg')).toEqual({
      pk: { S: 'T#tenant-a#D#d-reg' },
      sk: { S: 'META' },
      tenantId: { S: 'tenant-a' },
      deviceId: { S: 'd-reg' },
      sub: { S: user.sub },
      username: { S: 'tenant-a.d-reg' },
      status: { S: 'active' },
      name: { S: 'Boiler room' },
      createdAt: { S: answer.body.createdAt },
    });
    expect(await world.registryItem('tenant-b', 'd-reg')).toBeUndefined();
    expectTenantScoped(world, answer.dynamoCalls, 'tenant-a');
    expect(answer.dynamoCalls.map((c) => c.operation)).toEqual(['PutItem']);
    // The password is answered once and written nowhere else.
    expect(world.logs.filter((line) => line.includes(password))).toEqual([]);
  });

  test('tenant A reading tenant B\'s device gets 404 and every key it touched starts with T#tenant-a#', async () => {
    await world.register('tenant-b', 'd-secret');
    await world.seedReadings('tenant-b', 'd-secret', Date.UTC(2026, 11, 4, 5), [21.5]);
    const invokesBefore = world.lambdaApi.requests.length;
    const routes: Array<[string, string]> = [
      ['GET', '/v1/devices/{deviceId}'],
      ['GET', '/v2/devices/{deviceId}'],
      ['GET', '/v1/devices/{deviceId}/readings'],
      ['GET', '/v2/devices/{deviceId}/readings'],
      ['GET', '/v1/devices/{deviceId}/status'],
    ];
    for (const [method, resource] of routes) {
      const answer = await world.call(restEvent(method, resource, { tenant: 'tenant-a', path: { deviceId: 'd-secret' }, headers: { 'x-tenant-id': 'tenant-b' } }));
      expect({ resource, status: answer.status, body: answer.body }).toEqual({
        resource, status: 404, body: { error: { code: 'DEVICE_NOT_FOUND', message: 'device d-secret does not exist in your tenant' } },
      });
      expect(answer.dynamoCalls.length).toBeGreaterThan(0);
      expectTenantScoped(world, answer.dynamoCalls, 'tenant-a');
    }
    // The status route never reached the breaker for a device that is not the caller's.
    expect(world.lambdaApi.requests.length).toBe(invokesBefore);
    // Tenant B reads its own device: the 404 above was isolation, not absence.
    const own = await world.call(restEvent('GET', '/v1/devices/{deviceId}', { tenant: 'tenant-b', path: { deviceId: 'd-secret' } }));
    expect(own).toMatchObject({ status: 200, body: { deviceId: 'd-secret', tenantId: 'tenant-b' } });
    expectTenantScoped(world, own.dynamoCalls, 'tenant-b');
  });

  test('the tenant session is requested with the tenant tag from the authorizer context', async () => {
    const environment = world.loadEnvironment();
    const mark = world.sts.calls.length;
    const first = await world.call(restEvent('GET', '/v2/devices', { tenant: 'tenant-c', headers: { 'x-tenant-id': 'tenant-b' }, query: { tenantId: 'tenant-b' } }), environment);
    expect(first).toMatchObject({ status: 200, body: { items: [], next: null } });
    expect(world.sts.calls.slice(mark)).toEqual([{
      roleArn: SETTINGS.tenantDataRoleArn, roleSessionName: 'device-api.tenant-c', durationSeconds: 900, tags: { tenantId: 'tenant-c' }, accessKeyId: expect.any(String),
    }]);
    expect(first.dynamoCalls).toEqual([expect.objectContaining({ operation: 'Query', index: 'byTenant', partitionKeys: ['tenant-c'] })]);
    expectTenantScoped(world, first.dynamoCalls, 'tenant-c');
    // Cached per tenant: a second request of tenant-c assumes nothing, tenant-d gets its own session.
    await world.call(restEvent('GET', '/v2/devices', { tenant: 'tenant-c' }), environment);
    const other = await world.call(restEvent('GET', '/v2/devices', { tenant: 'tenant-d' }), environment);
    expect(world.sts.calls.slice(mark).map((c) => c.tags)).toEqual([{ tenantId: 'tenant-c' }, { tenantId: 'tenant-d' }]);
    expectTenantScoped(world, other.dynamoCalls, 'tenant-d');
    // Credentials within a minute of expiry are not used: a session of 30 s is renewed at once.
    world.sts.expireAfter(30);
    try {
      await world.call(restEvent('GET', '/v2/devices', { tenant: 'tenant-e' }), environment);
      await world.call(restEvent('GET', '/v2/devices', { tenant: 'tenant-e' }), environment);
    } finally {
      world.sts.expireAfter(undefined);
    }
    expect(world.sts.calls.slice(mark).filter((c) => c.tags.tenantId === 'tenant-e')).toHaveLength(2);
  });

  test('concurrent first requests of one tenant share one AssumeRole', async () => {
    const environment = world.loadEnvironment();
    const mark = world.sts.calls.length;
    let answers: Array<{ statusCode: number }> = [];
    // One capture around all five: captures do not nest.
    world.logs.push(...await captureOutput(async () => {
      answers = await Promise.all(Array.from({ length: 5 }, () => environment(restEvent('GET', '/v2/devices', { tenant: 'tenant-f' }))));
    }));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    expect(world.sts.calls.slice(mark).map((c) => c.tags)).toEqual([{ tenantId: 'tenant-f' }]);
  });

  test('v1 answers the flat shape and v2 the nested shape with links for the same device', async () => {
    const created = await world.register('tenant-a', 'd-shape', { name: 'Freezer 2', labels: { site: 'north' } });
    expect(created.body).toEqual({
      device: {
        id: 'd-shape',
        name: 'Freezer 2',
        model: 'TH-20',
        firmware: { version: '1.4.2' },
        labels: { site: 'north' },
        status: 'active',
        createdAt: expect.any(String),
      },
      credentials: { username: 'tenant-a.d-shape', password: expect.any(String) },
      links: { self: '/v2/devices/d-shape', readings: '/v2/devices/d-shape/readings' },
    });
    const createdAt = created.body.device.createdAt;
    const v1 = await world.call(restEvent('GET', '/v1/devices/{deviceId}', { path: { deviceId: 'd-shape' } }));
    expect(v1).toMatchObject({ status: 200 });
    expect(v1.body).toEqual({ deviceId: 'd-shape', tenantId: 'tenant-a', name: 'Freezer 2', status: 'active', createdAt });
    const v2 = await world.call(restEvent('GET', '/v2/devices/{deviceId}', { path: { deviceId: 'd-shape' } }));
    expect(v2.body).toEqual({ device: { ...created.body.device }, links: created.body.links });

    const start = Date.UTC(2026, 11, 4, 6);
    await world.seedReadings('tenant-a', 'd-shape', start, [1, 2, 3]);
    await world.putItem(SETTINGS.readingsTable, { pk: { S: 'T#tenant-a#D#d-shape' }, sk: { S: 'AGG#2026-12-04T06' }, count: { N: '3' } });
    const readings = (values: number[]) => values.map((value) => ({ ts: new Date(start + (value - 1) * 1000).toISOString(), metric: 'temperature', value }));
    const v1Readings = await world.call(restEvent('GET', '/v1/devices/{deviceId}/readings', { path: { deviceId: 'd-shape' }, query: { since: new Date(start + 1000).toISOString() } }));
    expect(v1Readings).toMatchObject({ status: 200, body: { readings: readings([3, 2]) } });
    const v2Readings = await world.call(restEvent('GET', '/v2/devices/{deviceId}/readings', { path: { deviceId: 'd-shape' } }));
    expect(v2Readings).toMatchObject({ status: 200, body: { items: readings([3, 2, 1]), next: null } });
    for (const answer of [v1, v2, v1Readings, v2Readings]) expectTenantScoped(world, answer.dynamoCalls, 'tenant-a');
  });

  test('v2 pages a tenant\'s devices and a device\'s readings with cursors rebuilt under the caller\'s tenant', async () => {
    for (let i = 0; i < 55; i++) {
      const id = `d-${String(i).padStart(3, '0')}`;
      await world.putItem(SETTINGS.registryTable, {
        pk: { S: `T#tenant-list#D#${id}` },
        sk: { S: 'META' },
        tenantId: { S: 'tenant-list' },
        deviceId: { S: id },
        sub: { S: `sub-${id}` },
        username: { S: `tenant-list.${id}` },
        status: { S: 'active' },
        createdAt: { S: '2026-12-01T00:00:00.000Z' },
      });
    }
    const first = await world.call(restEvent('GET', '/v2/devices', { tenant: 'tenant-list' }));
    expect(first.body.items).toHaveLength(50);
    expect(first.body.items[0]).toEqual({ device: expect.objectContaining({ id: 'd-000' }), links: { self: '/v2/devices/d-000', readings: '/v2/devices/d-000/readings' } });
    const second = await world.call(restEvent('GET', '/v2/devices', { tenant: 'tenant-list', query: { next: first.body.next } }));
    expect(second.body.items.map((i: { device: { id: string } }) => i.device.id)).toEqual(['d-050', 'd-051', 'd-052', 'd-053', 'd-054']);
    expect(second.body.next).toBeNull();
    // Tenant-list's cursor used by tenant-a starts tenant-a's own list, never tenant-list's.
    const replayed = await world.call(restEvent('GET', '/v2/devices', { tenant: 'tenant-a', query: { next: first.body.next } }));
    expect(replayed.body.items.every((i: { device: { id: string } }) => !i.device.id.startsWith('d-0'))).toBe(true);
    for (const answer of [first, second]) expectTenantScoped(world, answer.dynamoCalls, 'tenant-list');
    expectTenantScoped(world, replayed.dynamoCalls, 'tenant-a');

    await world.seedReadings('tenant-list', 'd-000', Date.UTC(2026, 11, 4, 7), Array.from({ length: 120 }, (_, i) => i));
    const page1 = await world.call(restEvent('GET', '/v2/devices/{deviceId}/readings', { tenant: 'tenant-list', path: { deviceId: 'd-000' } }));
    expect(page1.body.items).toHaveLength(100);
    expect(page1.body.items[0].value).toBe(119);
    const page2 = await world.call(restEvent('GET', '/v2/devices/{deviceId}/readings', { tenant: 'tenant-list', path: { deviceId: 'd-000' }, query: { next: page1.body.next } }));
    expect(page2.body.items.map((r: { value: number }) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i));
    expect(page2.body.next).toBeNull();
    expectTenantScoped(world, page2.dynamoCalls, 'tenant-list');
  });

  test('a v2 registration without firmwareVersion fails with 400 naming the field', async () => {
    const stsBefore = world.sts.calls.length;
    const cognitoBefore = world.cognito.calls.length;
    const answer = await world.call(restEvent('POST', '/v2/devices', { body: { deviceId: 'd-nofw', model: 'TH-20' } }));
    expect(answer).toMatchObject({
      status: 400,
      body: { error: { code: 'VALIDATION_FAILED', field: 'firmwareVersion', message: 'firmwareVersion must be 1-32 characters of 0-9 A-Z a-z . + - (required in v2), got nothing' } },
    });
    // Refused before any identity or item exists.
    expect([world.sts.calls.length, world.cognito.calls.length, answer.dynamoCalls]).toEqual([stsBefore, cognitoBefore, []]);
    expect(world.cognito.users.has('tenant-a.d-nofw')).toBe(false);
    // v1 has no such field: the breaking change is v2's only.
    expect((await world.call(restEvent('POST', '/v1/devices', { body: { deviceId: 'd-nofw' } }))).status).toBe(201);
  });

  test('a duplicate deviceId answers 409 and deletes the Cognito user created for it', async () => {
    // The registry already holds d-dup (written by a registration whose user is not in the pool).
    const existing = {
      pk: { S: 'T#tenant-a#D#d-dup' },
      sk: { S: 'META' },
      tenantId: { S: 'tenant-a' },
      deviceId: { S: 'd-dup' },
      sub: { S: 'sub-first' },
      username: { S: 'tenant-a.d-dup' },
      status: { S: 'active' },
      createdAt: { S: '2026-12-01T00:00:00.000Z' },
    };
    await world.putItem(SETTINGS.registryTable, existing);
    const mark = world.cognito.calls.length;
    const answer = await world.call(restEvent('POST', '/v2/devices', { body: { deviceId: 'd-dup', model: 'TH-20', firmwareVersion: '2.0.0' } }));
    expect(answer).toMatchObject({ status: 409, body: { error: { code: 'DEVICE_EXISTS', field: 'deviceId', message: 'device d-dup is already registered in your tenant' } } });
    expect(answer.body.credentials).toBeUndefined();
    expect(world.cognito.calls.slice(mark).map((c) => `${c.action} ${c.body.Username}`)).toEqual([
      'AdminCreateUser tenant-a.d-dup', 'AdminSetUserPassword tenant-a.d-dup', 'AdminDeleteUser tenant-a.d-dup',
    ]);
    expect(world.cognito.users.has('tenant-a.d-dup')).toBe(false);
    expect(await world.registryItem('tenant-a', 'd-dup')).toEqual(existing);
    expectTenantScoped(world, answer.dynamoCalls, 'tenant-a');
  });

  test('registering a taken deviceId through the API answers 409 and leaves the first device\'s user in place', async () => {
    await world.register('tenant-a', 'd-twice');
    const first = { ...world.cognito.users.get('tenant-a.d-twice')! };
    const mark = world.cognito.calls.length;
    const again = await world.call(restEvent('POST', '/v1/devices', { body: { deviceId: 'd-twice' } }));
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'DEVICE_EXISTS' } } });
    expect(world.cognito.calls.slice(mark).map((c) => c.action)).toEqual(['AdminCreateUser']);
    expect(world.cognito.users.get('tenant-a.d-twice')).toEqual(first);
    // The same id in another tenant is another device.
    expect((await world.register('tenant-b', 'd-twice')).body.credentials.username).toBe('tenant-b.d-twice');
  });

  test('the status route returns the breaker\'s fallback while the circuit is open', async () => {
    await world.register('tenant-a', 'd-status');
    const status = () => world.call(restEvent('GET', '/v1/devices/{deviceId}/status', { path: { deviceId: 'd-status' }, headers: { 'x-ab-variant': 'b', 'Authorization': 'Bearer secret-token' } }));
    const healthy = await status();
    expect(healthy).toMatchObject({ status: 200, body: { deviceId: 'd-status', connectivity: 'online', variant: 'a' } });
    const forwarded = world.deviceService.requests.at(-1)!;
    expect(forwarded).toMatchObject({ method: 'GET', url: '/v1/devices/d-status/status' });
    expect(forwarded.headers['x-ab-variant']).toBe('b');
    expect(forwarded.headers.authorization).toBeUndefined();
    const invoked = JSON.parse(world.lambdaApi.requests.at(-1)!.body);
    expect(invoked).toMatchObject({ httpMethod: 'GET', path: '/v1/devices/d-status/status', body: null });

    // device-service fails three times in a row: the breaker (consecutiveFailureThreshold 3) opens.
    world.deviceService.respondWith(() => ({ status: 503, body: 'down' }));
    try {
      for (let i = 0; i < 3; i++) await status();
      const reached = world.deviceService.requests.length;
      const open = await status();
      expect(open.status).toBe(200);
      expect(open.text).toBe(FALLBACK_BODY);
      expect(open.headers['content-type']).toBe('application/json');
      // Open: the breaker answered without calling device-service.
      expect(world.deviceService.requests.length).toBe(reached);
    } finally {
      world.deviceService.respondWith((r) => ({ status: 200, body: `{"deviceId":"${r.url.split('/')[3]}","connectivity":"online","variant":"a"}` }));
    }
  });

  test('tenant A decommissioning tenant B\'s device changes nothing', async () => {
    await world.register('tenant-b', 'd-keep');
    await world.putItem(SETTINGS.connectionsTable, { pk: { S: 'T#tenant-b#D#d-keep' }, sk: { S: 'CONN' }, connectionId: { S: 'keepConn1' }, ttl: { N: '9999999999' } });
    const before = await world.registryItem('tenant-b', 'd-keep');
    const cognitoMark = world.cognito.calls.length;
    const connectionsMark = world.connections.requests.length;
    const answer = await world.call(restEvent('DELETE', '/v2/devices/{deviceId}', { tenant: 'tenant-a', path: { deviceId: 'd-keep' }, body: { tenantId: 'tenant-b' } }));
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'DEVICE_NOT_FOUND' } } });
    expect(await world.registryItem('tenant-b', 'd-keep')).toEqual(before);
    expect(world.cognito.users.get('tenant-b.d-keep')?.enabled).toBe(true);
    expect(world.cognito.calls.length).toBe(cognitoMark);
    expect(world.connections.requests.length).toBe(connectionsMark);
    expectTenantScoped(world, answer.dynamoCalls, 'tenant-a');
    expect(await world.registryItem('tenant-a', 'd-keep')).toBeUndefined();
  });

  test('decommissioning a device disables its user, marks it decommissioned and closes its connection', async () => {
    await world.register('tenant-a', 'd-retire');
    await world.putItem(SETTINGS.connectionsTable, { pk: { S: 'T#tenant-a#D#d-retire' }, sk: { S: 'CONN' }, connectionId: { S: 'retireConn1' }, ttl: { N: '9999999999' } });
    const answer = await world.call(restEvent('DELETE', '/v2/devices/{deviceId}', { path: { deviceId: 'd-retire' } }));
    expect(answer).toMatchObject({ status: 204, text: '' });
    expect((await world.registryItem('tenant-a', 'd-retire'))?.status).toEqual({ S: 'decommissioned' });
    expect(world.cognito.users.get('tenant-a.d-retire')?.enabled).toBe(false);
    expect(world.connections.requests.at(-1)).toMatchObject({ method: 'DELETE', url: '/prod/@connections/retireConn1' });
    expectTenantScoped(world, answer.dynamoCalls, 'tenant-a');
    const read = await world.call(restEvent('GET', '/v1/devices/{deviceId}', { path: { deviceId: 'd-retire' } }));
    expect(read.body.status).toBe('decommissioned');

    // A device whose client already left is decommissioned all the same.
    await world.register('tenant-a', 'd-gone');
    await world.putItem(SETTINGS.connectionsTable, { pk: { S: 'T#tenant-a#D#d-gone' }, sk: { S: 'CONN' }, connectionId: { S: 'goneConn1' }, ttl: { N: '9999999999' } });
    world.goneConnections.add('goneConn1');
    expect((await world.call(restEvent('DELETE', '/v2/devices/{deviceId}', { path: { deviceId: 'd-gone' } }))).status).toBe(204);
    expect(world.cognito.users.get('tenant-a.d-gone')?.enabled).toBe(false);
  });
});
