import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BREAKER_BUNDLE } from './circuit-breaker-bundle';
import { createCircuitTable, TABLE_NAME } from './circuit-breaker-harness';
import { SETTINGS_VARIABLE } from '../../lambda-src/circuit-breaker/config';
import { LOCAL_CREDENTIALS, LocalDynamo, startDynalite } from '../helpers/dynalite';
import { LoopbackServer, startLoopbackServer } from '../helpers/http-server';

// What the first invocation of the shipped bundle loads, in a fresh node process (jest's own
// process has loaded far more): a call to an HTTP target must not load fetch's undici and web
// streams, which cost that invocation about 60 ms of CPU.
let dynamo: LocalDynamo;
let target: LoopbackServer;

beforeAll(async () => {
  dynamo = await startDynalite();
  await createCircuitTable(dynamo);
  target = await startLoopbackServer(() => ({ status: 200, body: '{"items":[]}' }));
});
afterAll(async () => {
  await target.stop();
  await dynamo.stop();
});

const COLD_START = `
const { handler } = require(process.argv[1]);
const atInit = new Set(process.moduleLoadList);
const event = { httpMethod: 'GET', path: '/items', headers: {}, body: null, isBase64Encoded: false, requestContext: {} };
handler(event, { getRemainingTimeInMillis: () => 10000 }).then((answer) => {
  const loaded = process.moduleLoadList.filter((m) => !atInit.has(m) && /undici|webstreams/.test(m));
  process.stderr.write(JSON.stringify({ statusCode: answer.statusCode, body: answer.body, loaded }));
  process.exit(0);
});`;

test('the first call to an HTTP target loads neither undici nor its web streams', async () => {
  const { stderr } = await promisify(execFile)(process.execPath, ['-e', COLD_START, BREAKER_BUNDLE], {
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'local',
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      [SETTINGS_VARIABLE]: JSON.stringify({ name: 'cold-start', tableName: TABLE_NAME, target: { type: 'http', url: target.url } }),
    },
  });
  expect(JSON.parse(stderr)).toEqual({ statusCode: 200, body: '{"items":[]}', loaded: [] });
  expect(target.requests.at(-1)).toMatchObject({ method: 'GET', url: '/items' });
});
