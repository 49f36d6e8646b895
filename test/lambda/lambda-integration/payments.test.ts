import * as path from 'node:path';
import { BundleHandler, lambdaContext, loadBundle, startLambdaApi, useLocalAws } from './harness';
import { handleProviderCall } from '../../../lambda-src/examples/lambda-integration/payment-provider/provider';
import { BreakerAnswer, parsePaymentRequest, pay } from '../../../lambda-src/examples/lambda-integration/payments/payments';
import { LocalDynamo, startDynalite } from '../../helpers/dynalite';
import { LoopbackServer } from '../../helpers/http-server';
import { createCircuitTable, stateItem, TABLE_NAME } from '../circuit-breaker-harness';

const body = (answer: { body: string }) => JSON.parse(answer.body);
const request = { orderId: 'o-pay-1', amountCents: 790, paymentToken: 'tok_visa' };

describe('the stand-in payment provider', () => {
  test('authorizes, captures and cancels with ids derived from the order, so a retried call gets the same id', () => {
    const auth = handleProviderCall({ ...request, operation: 'authorize' });
    expect(auth.statusCode).toBe(200);
    const { authorizationId } = body(auth);
    expect(authorizationId).toMatch(/^auth_[0-9a-f]{24}$/);
    expect(handleProviderCall({ ...request, operation: 'authorize' })).toEqual(auth);
    const capture = handleProviderCall({ ...request, operation: 'capture', authorizationId });
    expect(body(capture)).toEqual({ chargeId: expect.stringMatching(/^ch_/), amountCents: 790 });
    expect(body(handleProviderCall({ ...request, operation: 'cancel' }))).toEqual({ cancellationId: expect.stringMatching(/^cncl_/), orderId: 'o-pay-1' });
  });

  test('tok_declined is declined (402), tok_flaky fails its first two captures (503), tok_outage every capture', () => {
    expect(handleProviderCall({ ...request, paymentToken: 'tok_declined', operation: 'authorize' }).statusCode).toBe(402);
    const authorizationId = body(handleProviderCall({ ...request, operation: 'authorize' })).authorizationId;
    const capture = (paymentToken: string, attempt: number) => handleProviderCall({ ...request, paymentToken, operation: 'capture', authorizationId, attempt }).statusCode;
    expect([0, 1, 2, 3].map((attempt) => capture('tok_flaky', attempt))).toEqual([503, 503, 200, 200]);
    expect([0, 1, 2, 3, 10].map((attempt) => capture('tok_outage', attempt))).toEqual([503, 503, 503, 503, 503]);
    expect(handleProviderCall({ ...request, amountCents: 100_001, operation: 'authorize' }).statusCode).toBe(402);
  });

  test('a malformed call is a 400 naming every problem, never a 5xx that would trip the breaker', () => {
    const answer = handleProviderCall({ operation: 'steal', orderId: 'x y', amountCents: -1, paymentToken: '4111111111111111', authorizationId: 42, attempt: -1 });
    expect(answer.statusCode).toBe(400);
    expect(body(answer).message).toBe('operation must be one of authorize, capture, cancel; orderId is required; amountCents must be a whole number of cents; '
      + 'paymentToken must be a tok_... token; authorizationId is malformed; attempt must be a non-negative integer');
    expect(handleProviderCall(null).statusCode).toBe(400);
    expect(handleProviderCall({ ...request, operation: 'capture' }).statusCode).toBe(400);
  });
});

describe('the payments service reading the breaker\'s answers', () => {
  const answering = (answer: BreakerAnswer) => async () => answer;
  const charge = { action: 'charge' as const, ...request, authorizationId: 'auth_1' };

  test('a 2xx answer gives the id the step needs', async () => {
    await expect(pay(charge, answering({ payload: { statusCode: 200, body: '{"chargeId":"ch_1"}' } }))).resolves.toEqual({ action: 'charge', chargeId: 'ch_1' });
  });

  test('each failure becomes the error the workflow reacts to', async () => {
    const cases: Array<[BreakerAnswer, string]> = [
      [{ payload: { statusCode: 402, body: '{"message":"card declined"}' } }, 'PaymentDeclined'],
      [{ payload: { statusCode: 503, body: '{}' } }, 'PaymentProviderUnavailable'],
      [{ payload: { statusCode: 429, body: '' } }, 'PaymentProviderUnavailable'],
      [{ payload: { statusCode: 408, body: '' } }, 'PaymentProviderUnavailable'],
      [{ functionError: 'Unhandled', payload: { errorType: 'CircuitOpenError', errorMessage: "circuit 'payment-provider' is open" } }, 'PaymentProviderUnavailable'],
      [{ payload: { statusCode: 400, body: '{"message":"capture needs the authorizationId"}' } }, 'PaymentProviderError'],
      [{ payload: { statusCode: 200, body: 'not json' } }, 'PaymentProviderError'],
      [{ payload: { statusCode: 200, body: '{"chargeId":""}' } }, 'PaymentProviderError'],
      [{ payload: 'garbage' }, 'PaymentProviderError'],
      [{ payload: null }, 'PaymentProviderError'],
    ];
    for (const [answer, name] of cases) {
      await expect(pay(charge, answering(answer))).rejects.toMatchObject({ name });
    }
    await expect(pay(charge, async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    })).rejects.toMatchObject({ name: 'PaymentProviderUnavailable', message: expect.stringContaining('TooManyRequestsException') });
  });

  test('cancel undoes the order\'s payment by order id (a compensation after a failed Parallel has no authorization id)', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const provider = async (call: Record<string, unknown>) => {
      calls.push(call);
      return { payload: handleProviderCall(call) };
    };
    expect(await pay({ action: 'cancel', ...request }, provider)).toEqual({ action: 'cancel', cancellationId: expect.stringMatching(/^cncl_/) });
    expect(calls).toEqual([expect.objectContaining({ operation: 'cancel', orderId: 'o-pay-1' })]);
  });

  test('a malformed request from the workflow is an OrderInvalid naming every problem', () => {
    expect(() => parsePaymentRequest({ action: 'charge', orderId: 'o 1', amountCents: 1.5, attempt: 'x' })).toThrow(
      'payment request: orderId is missing or malformed; amountCents must be a whole number of cents, got 1.5; paymentToken is missing; '
      + 'charge needs the authorizationId of the pre-authorization; attempt must be a non-negative integer');
  });
});

// The whole payment path with the shipped bundles: payments -> (Lambda API) -> the
// library's circuit breaker, its state in dynalite -> (Lambda API) -> the provider.
describe('payments through the real circuit breaker', () => {
  let dynamo: LocalDynamo;
  let lambdaApi: LoopbackServer & { functions: Record<string, BundleHandler | undefined> };
  let restoreEnv: () => void;
  let payments: BundleHandler;
  const providerCalls = () => lambdaApi.requests.filter((r) => r.url.includes('/functions/payment-provider/')).length;

  beforeAll(async () => {
    dynamo = await startDynalite();
    await createCircuitTable(dynamo);
    lambdaApi = await startLambdaApi();
    restoreEnv = useLocalAws({ dynamodb: dynamo.endpoint, lambda: lambdaApi.url });
    lambdaApi.functions['payment-provider'] = loadBundle('payment-provider', 'UNUSED', undefined);
    process.env.CIRCUIT_BREAKER_SETTINGS = JSON.stringify({
      name: 'payment-provider',
      tableName: TABLE_NAME,
      target: { type: 'lambda', functionName: 'payment-provider' },
      consecutiveFailureThreshold: 3,
      openDurationMs: 60_000,
      jitter: 0,
    });
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      lambdaApi.functions['payment-breaker'] = require(path.join(__dirname, '..', '..', '..', 'assets', 'circuit-breaker', 'index.js')).handler;
    });
    payments = loadBundle('payments', 'PAYMENTS_CONFIG', { breakerFunction: 'payment-breaker' });
  });
  afterAll(async () => {
    restoreEnv();
    await lambdaApi.stop();
    await dynamo.stop();
  });

  const step = (input: Record<string, unknown>) => payments({ orderId: 'o-chain-1', amountCents: 1250, ...input }, lambdaContext('payments'));

  test('a flaky provider fails the first two charge attempts and succeeds on the third (the attempt is the state\'s retry count)', async () => {
    const { authorizationId } = await step({ action: 'authorize', paymentToken: 'tok_flaky' });
    await expect(step({ action: 'charge', paymentToken: 'tok_flaky', authorizationId, attempt: 0 })).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    await expect(step({ action: 'charge', paymentToken: 'tok_flaky', authorizationId, attempt: 1 })).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    expect(await step({ action: 'charge', paymentToken: 'tok_flaky', authorizationId, attempt: 2 })).toEqual({ action: 'charge', chargeId: expect.stringMatching(/^ch_/) });
    expect((await stateItem(dynamo.client(), 'payment-provider'))?.st).not.toBe('OPEN');
  });

  test('declined cards are PaymentDeclined through the breaker and never open the circuit (4xx is the caller\'s problem)', async () => {
    for (let i = 0; i < 5; i++) {
      await expect(step({ orderId: `o-declined-${i}`, action: 'authorize', paymentToken: 'tok_declined' })).rejects.toMatchObject({ name: 'PaymentDeclined' });
    }
    expect((await stateItem(dynamo.client(), 'payment-provider'))?.st).not.toBe('OPEN');
  });

  test('a provider outage opens the circuit: later calls, a cancellation too, fail fast without reaching the provider', async () => {
    const { authorizationId } = await step({ action: 'authorize', paymentToken: 'tok_outage' });
    for (const attempt of [0, 1, 2]) {
      await expect(step({ action: 'charge', paymentToken: 'tok_outage', authorizationId, attempt })).rejects.toMatchObject({ name: 'PaymentProviderUnavailable', message: expect.stringContaining('503') });
    }
    expect(await stateItem(dynamo.client(), 'payment-provider')).toMatchObject({ st: 'OPEN' });
    const before = providerCalls();
    await expect(step({ action: 'charge', paymentToken: 'tok_outage', authorizationId, attempt: 3 })).rejects.toMatchObject({
      name: 'PaymentProviderUnavailable', message: expect.stringContaining('circuit breaker refused or failed the call'),
    });
    await expect(step({ action: 'cancel', paymentToken: 'tok_outage' })).rejects.toMatchObject({ name: 'PaymentProviderUnavailable' });
    expect(providerCalls()).toBe(before);
  });
});
