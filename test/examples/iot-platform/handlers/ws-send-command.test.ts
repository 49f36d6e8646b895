import { CONNECTIONS_SETTINGS, CONNECTIONS_TABLE, connectionItems, ConnectionsApi, createConnectionsTable, dropTable, lambdaContext, loadIotBundle, routeEvent, startConnectionsApi } from './ws-harness';
import { captureOutput, jsonLines } from '../../../helpers/capture-output';
import { LocalDynamo, startDynalite } from '../../../helpers/dynalite';
import { startTransactingProxy, TransactingDynamo } from '../../../helpers/dynalite-transactions';
import { BundleHandler, useLocalAws } from '../../../lambda/lambda-integration/harness';

// ws-send-command, as shipped (assets/examples/iot-platform/ws-send-command/index.js), with
// connections made by the shipped ws-connect against dynalite, and the stage's @connections
// API on loopback.

const VARIABLE = 'WS_CONNECTIONS_CONFIG';
const OPERATOR_A = { tenantId: 'tenant-a', role: 'operator', sub: 'sub-op-a' };
const DEVICE_A1 = { tenantId: 'tenant-a', role: 'device', sub: 'sub-dev-a1', deviceId: 'dev-1' };
const DEVICE_B1 = { tenantId: 'tenant-b', role: 'device', sub: 'sub-dev-b1', deviceId: 'dev-b' };

let dynamo: LocalDynamo;
let proxy: TransactingDynamo;
let api: ConnectionsApi;
let restoreEnv: () => void;
let connect: BundleHandler;
let send: BundleHandler;

beforeAll(async () => {
  dynamo = await startDynalite();
  proxy = await startTransactingProxy(dynamo.endpoint);
  api = await startConnectionsApi();
  restoreEnv = useLocalAws({ dynamodb: proxy.endpoint, apigatewaymanagementapi: api.url });
  connect = loadIotBundle('ws-connect', VARIABLE, CONNECTIONS_SETTINGS);
  send = loadIotBundle('ws-send-command', VARIABLE, CONNECTIONS_SETTINGS, { logs: true });
});

afterAll(async () => {
  restoreEnv();
  await api.stop();
  await proxy.stop();
  await dynamo.stop();
});

beforeEach(async () => {
  await createConnectionsTable(dynamo);
  api.reset();
  await connectAs('conn-op-a', OPERATOR_A);
  await connectAs('conn-dev-a1', DEVICE_A1);
  await connectAs('conn-dev-b1', DEVICE_B1);
});
afterEach(async () => dropTable(dynamo, CONNECTIONS_TABLE));

async function connectAs(connectionId: string, authorizer: Record<string, unknown>) {
  expect(await connect(routeEvent('$connect', connectionId, { authorizer }), lambdaContext('ws-connect'))).toEqual({ statusCode: 200 });
  api.live.add(connectionId);
}

/** Send `message` from `connectionId` on `routeKey`; the answer with its body parsed, and the handler's JSON log lines. */
async function sendFrom(connectionId: string, message: unknown, routeKey = 'sendCommand', extra: { isBase64Encoded?: boolean } = {}) {
  const body = typeof message === 'string' ? message : JSON.stringify(message);
  let answer: { statusCode: number; body: string } | undefined;
  const lines = jsonLines(await captureOutput(async () => {
    answer = await send(routeEvent(routeKey, connectionId, { body, ...extra }), lambdaContext('ws-send-command'));
  }));
  return { statusCode: answer!.statusCode, body: JSON.parse(answer!.body), lines };
}

const command = (deviceId: string, name = 'reboot', args?: unknown) => ({ action: 'sendCommand', deviceId, command: { name, ...(args === undefined ? {} : { args }) } });

describe('ws-send-command', () => {
  test("an operator's command reaches the device's connection as a command message and answers 202 with its commandId", async () => {
    const before = Date.now();
    const answer = await sendFrom('conn-op-a', command('dev-1', 'setInterval', { seconds: 30 }));
    expect(answer.statusCode).toBe(202);
    expect(answer.body).toEqual({ commandId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/) });
    expect(api.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /prod/@connections/conn-dev-a1']);
    const [post] = api.posts();
    expect(post.body).toEqual({ type: 'command', commandId: answer.body.commandId, name: 'setInterval', args: { seconds: 30 }, issuedAt: expect.any(String) });
    expect(Date.parse(post.body.issuedAt)).toBeGreaterThanOrEqual(before - 1);
  });

  test('the log line names tenant, caller, device and commandId, and never the arguments', async () => {
    const secretArg = 'do-not-log-this-value';
    const answer = await sendFrom('conn-op-a', command('dev-1', 'setInterval', { note: secretArg }));
    expect(answer.statusCode).toBe(202);
    const line = answer.lines.find((l) => l.message === 'command sent');
    expect(line).toMatchObject({ tenantId: 'tenant-a', sub: 'sub-op-a', deviceId: 'dev-1', commandId: answer.body.commandId, command: 'setInterval', statusCode: 202 });
    expect(answer.lines.map((l) => JSON.stringify(l)).join('\n')).not.toContain(secretArg);
  });

  test("an operator of tenant A commanding tenant B's connected device gets DEVICE_NOT_CONNECTED and nothing is posted", async () => {
    const otherTenant = await sendFrom('conn-op-a', { ...command('dev-b'), tenantId: 'tenant-b' });
    const nowhere = await sendFrom('conn-op-a', command('dev-nowhere'));
    expect(otherTenant.statusCode).toBe(404);
    expect(otherTenant.body).toEqual({ error: 'DEVICE_NOT_CONNECTED', message: 'device dev-b is not connected in your tenant', field: 'deviceId' });
    // no existence oracle: the same answer as for a device that exists nowhere
    expect(nowhere.body).toEqual({ ...otherTenant.body, message: 'device dev-nowhere is not connected in your tenant' });
    expect(api.requests).toEqual([]);
  });

  test('a device cannot send commands', async () => {
    const answer = await sendFrom('conn-dev-a1', command('dev-1'));
    expect(answer.statusCode).toBe(403);
    expect(answer.body).toEqual({ error: 'NOT_AN_OPERATOR', message: 'only operator connections may send commands' });
    expect(api.requests).toEqual([]);
  });

  test('a command from a connection with no C# item is refused as NOT_AN_OPERATOR', async () => {
    const answer = await sendFrom('conn-never-connected', command('dev-1'));
    expect([answer.statusCode, answer.body.error]).toEqual([403, 'NOT_AN_OPERATOR']);
    expect(api.requests).toEqual([]);
  });

  test('a command to a gone connection removes the stale presence item and answers 410', async () => {
    api.live.delete('conn-dev-a1');
    const answer = await sendFrom('conn-op-a', command('dev-1'));
    expect(answer.statusCode).toBe(410);
    expect(answer.body).toEqual({ error: 'DEVICE_GONE', message: 'device dev-1 has disconnected; send again once it reconnects', field: 'deviceId' });
    expect(api.posts().map((p) => p.connectionId)).toEqual(['conn-dev-a1']);
    const items = await connectionItems(dynamo);
    expect(items['T#tenant-a#D#dev-1|CONN']).toBeUndefined();
    expect(items['C#conn-op-a|META']).toBeDefined();
  });

  test('a Gone for a connection the device has replaced meanwhile leaves the newer presence item', async () => {
    api.live.delete('conn-dev-a1');
    api.respondWith(async (request) => {
      // the device reconnects while the command to its old connection is under way
      if (request.url.endsWith('/conn-dev-a1')) await connectAs('conn-dev-a1-new', DEVICE_A1);
      return { status: 410, headers: { 'x-amzn-errortype': 'GoneException' }, body: '{}' };
    });
    expect((await sendFrom('conn-op-a', command('dev-1'))).statusCode).toBe(410);
    expect((await connectionItems(dynamo))['T#tenant-a#D#dev-1|CONN'].connectionId).toEqual({ S: 'conn-dev-a1-new' });
  });

  test('a @connections refusal other than Gone answers 502 COMMAND_NOT_DELIVERED and keeps the presence item', async () => {
    api.respondWith(() => ({ status: 403, headers: { 'x-amzn-errortype': 'ForbiddenException' }, body: '{"message":"Forbidden"}' }));
    const answer = await sendFrom('conn-op-a', command('dev-1'));
    expect([answer.statusCode, answer.body.error]).toEqual([502, 'COMMAND_NOT_DELIVERED']);
    expect(answer.lines.find((l) => l.message === 'command not delivered')).toMatchObject({ deliveryError: 'ForbiddenException', deviceId: 'dev-1' });
    expect((await connectionItems(dynamo))['T#tenant-a#D#dev-1|CONN'].connectionId).toEqual({ S: 'conn-dev-a1' });
  });

  test.each([
    ['an unknown command name', command('dev-1', 'selfDestruct'), 'command.name', 'command.name must be one of "ping", "reboot", "setInterval", got "selfDestruct"'],
    ['arguments over 4 KB', command('dev-1', 'setInterval', { pad: 'x'.repeat(4096) }), 'command.args', 'command.args must be at most 4096 bytes as JSON, got 4106'],
    ['arguments that are a list', command('dev-1', 'ping', [1, 2]), 'command.args', 'command.args must be an object, got "<array>"'],
    ['no command object', { action: 'sendCommand', deviceId: 'dev-1' }, 'command', 'command must be an object { name, args? }, got null'],
    ['a device id with the key separator', command('dev-1#CONN'), 'deviceId', 'deviceId must match ^[A-Za-z0-9_-]{1,64}$, got "dev-1#CONN"'],
  ])('a command with %s is rejected with 400 naming the field, before any read', async (_name, message, field, text) => {
    const answer = await sendFrom('conn-op-a', message);
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toEqual({ error: 'INVALID_REQUEST', field, message: text });
    expect(api.requests).toEqual([]);
  });

  test('an unknown command name or arguments over 4 KB are rejected naming the field', async () => {
    const name = await sendFrom('conn-op-a', command('dev-1', 'format-disk'));
    const args = await sendFrom('conn-op-a', command('dev-1', 'reboot', { blob: 'é'.repeat(2100) }));
    expect([name.statusCode, name.body.field]).toEqual([400, 'command.name']);
    expect([args.statusCode, args.body.field]).toEqual([400, 'command.args']);
    expect(api.requests).toEqual([]);
  });

  test('a malformed JSON body is rejected as BODY_NOT_JSON and nothing is posted', async () => {
    const answer = await sendFrom('conn-op-a', '{"action":"sendCommand",', '$default');
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toEqual({ error: 'BODY_NOT_JSON', message: 'the message is not valid JSON', field: 'body' });
    expect(api.requests).toEqual([]);
  });

  test.each([
    ['an unknown action on $default', { action: 'deleteEverything' }, '$default', 'action must be "sendCommand", got "deleteEverything"'],
    ['a message without action on $default', { deviceId: 'dev-1' }, '$default', 'action must be "sendCommand", got null'],
  ])('%s answers 400 UNKNOWN_ACTION', async (_name, message, route, text) => {
    const answer = await sendFrom('conn-op-a', message, route);
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toEqual({ error: 'UNKNOWN_ACTION', field: 'action', message: text });
  });

  test('a body over 16 KB is rejected as BODY_TOO_LARGE, and a binary frame that is not UTF-8 as BODY_NOT_UTF8', async () => {
    const large = await sendFrom('conn-op-a', JSON.stringify({ ...command('dev-1'), pad: 'x'.repeat(16 * 1024) }));
    expect([large.statusCode, large.body.error]).toEqual([413, 'BODY_TOO_LARGE']);
    const binary = await sendFrom('conn-op-a', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'), 'sendCommand', { isBase64Encoded: true });
    expect([binary.statusCode, binary.body.error]).toEqual([400, 'BODY_NOT_UTF8']);
    expect(api.requests).toEqual([]);
  });

  test('a command in a binary frame of UTF-8 JSON is read like a text frame', async () => {
    const answer = await sendFrom('conn-op-a', Buffer.from(JSON.stringify(command('dev-1', 'ping'))).toString('base64'), 'sendCommand', { isBase64Encoded: true });
    expect(answer.statusCode).toBe(202);
    expect(api.posts().map((p) => p.body.name)).toEqual(['ping']);
  });

  test('a command while the connections table is unreachable fails the invocation and posts nothing', async () => {
    await dropTable(dynamo, CONNECTIONS_TABLE);
    try {
      let failure: unknown;
      const lines = jsonLines(await captureOutput(async () => {
        failure = await send(routeEvent('sendCommand', 'conn-op-a', { body: JSON.stringify(command('dev-1')) }), lambdaContext('ws-send-command')).catch((e: Error) => e);
      }));
      expect((failure as Error).message).toMatch(/dynamodb\.GetItem failed: ResourceNotFoundException/);
      expect(lines.find((l) => l.message === 'invocation failed')?.error.name).toBe('ResourceNotFoundException');
      expect(api.requests).toEqual([]);
    } finally {
      await createConnectionsTable(dynamo);
    }
  });
});
