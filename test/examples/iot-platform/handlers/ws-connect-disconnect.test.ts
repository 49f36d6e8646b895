import { CONNECTIONS_SETTINGS, CONNECTION_TTL_SECONDS, connectionItems, createConnectionsTable, CONNECTIONS_TABLE, dropTable, lambdaContext, loadIotBundle, routeEvent } from './ws-harness';
import { captureOutput, jsonLines } from '../../../helpers/capture-output';
import { LocalDynamo, startDynalite } from '../../../helpers/dynalite';
import { startTransactingProxy, TransactingDynamo } from '../../../helpers/dynalite-transactions';
import { BundleHandler, useLocalAws } from '../../../lambda/lambda-integration/harness';

// ws-connect and ws-disconnect, as shipped (assets/examples/iot-platform/ws-*/index.js),
// against the Connections table in dynalite (TransactWriteItems through the helper's proxy).

const VARIABLE = 'WS_CONNECTIONS_CONFIG';
const DEVICE = { tenantId: 'tenant-a', role: 'device', sub: 'sub-device-1', deviceId: 'dev-1' };
const OPERATOR = { tenantId: 'tenant-a', role: 'operator', sub: 'sub-operator-1' };

let dynamo: LocalDynamo;
let proxy: TransactingDynamo;
let restoreEnv: () => void;
let connect: BundleHandler;
let disconnect: BundleHandler;

beforeAll(async () => {
  dynamo = await startDynalite();
  proxy = await startTransactingProxy(dynamo.endpoint);
  restoreEnv = useLocalAws({ dynamodb: proxy.endpoint });
  connect = loadIotBundle('ws-connect', VARIABLE, CONNECTIONS_SETTINGS);
  disconnect = loadIotBundle('ws-disconnect', VARIABLE, CONNECTIONS_SETTINGS);
});

afterAll(async () => {
  restoreEnv();
  await proxy.stop();
  await dynamo.stop();
});

beforeEach(async () => createConnectionsTable(dynamo));
afterEach(async () => dropTable(dynamo, CONNECTIONS_TABLE));

const connectAs = (connectionId: string, authorizer?: Record<string, unknown>) => connect(routeEvent('$connect', connectionId, { authorizer }), lambdaContext('ws-connect'));
const disconnectOf = (connectionId: string) => disconnect(routeEvent('$disconnect', connectionId), lambdaContext('ws-disconnect'));

describe('ws-connect', () => {
  test('connect writes the connection and presence items with a 2 h 5 min TTL', async () => {
    const before = Math.floor(Date.now() / 1000);
    expect(await connectAs('conn-A=', DEVICE)).toEqual({ statusCode: 200 });
    const after = Math.floor(Date.now() / 1000);

    const items = await connectionItems(dynamo);
    expect(Object.keys(items).sort()).toEqual(['C#conn-A=|META', 'T#tenant-a#D#dev-1|CONN']);
    const meta = items['C#conn-A=|META'];
    const ttl = Number(meta.ttl.N);
    expect(CONNECTION_TTL_SECONDS).toBe(2 * 3600 + 5 * 60);
    expect(ttl).toBeGreaterThanOrEqual(before + CONNECTION_TTL_SECONDS);
    expect(ttl).toBeLessThanOrEqual(after + CONNECTION_TTL_SECONDS);
    expect(meta).toEqual({
      pk: { S: 'C#conn-A=' },
      sk: { S: 'META' },
      tenantId: { S: 'tenant-a' },
      role: { S: 'device' },
      sub: { S: 'sub-device-1' },
      deviceId: { S: 'dev-1' },
      connectedAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) },
      ttl: { N: String(ttl) },
    });
    expect(items['T#tenant-a#D#dev-1|CONN']).toEqual({ pk: { S: 'T#tenant-a#D#dev-1' }, sk: { S: 'CONN' }, connectionId: { S: 'conn-A=' }, ttl: { N: String(ttl) } });
  });

  test("an operator's connect writes its connection item and its entry among the tenant's operators, and no presence", async () => {
    expect(await connectAs('conn-O', OPERATOR)).toEqual({ statusCode: 200 });
    const items = await connectionItems(dynamo);
    expect(Object.keys(items).sort()).toEqual(['C#conn-O|META', 'T#tenant-a#OPS|conn-O']);
    expect(items['C#conn-O|META'].role).toEqual({ S: 'operator' });
    expect(items['C#conn-O|META'].deviceId).toBeUndefined();
    expect(items['T#tenant-a#OPS|conn-O']).toEqual({ pk: { S: 'T#tenant-a#OPS' }, sk: { S: 'conn-O' }, sub: { S: 'sub-operator-1' }, ttl: items['C#conn-O|META'].ttl });
  });

  test.each([
    ['no authorizer context', undefined, /requestContext.authorizer is missing/],
    ['a tenant id with the key separator', { ...DEVICE, tenantId: 'tenant-a#D#x' }, /authorizer.tenantId must match/],
    ['a device role without deviceId', { ...DEVICE, deviceId: undefined }, /authorizer.deviceId must match/],
    ['an unknown role', { ...DEVICE, role: 'admin' }, /authorizer.role must be "device" or "operator", got "admin"/],
    ['no sub', { ...OPERATOR, sub: '' }, /authorizer.sub must be 1 to 128 printable characters/],
  ])('a connect with %s is refused with 403 and writes nothing', async (_name, authorizer, problem) => {
    const refusing = loadIotBundle('ws-connect', VARIABLE, CONNECTIONS_SETTINGS, { logs: true });
    let answer: unknown;
    const lines = jsonLines(await captureOutput(async () => {
      answer = await refusing(routeEvent('$connect', 'conn-X', { authorizer }), lambdaContext('ws-connect'));
    }));
    expect(answer).toEqual({ statusCode: 403 });
    expect(await connectionItems(dynamo)).toEqual({});
    expect(lines.find((l) => l.message === 'connection refused')?.problem).toMatch(problem);
  });

  test('a connection id outside the pattern of the C# key is refused with 400 and writes nothing', async () => {
    expect(await connectAs('conn#1', DEVICE)).toEqual({ statusCode: 400 });
    expect(await connectAs('', DEVICE)).toEqual({ statusCode: 400 });
    expect(await connectionItems(dynamo)).toEqual({});
  });

  test('a connect while the table is unreachable fails the invocation and writes nothing', async () => {
    await dropTable(dynamo, CONNECTIONS_TABLE);
    await expect(connectAs('conn-A', DEVICE)).rejects.toThrow(/ResourceNotFoundException/);
    await createConnectionsTable(dynamo);
    expect(await connectionItems(dynamo)).toEqual({});
  });
});

describe('ws-disconnect', () => {
  test('the disconnect of an older connection leaves the newer presence item in place', async () => {
    await connectAs('conn-old', DEVICE);
    await connectAs('conn-new', DEVICE);
    expect(await disconnectOf('conn-old')).toEqual({ statusCode: 200 });

    const items = await connectionItems(dynamo);
    expect(Object.keys(items).sort()).toEqual(['C#conn-new|META', 'T#tenant-a#D#dev-1|CONN']);
    expect(items['T#tenant-a#D#dev-1|CONN'].connectionId).toEqual({ S: 'conn-new' });
  });

  test('disconnect removes the connection and its presence item, and a second disconnect changes nothing', async () => {
    await connectAs('conn-A', DEVICE);
    await connectAs('conn-B', { ...DEVICE, deviceId: 'dev-2', sub: 'sub-device-2' });
    expect(await disconnectOf('conn-A')).toEqual({ statusCode: 200 });
    const after = await connectionItems(dynamo);
    expect(Object.keys(after).sort()).toEqual(['C#conn-B|META', 'T#tenant-a#D#dev-2|CONN']);
    expect(await disconnectOf('conn-A')).toEqual({ statusCode: 200 });
    expect(await connectionItems(dynamo)).toEqual(after);
  });

  test("an operator's disconnect removes its entry among the tenant's operators and leaves the others", async () => {
    await connectAs('conn-O1', OPERATOR);
    await connectAs('conn-O2', { ...OPERATOR, sub: 'sub-operator-2' });
    await disconnectOf('conn-O1');
    expect(Object.keys(await connectionItems(dynamo)).sort()).toEqual(['C#conn-O2|META', 'T#tenant-a#OPS|conn-O2']);
  });

  test('the disconnect of a connection never recorded answers 200 and touches nothing', async () => {
    await connectAs('conn-A', DEVICE);
    const before = await connectionItems(dynamo);
    expect(await disconnectOf('conn-unknown')).toEqual({ statusCode: 200 });
    expect(await disconnect({ requestContext: { routeKey: '$disconnect' } }, lambdaContext('ws-disconnect'))).toEqual({ statusCode: 200 });
    expect(await connectionItems(dynamo)).toEqual(before);
  });
});
