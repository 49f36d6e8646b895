import { OrderInvalid, PaymentDeclined, PaymentProviderError, PaymentProviderUnavailable } from '../shared/errors';
import { ID_PATTERN } from '../shared/order';

export const PAYMENT_ACTIONS = ['authorize', 'charge', 'cancel'] as const;
export type PaymentAction = typeof PAYMENT_ACTIONS[number];

/** What the workflow asks of the payments service. */
export interface PaymentRequest {
  readonly action: PaymentAction;
  readonly orderId: string;
  readonly amountCents: number;
  readonly paymentToken: string;
  readonly authorizationId?: string;
  /** `$$.State.RetryCount` of the calling state, passed on to the provider. */
  readonly attempt?: number;
}

/** What comes back from invoking the circuit breaker (a Lambda Invoke answer). */
export interface BreakerAnswer {
  /** Set when the breaker raised an error (circuit open, call timed out, provider threw). */
  readonly functionError?: string;
  readonly payload: unknown;
}

/** Invoke the payment circuit breaker with a provider request. */
export type CallBreaker = (providerRequest: Record<string, unknown>) => Promise<BreakerAnswer>;

export type PaymentResult =
  | { readonly action: 'authorize'; readonly authorizationId: string }
  | { readonly action: 'charge'; readonly chargeId: string }
  | { readonly action: 'cancel'; readonly cancellationId: string };

/** Check the request a Task state sent; a malformed one is a bug in the workflow (OrderInvalid, never retried). */
export function parsePaymentRequest(input: unknown): PaymentRequest {
  const r = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (!PAYMENT_ACTIONS.includes(r.action as PaymentAction)) problems.push(`action must be one of ${PAYMENT_ACTIONS.join(', ')}, got ${JSON.stringify(r.action)}`);
  if (typeof r.orderId !== 'string' || !ID_PATTERN.test(r.orderId)) problems.push('orderId is missing or malformed');
  if (!Number.isInteger(r.amountCents) || (r.amountCents as number) < 0) problems.push(`amountCents must be a whole number of cents, got ${JSON.stringify(r.amountCents)}`);
  if (typeof r.paymentToken !== 'string') problems.push('paymentToken is missing');
  if (r.authorizationId !== undefined && typeof r.authorizationId !== 'string') problems.push('authorizationId must be a string');
  if (r.action === 'charge' && typeof r.authorizationId !== 'string') problems.push('charge needs the authorizationId of the pre-authorization');
  if (r.attempt !== undefined && (!Number.isInteger(r.attempt) || (r.attempt as number) < 0)) problems.push('attempt must be a non-negative integer');
  if (problems.length > 0) throw new OrderInvalid(`payment request: ${problems.join('; ')}`);
  return {
    action: r.action as PaymentAction,
    orderId: r.orderId as string,
    amountCents: r.amountCents as number,
    paymentToken: r.paymentToken as string,
    authorizationId: typeof r.authorizationId === 'string' ? r.authorizationId : undefined,
    attempt: r.attempt as number | undefined,
  };
}

/**
 * The payments service: every provider call goes through the circuit breaker, and its
 * answer becomes a result or one of three errors the workflow reacts to by name:
 * PaymentDeclined (402: never retried), PaymentProviderUnavailable (5xx, 408, 429, an
 * open circuit or a timeout: retried with backoff) and PaymentProviderError (an answer
 * that makes no sense: a bug, not retried).
 */
export async function pay(request: PaymentRequest, callBreaker: CallBreaker): Promise<PaymentResult> {
  const { orderId, amountCents, paymentToken, attempt } = request;
  const call = (operation: string, extra: Record<string, unknown> = {}) =>
    providerCall(callBreaker, { operation, orderId, amountCents, paymentToken, attempt, ...extra });
  switch (request.action) {
    case 'authorize':
      return { action: 'authorize', authorizationId: field(await call('authorize'), 'authorizationId') };
    case 'charge':
      return { action: 'charge', chargeId: field(await call('capture', { authorizationId: request.authorizationId }), 'chargeId') };
    case 'cancel':
      // By order: a compensation may run after a failed Parallel, which keeps no authorization id.
      return { action: 'cancel', cancellationId: field(await call('cancel'), 'cancellationId') };
  }
}

async function providerCall(callBreaker: CallBreaker, providerRequest: Record<string, unknown>): Promise<Record<string, unknown>> {
  let answer: BreakerAnswer;
  try {
    answer = await callBreaker(providerRequest);
  } catch (error) {
    throw new PaymentProviderUnavailable(`the payment circuit breaker could not be invoked: ${(error as Error).name}: ${(error as Error).message}`);
  }
  if (answer.functionError) {
    const { errorType, errorMessage } = (answer.payload ?? {}) as { errorType?: unknown; errorMessage?: unknown };
    throw new PaymentProviderUnavailable(`the payment circuit breaker refused or failed the call (${String(errorType ?? answer.functionError)}): ${String(errorMessage ?? '')}`);
  }
  const { statusCode, body } = (answer.payload ?? {}) as { statusCode?: unknown; body?: unknown };
  if (typeof statusCode !== 'number') throw new PaymentProviderError(`the provider answered without a status code: ${preview(answer.payload)}`);
  const parsed = parseBody(body);
  if (statusCode >= 200 && statusCode < 300) {
    if (!parsed) throw new PaymentProviderError(`the provider answered ${statusCode} with a body that is not a JSON object: ${preview(body)}`);
    return parsed;
  }
  const reason = typeof parsed?.message === 'string' ? parsed.message : preview(body);
  if (statusCode === 402) throw new PaymentDeclined(`the payment was declined: ${reason}`);
  if (statusCode === 408 || statusCode === 429 || statusCode >= 500) throw new PaymentProviderUnavailable(`the provider answered ${statusCode}: ${reason}`);
  throw new PaymentProviderError(`the provider rejected the request (${statusCode}): ${reason}`);
}

function parseBody(body: unknown): Record<string, unknown> | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

function field(answer: Record<string, unknown>, key: string): string {
  const value = answer[key];
  if (typeof value !== 'string' || value.length === 0) throw new PaymentProviderError(`the provider's answer has no ${key}: ${preview(answer)}`);
  return value;
}

function preview(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
