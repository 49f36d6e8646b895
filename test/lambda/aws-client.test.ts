import { readdirSync, readFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Signer } from '@aws-sdk/rds-signer';
import { dynamoDb } from '../../lambda-src/shared/aws/dynamodb';
import { endpointFor } from '../../lambda-src/shared/aws/endpoints';
import { AwsServiceError, isAwsError } from '../../lambda-src/shared/aws/errors';
import { eventBridge } from '../../lambda-src/shared/aws/eventbridge';
import { lambda } from '../../lambda-src/shared/aws/lambda';
import { rdsTokenSigner } from '../../lambda-src/shared/aws/rds-token';
import { s3 } from '../../lambda-src/shared/aws/s3';
import { secretsManager } from '../../lambda-src/shared/aws/secrets-manager';
import { sns } from '../../lambda-src/shared/aws/sns';
import { ssm } from '../../lambda-src/shared/aws/ssm';
import { stepFunctions } from '../../lambda-src/shared/aws/step-functions';
import { AwsStub, startAwsStub } from '../helpers/aws-stub';
import { BundleEntry, findBundleEntries } from '../helpers/bundle-entries';
import { captureOutput } from '../helpers/capture-output';
import { LocalDynamo, LOCAL_CREDENTIALS, startDynalite } from '../helpers/dynalite';
import { startEventBridgeApi } from '../helpers/eventbridge-api';
import { startS3Api } from '../helpers/s3-api';

// The handlers' AWS client (lambda-src/shared/aws, aws-lite underneath) against dynalite and
// a loopback stub that answers like Step Functions, SSM, SNS and Lambda: signing and
// credentials from the environment, the SDKs' endpoint variables, bounded retries, and the
// error identities the handlers branch on.

let dynamo: LocalDynamo;
let stub: AwsStub;
const saved = { ...process.env };
const TABLE = 'aws-client';
const local = () => ({ endpoint: stub.url, region: 'eu-west-1', credentials: LOCAL_CREDENTIALS });

beforeAll(async () => {
  dynamo = await startDynalite();
  await dynamo.createTable({ TableName: TABLE, KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });
  stub = await startAwsStub({ parameterValue: 'secret-value' });
});
afterAll(async () => {
  await stub.stop();
  await dynamo.stop();
});
afterEach(() => {
  process.env = { ...saved };
});

describe('credentials and signing', () => {
  test('calls are SigV4-signed by the library with the credentials of the Lambda environment', async () => {
    Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'AKIDFROMENV', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'session-from-env' });
    const before = stub.calls.length;
    await stepFunctions({ endpoint: stub.url }).sendTaskSuccess({ taskToken: 't', output: '{}' });
    const { headers } = stub.calls[before];
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDFROMENV\/\d{8}\/eu-west-1\/states\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-security-token[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
    expect(headers['x-amz-security-token']).toBe('session-from-env');
    expect(headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
  });

  test('the RDS IAM token is the one @aws-sdk/rds-signer mints for the same credentials and second', async () => {
    const options = { hostname: 'proxy.example', port: 3306, username: 'app', region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'tok' } };
    const ours = rdsTokenSigner(options);
    const sdk = new Signer(options);
    const date = (token: string) => new URL(`https://${token}`).searchParams.get('X-Amz-Date');
    let pair = [await ours(), await sdk.getAuthToken()];
    if (date(pair[0]) !== date(pair[1])) pair = [await ours(), await sdk.getAuthToken()]; // the two straddled a second
    const [a, b] = pair.map((token) => new URL(`https://${token}`));
    expect(a.host).toBe('proxy.example:3306');
    expect([...a.searchParams.entries()].sort()).toEqual([...b.searchParams.entries()].sort());
    expect(a.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(a.searchParams.get('X-Amz-Security-Token')).toBe('tok');
  });
});

describe('endpoints', () => {
  test('AWS_ENDPOINT_URL_<SERVICE> wins over AWS_ENDPOINT_URL, which is the fallback for every service', () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://global',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://ddb',
      AWS_ENDPOINT_URL_SFN: 'http://sfn',
      AWS_ENDPOINT_URL_SNS: 'http://sns',
      AWS_ENDPOINT_URL_SQS: 'http://sqs',
      AWS_ENDPOINT_URL_SSM: 'http://ssm',
      AWS_ENDPOINT_URL_LAMBDA: 'http://lambda',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm',
      AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://events',
      AWS_ENDPOINT_URL_S3: 'http://s3',
    };
    const services = ['dynamodb', 'states', 'sns', 'sqs', 'ssm', 'lambda', 'secretsmanager', 'events', 's3'] as const;
    expect(services.map((s) => endpointFor(s, env))).toEqual(['http://ddb', 'http://sfn', 'http://sns', 'http://sqs', 'http://ssm', 'http://lambda', 'http://sm', 'http://events', 'http://s3']);
    expect(services.map((s) => endpointFor(s, { AWS_ENDPOINT_URL: 'http://global' }))).toEqual(services.map(() => 'http://global'));
    expect(endpointFor('dynamodb', {})).toBeUndefined();
  });

  test('a client without an explicit endpoint reaches the engine named by the environment', async () => {
    Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
    await dynamoDb().putItem({ TableName: TABLE, Item: { pk: { S: 'from-env' } } });
    const { Item } = await dynamoDb().getItem({ TableName: TABLE, Key: { pk: { S: 'from-env' } } });
    expect(Item).toEqual({ pk: { S: 'from-env' } });
    delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    process.env.AWS_ENDPOINT_URL = stub.url;
    const before = stub.calls.length;
    await ssm().getParameter({ Name: '/p' });
    expect(stub.calls.slice(before).map((c) => c.action)).toEqual(['GetParameter']);
  });
});

describe('retries', () => {
  test('throttling and 5xx answers are retried with backoff until one succeeds', async () => {
    const before = stub.calls.length;
    stub.failNext(1, { status: 400, code: 'ThrottlingException' });
    stub.failNext(1, { status: 503, code: 'ServiceUnavailable' });
    const started = Date.now();
    const out = await ssm(local()).getParameter({ Name: '/retried' });
    expect(out.Parameter?.Value).toBe('secret-value');
    expect(stub.calls.slice(before)).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('retries stop at maxAttempts, and the last error says the call failed rather than was refused', async () => {
    const before = stub.calls.length;
    stub.failNext(3, { status: 500, code: 'InternalFailure' });
    const error = await sns({ ...local(), maxAttempts: 3 }).publish({ TopicArn: 'arn:aws:sns:eu-west-1:1:t', Message: 'm' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'InternalFailure', kind: 'failed', statusCode: 500, service: 'sns', operation: 'Publish' });
    expect(stub.calls.slice(before)).toHaveLength(3);
  });

  test('a throttled call that stays throttled is reported as throttled', async () => {
    stub.failNext(2, { status: 429, code: 'TooManyRequestsException' });
    const error = await lambda({ ...local(), maxAttempts: 2 }).invoke({ FunctionName: 'f', Payload: '{}' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TooManyRequestsException', kind: 'throttled', statusCode: 429 });
  });

  test('a refusal is not retried', async () => {
    const before = stub.calls.length;
    stub.failNext(1, { status: 400, code: 'TaskDoesNotExist' });
    const error = await stepFunctions(local()).sendTaskFailure({ taskToken: 'gone', error: 'E' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TaskDoesNotExist', kind: 'refused', statusCode: 400 });
    expect(stub.calls.slice(before)).toHaveLength(1);
  });

  test('a call that gets no answer ends at its deadline, retries included, and its connection is closed', async () => {
    let closed = 0;
    const hanging = http.createServer((req) => req.on('close', () => closed++));
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
      const started = Date.now();
      const error = await dynamoDb({ endpoint, region: 'eu-west-1', credentials: LOCAL_CREDENTIALS, timeoutMs: 300 })
        .getItem({ TableName: TABLE, Key: { pk: { S: 'x' } } }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'TimeoutError', kind: 'failed' });
      expect(Date.now() - started).toBeLessThan(1_500);
      // The server sees the close a moment later; on a loaded machine that moment varies.
      for (let waited = 0; closed === 0 && waited < 3_000; waited += 25) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(closed).toBeGreaterThanOrEqual(1);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  test("the caller's own signal aborts a call too", async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await ssm(local()).getParameter({ Name: '/p' }, { signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RequestAborted', kind: 'failed' });
  });
});

describe('error identities', () => {
  test('a failed DynamoDB condition is recognised as ConditionalCheckFailedException, a refusal', async () => {
    const table = dynamo.dynamoDb();
    await table.putItem({ TableName: TABLE, Item: { pk: { S: 'once' } }, ConditionExpression: 'attribute_not_exists(pk)' });
    const error = await table.putItem({ TableName: TABLE, Item: { pk: { S: 'once' } }, ConditionExpression: 'attribute_not_exists(pk)' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsServiceError);
    expect(isAwsError(error, 'ConditionalCheckFailedException')).toBe(true);
    expect(isAwsError(error, 'TaskTimedOut')).toBe(false);
    expect(error).toMatchObject({ kind: 'refused', statusCode: 400, service: 'dynamodb', operation: 'PutItem' });
  });

  test('Step Functions task errors keep their names, namespaces stripped', async () => {
    stub.failNext(1, { status: 400, code: 'TaskTimedOut' });
    const error = await stepFunctions(local()).sendTaskSuccess({ taskToken: 't', output: '{}' }).catch((e: unknown) => e);
    expect(isAwsError(error, 'TaskTimedOut', 'TaskDoesNotExist')).toBe(true);
    expect((error as Error).name).toBe('TaskTimedOut');
  });

  test('an unreachable endpoint is a failed call, not a refusal', async () => {
    const error = await ssm({ endpoint: 'http://127.0.0.1:9', region: 'eu-west-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 }).getParameter({ Name: '/p' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NetworkingError', kind: 'failed', statusCode: undefined });
  });

  test('an answer that is not JSON fails the call as UnreadableResponse instead of ending the process', async () => {
    // aws-lite parses JSON inside its socket callback, where a throw would end the process.
    const answers: Array<[number, string, string]> = [
      [200, 'text/html', '<html>proxy error</html>'],
      [200, 'application/x-amz-json-1.0', '{"Item": {"pk": {"S": "cut off'],
      [502, 'text/html', '<html>bad gateway</html>'],
      [400, 'application/x-amz-json-1.0', '{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}'],
    ];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const [status, type, body] = answers.shift()!;
        res.writeHead(status, { 'content-type': type }).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const client = dynamoDb({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'eu-west-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
      const outcome = async () => client.getItem({ TableName: TABLE, Key: { pk: { S: 'x' } } }).then(() => 'answered', (e: AwsServiceError) => [e.code, e.kind, e.message]);
      expect(await outcome()).toEqual(['UnreadableResponse', 'failed', 'dynamodb.GetItem failed: UnreadableResponse: the answer (24 bytes) is not JSON']);
      expect(await outcome()).toEqual(['UnreadableResponse', 'failed', expect.stringMatching(/is not JSON$/)]);
      expect(await outcome()).toEqual(['Http502', 'failed', expect.any(String)]);
      // An error answer in JSON still names its error, read from the body's bytes.
      expect(await outcome()).toEqual(['ResourceNotFoundException', 'refused', 'dynamodb.GetItem failed: ResourceNotFoundException: Requested resource not found']);
    } finally {
      server.close();
    }
  });

  test('plain errors are not AWS errors', () => {
    expect(isAwsError(Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' }), 'ConditionalCheckFailedException')).toBe(false);
  });
});

describe('services', () => {
  test('DynamoDB items round-trip in wire format, attribute names that look like types included', async () => {
    const table = dynamo.dynamoDb();
    await table.putItem({ TableName: TABLE, Item: { pk: { S: 'wire' }, S: { S: 'x' }, n: { N: '1' }, l: { L: [{ BOOL: true }, { NULL: true }] } } });
    const updated = await table.updateItem({ TableName: TABLE, Key: { pk: { S: 'wire' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '2' } }, ReturnValues: 'ALL_NEW' });
    expect(updated.Attributes).toEqual({ pk: { S: 'wire' }, S: { S: 'x' }, n: { N: '3' }, l: { L: [{ BOOL: true }, { NULL: true }] } });
    expect(await table.getItem({ TableName: TABLE, Key: { pk: { S: 'missing' } } })).toEqual({});
  });

  test('DynamoDB Query reads a key range in order, one page at a time', async () => {
    await dynamo.createTable({
      TableName: 'aws-client-range',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const table = dynamo.dynamoDb();
    for (const sk of ['a', 'b', 'c']) await table.putItem({ TableName: 'aws-client-range', Item: { pk: { S: 'p' }, sk: { S: sk } } });
    await table.putItem({ TableName: 'aws-client-range', Item: { pk: { S: 'other' }, sk: { S: 'z' } } });
    const page = await table.query({
      TableName: 'aws-client-range', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'p' } }, ScanIndexForward: false, Limit: 2,
    });
    expect(page.Items).toEqual([{ pk: { S: 'p' }, sk: { S: 'c' } }, { pk: { S: 'p' }, sk: { S: 'b' } }]);
    expect(page.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { S: 'b' } });
  });

  test('SNS publishes by POST with numbered message attributes and returns the message id', async () => {
    const before = stub.calls.length;
    const out = await sns(local()).publish({ TopicArn: 'arn:aws:sns:eu-west-1:1:t', Message: 'm'.repeat(20_000), MessageAttributes: { eventType: { DataType: 'String', StringValue: 'order.created' } } });
    expect(out.MessageId).toMatch(/^m-\d+$/);
    expect(stub.calls[before].body).toMatchObject({
      'Action': 'Publish',
      'Message': 'm'.repeat(20_000),
      'MessageAttributes.entry.1.Name': 'eventType',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'order.created',
    });
  });

  test('Lambda Invoke passes the payload and the function error through as they are', async () => {
    const stubbed = await startAwsStub({ invokeResult: (_name, payload) => payload });
    try {
      const out = await lambda({ ...local(), endpoint: stubbed.url }).invoke({ FunctionName: 'echo fn', Payload: '{"a":[1,2]}' });
      expect(out).toMatchObject({ StatusCode: 200, FunctionError: undefined });
      expect(Buffer.from(out.Payload!).toString()).toBe('{"a":[1,2]}');
      expect(stubbed.calls[0].body.functionName).toBe('echo fn');
    } finally {
      await stubbed.stop();
    }
  });

  test('Secrets Manager GetSecretValue is a signed JSON 1.1 call; a missing secret is a refusal with its name', async () => {
    const before = stub.calls.length;
    const secret = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:app';
    const out = await secretsManager(local()).getSecretValue({ SecretId: secret });
    expect(out.SecretString).toBe('{"username":"app","password":"p"}');
    expect(stub.calls.slice(before).map((c) => [c.service, c.action, c.body.SecretId])).toEqual([['secretsmanager', 'GetSecretValue', secret]]);
    expect(stub.calls[before].headers['content-type']).toBe('application/x-amz-json-1.1');
    stub.failNext(1, { status: 400, code: 'ResourceNotFoundException' });
    const error = await secretsManager(local()).getSecretValue({ SecretId: 'gone' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ResourceNotFoundException', kind: 'refused', service: 'secretsmanager', operation: 'GetSecretValue' });
  });
});

describe('EventBridge', () => {
  test('PutEvents is signed as events, sends Time as epoch seconds and returns per-entry results, refusals included', async () => {
    const api = await startEventBridgeApi();
    try {
      api.refuse((entry) => (entry.DetailType === 'Refused' ? 'ThrottlingException' : undefined));
      const out = await eventBridge({ ...local(), endpoint: api.url }).putEvents({
        Entries: [
          { EventBusName: 'cafe', Source: 'cafe.orders', DetailType: 'OrderPlaced', Detail: '{"orderId":"o-1"}', Time: new Date('2026-11-22T09:30:00.500Z'), TraceHeader: 'Root=1-abc' },
          { EventBusName: 'cafe', Source: 'cafe.orders', DetailType: 'Refused', Detail: '{}' },
        ],
      });
      expect(out).toEqual({ FailedEntryCount: 1, Entries: [{ EventId: 'evt-1' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'refused by the test' }] });
      const [request] = api.requests;
      expect(request.headers).toMatchObject({ 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' });
      expect(request.headers.authorization).toMatch(/\/eu-west-1\/events\/aws4_request/);
      expect(JSON.parse(request.body).Entries[0]).toEqual({
        EventBusName: 'cafe', Source: 'cafe.orders', DetailType: 'OrderPlaced', Detail: '{"orderId":"o-1"}', Time: 1795339800.5, TraceHeader: 'Root=1-abc',
      });
    } finally {
      await api.stop();
    }
  });

  test('a client without an explicit endpoint reaches AWS_ENDPOINT_URL_EVENTBRIDGE', async () => {
    const api = await startEventBridgeApi();
    try {
      Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_EVENTBRIDGE: api.url });
      await eventBridge().putEvents({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] });
      expect(api.events).toHaveLength(1);
    } finally {
      await api.stop();
    }
  });
});

describe('S3', () => {
  test('PutObject writes the body with its content type; GetObject returns the bytes, path-style against a local endpoint', async () => {
    const api = await startS3Api();
    try {
      const bucket = s3({ ...local(), endpoint: api.url });
      await bucket.putObject({ Bucket: 'cafe-files', Key: 'reports/sales 2026.json', Body: '{"orders":1}', ContentType: 'application/json' });
      expect(api.objects.get('cafe-files/reports/sales 2026.json')).toBe('{"orders":1}');
      expect(api.contentTypes.get('cafe-files/reports/sales 2026.json')).toBe('application/json');
      expect(api.requests[0]).toMatchObject({ method: 'PUT', url: '/cafe-files/reports/sales%202026.json' });
      expect(api.requests[0].headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(api.requests[0].headers.authorization).toMatch(/\/eu-west-1\/s3\/aws4_request/);
      // Stored as JSON, read back as the bytes: the client does not parse object bodies.
      const { Body } = await bucket.getObject({ Bucket: 'cafe-files', Key: 'reports/sales 2026.json' });
      expect(Body.toString('utf8')).toBe('{"orders":1}');
    } finally {
      await api.stop();
    }
  });

  test('a missing object is NoSuchKey, a refusal, and is not retried', async () => {
    const api = await startS3Api();
    try {
      const error = await s3({ ...local(), endpoint: api.url }).getObject({ Bucket: 'cafe-files', Key: 'menu/missing.csv' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AwsServiceError);
      expect(error).toMatchObject({ code: 'NoSuchKey', kind: 'refused', statusCode: 404, service: 's3', operation: 'GetObject' });
      expect(api.requests).toHaveLength(1);
    } finally {
      await api.stop();
    }
  });

  test('an empty object reads as an empty body', async () => {
    const api = await startS3Api();
    try {
      api.objects.set('cafe-files/menu/empty.csv', '');
      Object.assign(process.env, { AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_ENDPOINT_URL_S3: api.url });
      const { Body } = await s3().getObject({ Bucket: 'cafe-files', Key: 'menu/empty.csv' });
      expect(Body).toEqual(Buffer.alloc(0));
      expect(api.requests[0].url).toBe('/cafe-files/menu/empty.csv?response-content-type=application%2Foctet-stream');
    } finally {
      await api.stop();
    }
  });
});

describe('shipped bundles', () => {
  const ASSETS = path.join(__dirname, '..', '..', 'assets');
  const entries = findBundleEntries();
  const bundles = readdirSync(ASSETS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('index.js'));
  const ofKind = (kind: BundleEntry['kind']) => entries.filter((e) => e.kind === kind).map((e) => path.join(e.entry, 'index.js'));

  test('every bundle under assets/ is an entry with a declared kind: a Lambda handler or a container program', () => {
    expect([...bundles].sort()).toEqual(entries.map((e) => path.join(e.entry, 'index.js')).sort());
  });

  test('no shipped Lambda handler bundle loads the AWS SDK', () => {
    const handlers = ofKind('lambda-handler');
    expect(handlers.length).toBeGreaterThanOrEqual(10);
    for (const bundle of handlers) expect([bundle, /require\(["']@aws-sdk\//.test(readFileSync(path.join(ASSETS, bundle), 'utf8'))]).toEqual([bundle, false]);
  });

  test('a container program carries the AWS SDK code it uses inside its bundle, beside the Dockerfile of its image', () => {
    const programs = ofKind('container-program');
    expect(programs).toEqual([path.join('examples', 'ecs-orchestration', 'services', 'index.js')]);
    for (const bundle of programs) {
      const code = readFileSync(path.join(ASSETS, bundle), 'utf8');
      // The SQS client's own operation names are in the bundle, not behind a require.
      expect(code).toContain('ReceiveMessage');
      expect(code).not.toMatch(/require\(["']@aws-sdk\/client-sqs["']\)/);
      expect(readdirSync(path.join(ASSETS, path.dirname(bundle)))).toContain('Dockerfile');
    }
  });

  test('aws-lite\'s XML parser ships only in Lambda bundles with an XML client (SNS, S3, STS), and its DynamoDB marshaller in none', () => {
    const carried = ofKind('lambda-handler').map((bundle) => {
      const code = readFileSync(path.join(ASSETS, bundle), 'utf8');
      // Strings that survive minification: an option of fast-xml-parser, one of the marshaller, our SNS form, our S3 read, our STS session tags.
      const xmlClient = code.includes('MessageAttributes.entry.') || code.includes('response-content-type=application%2Foctet-stream') || code.includes('Tags.member.');
      return { bundle, xmlParser: code.includes('unpairedTags'), marshaller: code.includes('removeUndefinedValues'), xmlClient };
    });
    expect(carried.filter((c) => c.xmlClient).length).toBeGreaterThanOrEqual(3);
    for (const c of carried) expect(c).toEqual({ ...c, xmlParser: c.xmlClient, marshaller: false });
  });

  test('a bundle reaches DynamoDB through the global AWS_ENDPOINT_URL alone (as with LocalStack or DynamoDB Local)', async () => {
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'a',
      AWS_SECRET_ACCESS_KEY: 'b',
      AWS_ENDPOINT_URL: dynamo.endpoint,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      INVENTORY_CONSUMER_CONFIG: JSON.stringify({ reservationsTable: TABLE }),
    });
    let handler: (event: unknown, context: unknown) => Promise<{ batchItemFailures: unknown[] }> = async () => ({ batchItemFailures: ['not loaded'] });
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      handler = require(path.join(ASSETS, 'examples', 'inventory-consumer', 'index.js')).handler;
    });
    const body = JSON.stringify({ Type: 'Notification', MessageId: 'sns-1', TopicArn: 'arn:aws:sns:eu-west-1:1:orders', Message: JSON.stringify({ eventType: 'order.created', orderId: 'o-env', sku: 's', quantity: 2 }) });
    const record = { messageId: 'm1', receiptHandle: 'r', body, attributes: { ApproximateReceiveCount: '1' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:eu-west-1:1:q', awsRegion: 'eu-west-1' };
    let result: { batchItemFailures: unknown[] } | undefined;
    await captureOutput(async () => {
      result = await handler({ Records: [record] }, { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'r' });
    });
    expect(result).toEqual({ batchItemFailures: [] });
    const { Item } = await dynamo.dynamoDb().getItem({ TableName: TABLE, Key: { pk: { S: 'order#o-env' } } });
    expect(Item).toMatchObject({ sku: { S: 's' }, quantity: { N: '2' } });
  });
});
