import * as path from 'node:path';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';
import { StaticKeySource } from '../../lambda-src/approval-shared/key-source';
import { signLink } from '../../lambda-src/approval-shared/links';
import { ApprovalStore } from '../../lambda-src/approval-shared/store';
import { DynamoDb } from '../../lambda-src/shared/aws/dynamodb';
import { Sns, sns } from '../../lambda-src/shared/aws/sns';
import { Ssm, ssm } from '../../lambda-src/shared/aws/ssm';
import { StepFunctions, stepFunctions } from '../../lambda-src/shared/aws/step-functions';
import { ASSETS_DIR } from '../../src/core/handler-code';
import { LocalDynamo, LOCAL_CREDENTIALS, startDynalite } from '../helpers/dynalite';
import { LoopbackResponse, LoopbackServer, RecordedRequest, startLoopbackServer } from '../helpers/http-server';

// Real engines on loopback for the approval handlers: dynalite for the table, and one HTTP
// server that answers as Step Functions (JSON 1.0: SendTaskSuccess/Failure), SNS (query
// protocol: Publish) and SSM (JSON 1.1: GetParameter), recording every call. The handlers'
// real AWS clients talk to it; nothing is mocked in-process.

export const TABLE = 'approvals';
export const KEY = Buffer.from('k'.repeat(64));
export const SECRET_NAME = 'approval-link-key/test';
export const CALLBACK_URL = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-central-1.on.aws/';
/** A task token as long as Step Functions' (up to 2048 characters), easy to grep for. */
export const TASK_TOKEN = `AQCEAAAAKgAAAAMAAAAAAAAAA${'TaskTokenSecret'.repeat(60)}==`;

export interface AwsCall {
  readonly service: 'sfn' | 'sns' | 'ssm';
  readonly action: string;
  readonly body: Record<string, any>;
  /** Whether the engine accepted the call (false while Step Functions is made to fail). */
  readonly accepted: boolean;
}

export type SfnBehaviour = 'ok' | 'timedOut' | 'unavailable';

export interface ApprovalEngines {
  readonly dynamo: LocalDynamo;
  readonly aws: LoopbackServer;
  readonly calls: AwsCall[];
  sfnBehaviour: SfnBehaviour;
  readonly secretValue: string;
  store(): ApprovalStore;
  sfn(): StepFunctions;
  sns(): Sns;
  ssm(): Ssm;
  ddb(): DynamoDb;
  sendTaskCalls(): AwsCall[];
  /** The SendTask* calls Step Functions accepted: the callbacks that completed a task. */
  deliveredCallbacks(): AwsCall[];
  stop(): Promise<void>;
}

function answer(engines: { sfnBehaviour: SfnBehaviour; secretValue: string; calls: AwsCall[] }, request: RecordedRequest): LoopbackResponse {
  const target = String(request.headers['x-amz-target'] ?? '');
  if (target.startsWith('AWSStepFunctions.')) {
    const action = target.split('.')[1];
    engines.calls.push({ service: 'sfn', action, body: JSON.parse(request.body), accepted: engines.sfnBehaviour === 'ok' });
    const headers = { 'content-type': 'application/x-amz-json-1.0' };
    if (engines.sfnBehaviour === 'timedOut') return { status: 400, headers, body: JSON.stringify({ __type: 'com.amazonaws.swf.service.model.v20121001#TaskTimedOut', message: 'Task Timed Out' }) };
    if (engines.sfnBehaviour === 'unavailable') return { status: 500, headers, body: JSON.stringify({ __type: 'ServiceUnavailable', message: 'try later' }) };
    return { status: 200, headers, body: '{}' };
  }
  if (target.startsWith('AmazonSSM.')) {
    const body = JSON.parse(request.body);
    engines.calls.push({ service: 'ssm', action: target.split('.')[1], body, accepted: true });
    return {
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ Parameter: { Name: body.Name, Type: 'SecureString', Value: engines.secretValue, Version: 1 } }),
    };
  }
  const form = Object.fromEntries(new URLSearchParams(request.body));
  if (form.Action === 'Publish') {
    engines.calls.push({ service: 'sns', action: 'Publish', body: form, accepted: true });
    return {
      status: 200,
      headers: { 'content-type': 'text/xml' },
      body: '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult>' +
        '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>',
    };
  }
  return { status: 400, body: JSON.stringify({ __type: 'UnknownOperation', message: `unexpected request ${target || form.Action}` }) };
}

export async function startApprovalEngines(): Promise<ApprovalEngines> {
  const dynamo = await startDynalite();
  await dynamo.createTable({
    TableName: TABLE,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const calls: AwsCall[] = [];
  const state = { sfnBehaviour: 'ok' as SfnBehaviour, secretValue: KEY.toString('utf8'), calls };
  const aws = await startLoopbackServer((request) => answer(state, request));
  const clientConfig = { endpoint: aws.url, region: 'eu-central-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
  return {
    dynamo,
    aws,
    calls,
    get sfnBehaviour() {
      return state.sfnBehaviour;
    },
    set sfnBehaviour(value: SfnBehaviour) {
      state.sfnBehaviour = value;
    },
    get secretValue() {
      return state.secretValue;
    },
    store: () => new ApprovalStore(dynamo.dynamoDb(), TABLE),
    sfn: () => stepFunctions(clientConfig),
    sns: () => sns(clientConfig),
    ssm: () => ssm(clientConfig),
    ddb: () => dynamo.dynamoDb(),
    sendTaskCalls: () => calls.filter((c) => c.service === 'sfn'),
    deliveredCallbacks: () => calls.filter((c) => c.service === 'sfn' && c.accepted),
    async stop() {
      await aws.stop();
      await dynamo.stop();
    },
  };
}

export const staticKeys = () => new StaticKeySource(KEY);

/** A clock that moves on by 1 ms at every read, as a real one does between two awaits. */
export function tickingClock(startMs = Date.now()): () => number {
  let now = startMs;
  return () => now++;
}

/** The settings the constructs write for the two handlers, pointing at the harness's table and key. */
export const REQUEST_SETTINGS = {
  tableName: TABLE,
  topicArn: 'arn:aws:sns:eu-central-1:123456789012:approvals',
  callbackUrl: CALLBACK_URL,
  keySecretName: SECRET_NAME,
  timeoutSeconds: 3600,
  workflowName: 'Orders',
};
export const CALLBACK_SETTINGS = { tableName: TABLE, keySecretName: SECRET_NAME, workflowName: 'Orders' };

/**
 * Environment for the shipped bundles (assets/approval-*): their SDK clients reach dynalite
 * and the loopback endpoint through AWS_ENDPOINT_URL_*, with DEBUG logs on.
 */
export function bundleEnvironment(engines: ApprovalEngines): Record<string, string> {
  return {
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_MAX_ATTEMPTS: '1',
    AWS_ENDPOINT_URL_DYNAMODB: engines.dynamo.endpoint,
    AWS_ENDPOINT_URL_SFN: engines.aws.url,
    AWS_ENDPOINT_URL_SNS: engines.aws.url,
    AWS_ENDPOINT_URL_SSM: engines.aws.url,
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
  };
}

/** A fresh copy of `assets/<bundle>/index.js` initialised with `settings` (call after bundleEnvironment is applied). */
export function loadApprovalBundle(bundle: 'approval-request' | 'approval-callback', settings: Record<string, unknown>): (event: unknown, context: Context) => Promise<any> {
  process.env.APPROVAL_SETTINGS = JSON.stringify(settings);
  let handler: ((event: unknown, context: Context) => Promise<any>) | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require(path.join(ASSETS_DIR, bundle, 'index.js')).handler;
  });
  return handler!;
}

export const LAMBDA_CONTEXT = {
  awsRequestId: 'req-1', functionName: 'approval', invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:approval',
} as Context;

/** Create a pending approval directly in the table; returns its signed link parts. */
export async function seedApproval(store: ApprovalStore, approvalId: string, options: { expiresAt?: number; nowMs?: number } = {}) {
  const nowMs = options.nowMs ?? Date.now();
  const expiresAt = options.expiresAt ?? Math.floor(nowMs / 1000) + 3600;
  await store.create({
    approvalId,
    taskToken: TASK_TOKEN,
    executionArn: 'arn:aws:states:eu-central-1:123456789012:execution:Orders:exec-1',
    stateName: 'RequestApproval',
    expiresAt,
    createdAt: nowMs,
    summary: '{\n  "amount": 500\n}',
    ttl: expiresAt + 86_400,
  });
  return { approvalId, e: expiresAt, s: signLink(KEY, approvalId, expiresAt) };
}

/** A Function URL event (payload format 2.0). */
export interface UrlEventOptions {
  readonly query?: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly base64?: boolean;
}

export function urlEvent(method: string, rawPath: string, options: UrlEventOptions = {}): LambdaFunctionURLEvent {
  const headers: Record<string, string> = { host: 'abc.lambda-url.eu-central-1.on.aws' };
  if (options.contentType) headers['content-type'] = options.contentType;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: options.query ?? '',
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc',
      domainName: 'abc.lambda-url.eu-central-1.on.aws',
      domainPrefix: 'abc',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '22/Nov/2026:10:00:00 +0000',
      timeEpoch: 0,
    },
    body: options.base64 && options.body ? Buffer.from(options.body).toString('base64') : options.body,
    isBase64Encoded: options.base64 ?? false,
  } as LambdaFunctionURLEvent;
}

export function formBody(fields: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();
}
