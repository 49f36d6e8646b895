import { LoopbackResponse, LoopbackServer, RecordedRequest, startLoopbackServer } from './http-server';

// One loopback HTTP server that answers like the AWS APIs the handlers call: Step Functions
// (JSON 1.0), Systems Manager and Secrets Manager (JSON 1.1), SNS (query protocol, XML answers) and the Lambda
// Invoke API (REST). It records every call; `failNext` makes the next answers errors the
// way AWS sends them (throttling, 5xx, refusals), to test retries and error identities.

export interface StubCall {
  readonly service: 'sfn' | 'ssm' | 'secretsmanager' | 'sns' | 'lambda';
  readonly action: string;
  /** JSON body, form fields, or `{ functionName, payload }` for Invoke. */
  readonly body: Record<string, any>;
  readonly headers: RecordedRequest['headers'];
}

export interface AwsStubOptions {
  /** The value GetParameter answers (the link-signing secret). */
  readonly parameterValue?: string;
  /** The SecretString GetSecretValue answers; default a JSON object with username and password. */
  readonly secretString?: string;
  /** What a function returns to Invoke (JSON text); default `{"statusCode":200,"body":"{}"}`. */
  readonly invokeResult?: (functionName: string, payload: string) => string;
}

export interface AwsStub {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL_* or a client's endpoint. */
  readonly url: string;
  readonly calls: StubCall[];
  readonly server: LoopbackServer;
  /** Answer the next `count` requests with `answer` (an AWS error) instead. */
  failNext(count: number, answer: AwsErrorAnswer): void;
  stop(): Promise<void>;
}

export interface AwsErrorAnswer {
  readonly status: number;
  /** The error code, e.g. `ThrottlingException`. */
  readonly code: string;
  readonly message?: string;
}

function identify(request: RecordedRequest): Omit<StubCall, 'headers'> {
  const target = String(request.headers['x-amz-target'] ?? '');
  if (target.startsWith('AWSStepFunctions.')) return { service: 'sfn', action: target.split('.')[1], body: JSON.parse(request.body) };
  if (target.startsWith('AmazonSSM.')) return { service: 'ssm', action: target.split('.')[1], body: JSON.parse(request.body) };
  if (target.startsWith('secretsmanager.')) return { service: 'secretsmanager', action: target.split('.')[1], body: JSON.parse(request.body) };
  const invoke = /\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.url);
  if (invoke) return { service: 'lambda', action: 'Invoke', body: { functionName: decodeURIComponent(invoke[1]), payload: request.body } };
  const form = Object.fromEntries(new URLSearchParams(request.body));
  return { service: 'sns', action: form.Action ?? 'Unknown', body: form };
}

function errorAnswer(call: Omit<StubCall, 'headers'>, failure: AwsErrorAnswer): LoopbackResponse {
  const message = failure.message ?? failure.code;
  if (call.service === 'sns') {
    const type = failure.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: failure.status,
      headers: { 'content-type': 'text/xml' },
      body: `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${failure.code}</Code>` +
        `<Message>${message}</Message></Error><RequestId>r-err</RequestId></ErrorResponse>`,
    };
  }
  if (call.service === 'lambda') {
    return { status: failure.status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': failure.code }, body: JSON.stringify({ Type: 'User', message }) };
  }
  const version = call.service === 'sfn' ? '1.0' : '1.1';
  return { status: failure.status, headers: { 'content-type': `application/x-amz-json-${version}` }, body: JSON.stringify({ __type: `com.amazonaws.stub#${failure.code}`, message }) };
}

function answer(call: Omit<StubCall, 'headers'>, options: AwsStubOptions): LoopbackResponse {
  switch (call.service) {
    case 'sfn':
      return { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '{}' };
    case 'ssm':
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ Parameter: { Name: call.body.Name, Type: 'SecureString', Value: options.parameterValue ?? 'v'.repeat(64), Version: 1 } }),
      };
    case 'secretsmanager':
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ ARN: call.body.SecretId, SecretString: options.secretString ?? '{"username":"app","password":"p"}', VersionId: 'v1' }),
      };
    case 'lambda':
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' },
        body: options.invokeResult?.(call.body.functionName, call.body.payload) ?? '{"statusCode":200,"body":"{}"}',
      };
    default:
      if (call.action !== 'Publish') return errorAnswer(call, { status: 400, code: 'InvalidAction', message: `unexpected ${call.action}` });
      return {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body: `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${Date.now()}</MessageId></PublishResult>` +
          '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>',
      };
  }
}

/** Start the stub on a random loopback port. */
export async function startAwsStub(options: AwsStubOptions = {}): Promise<AwsStub> {
  const calls: StubCall[] = [];
  const failures: AwsErrorAnswer[] = [];
  const server = await startLoopbackServer((request) => {
    const call = identify(request);
    calls.push({ ...call, headers: request.headers });
    const failure = failures.shift();
    return failure ? errorAnswer(call, failure) : answer(call, options);
  });
  return {
    url: server.url,
    calls,
    server,
    failNext(count, failure) {
      for (let i = 0; i < count; i++) failures.push(failure);
    },
    stop: () => server.stop(),
  };
}
