import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { CircuitBreakerFunction, CircuitTarget, Fallback } from '../src/resilience';

// Deploys a target function that fails on demand (payload {"fail": true}) behind a
// CircuitBreakerFunction, trips the circuit, checks that callers get the fallback and that
// the state item says OPEN, then sends healthy requests until a probe closes the circuit.
const app = new App();
const stack = new Stack(app, 'CircuitBreakerInteg');

const inventory = new lambda.Function(stack, 'Inventory', {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  handler: 'index.handler',
  code: lambda.Code.fromInline([
    'exports.handler = async (event) => {',
    '  if (event && event.fail) throw new Error("inventory unavailable (simulated)");',
    '  return { statusCode: 200, body: JSON.stringify({ items: ["a-1"], served: "target" }) };',
    '};',
  ].join('\n')),
  logGroup: new logs.LogGroup(stack, 'InventoryLogs', { retention: logs.RetentionDays.ONE_DAY, removalPolicy: RemovalPolicy.DESTROY }),
});

const FALLBACK_BODY = '{"items":[],"served":"fallback"}';
const CIRCUIT = 'integ-inventory';
const breaker = new CircuitBreakerFunction(stack, 'InventoryBreaker', {
  target: CircuitTarget.lambda(inventory),
  fallback: Fallback.staticResponse({ statusCode: 503, body: FALLBACK_BODY }),
  circuitName: CIRCUIT,
  tripRules: { consecutiveFailureThreshold: 3 },
  recovery: { openDuration: Duration.seconds(10), halfOpenPermits: 1, halfOpenSuccessThreshold: 1 },
  removalPolicy: RemovalPolicy.DESTROY,
});

const integ = new IntegTest(app, 'CircuitBreakerTest', { testCases: [stack] });
const fallbackAnswer = ExpectedResult.objectLike({
  Payload: Match.serializedJson(Match.objectLike({ statusCode: 503, body: FALLBACK_BODY })),
});
const invoke = (fail: boolean) =>
  integ.assertions.invokeFunction({ functionName: breaker.function.functionName, payload: JSON.stringify({ fail }) });
const stateItem = () => integ.assertions.awsApiCall('DynamoDB', 'getItem', {
  TableName: breaker.stateTable.tableName,
  Key: { pk: { S: `cb#${CIRCUIT}` } },
  ConsistentRead: true,
});

// 1-3: the target fails; each failure is answered by the fallback, the third opens the circuit.
const failures = [invoke(true), invoke(true), invoke(true)];
failures.forEach((call) => call.expect(fallbackAnswer));
// 4: a healthy request is short-circuited while open: the fallback answers, the target is not called.
const whileOpen = invoke(false);
whileOpen.expect(fallbackAnswer);
// 5: the state item says OPEN.
const opened = stateItem();
opened.expect(ExpectedResult.objectLike({ Item: { st: { S: 'OPEN' }, reason: { S: 'consecutive-failures' } } }));
// 6: the target is healthy again: after openDuration a probe passes and the target answers.
const healed = invoke(false);
healed.expect(ExpectedResult.objectLike({
  Payload: Match.serializedJson(Match.objectLike({ statusCode: 200, body: Match.serializedJson({ items: ['a-1'], served: 'target' }) })),
})).waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(5) });
// 7: the state item says CLOSED.
const closed = stateItem();
closed.expect(ExpectedResult.objectLike({ Item: { st: { S: 'CLOSED' }, reason: { S: 'probes-succeeded' } } }));

failures[0].next(failures[1]).next(failures[2]).next(whileOpen).next(opened).next(healed).next(closed);

app.synth();
