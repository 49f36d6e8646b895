import { createHash } from 'node:crypto';

/**
 * A stand-in for a card payment provider, so the lab has a dependency that can decline,
 * fail for a while, or be down, on demand. Nothing is charged anywhere. What happens is
 * chosen by the order's payment token:
 *
 * | token          | authorize | capture                                  | cancel |
 * |----------------|-----------|------------------------------------------|--------|
 * | `tok_declined` | 402       | -                                        | 200    |
 * | `tok_flaky`    | 200       | 503 on the first two attempts, then 200  | 200    |
 * | `tok_outage`   | 200       | 503 on every attempt                     | 200    |
 * | anything else  | 200       | 200                                      | 200    |
 *
 * `attempt` is Step Functions' retry count of the calling state (`$$.State.RetryCount`),
 * which keeps the provider stateless. Every id is derived from the order id, so a retried
 * call answers with the same id: the provider is idempotent, as real ones are per
 * idempotency key. `cancel` undoes whatever the order has (voids an authorization,
 * refunds a capture), as real providers do for a payment reference.
 */
export const PROVIDER_OPERATIONS = ['authorize', 'capture', 'cancel'] as const;
export type ProviderOperation = typeof PROVIDER_OPERATIONS[number];

/** A provider call as the payments function sends it (through the circuit breaker). */
export interface ProviderRequest {
  readonly operation: ProviderOperation;
  readonly orderId: string;
  readonly amountCents: number;
  readonly paymentToken: string;
  readonly authorizationId?: string;
  readonly attempt?: number;
}

/** An HTTP-shaped answer: the circuit breaker counts 5xx as failures and passes 4xx through. */
export interface ProviderResponse {
  readonly statusCode: number;
  readonly body: string;
}

/** The largest single payment the stand-in accepts ($1,000). */
export const MAX_AMOUNT_CENTS = 100_000;
const FLAKY_FAILURES = 2;

export function handleProviderCall(input: unknown): ProviderResponse {
  const parsed = parse(input);
  if (typeof parsed === 'string') return answer(400, { error: 'invalid_request', message: parsed });
  const { operation, orderId, amountCents, paymentToken, attempt = 0 } = parsed;
  const id = (prefix: string) => `${prefix}_${createHash('sha256').update(`${operation}:${orderId}`).digest('hex').slice(0, 24)}`;
  switch (operation) {
    case 'authorize':
      if (paymentToken === 'tok_declined') return answer(402, { error: 'card_declined', message: 'the card was declined' });
      if (amountCents > MAX_AMOUNT_CENTS) return answer(402, { error: 'amount_too_large', message: `at most ${MAX_AMOUNT_CENTS} cents per payment` });
      return answer(200, { authorizationId: id('auth'), amountCents });
    case 'capture':
      if (!parsed.authorizationId) return answer(400, { error: 'invalid_request', message: 'capture needs the authorizationId' });
      if (paymentToken === 'tok_outage' || (paymentToken === 'tok_flaky' && attempt < FLAKY_FAILURES)) {
        return answer(503, { error: 'provider_unavailable', message: 'the capture service is unavailable' });
      }
      return answer(200, { chargeId: id('ch'), amountCents });
    case 'cancel':
      return answer(200, { cancellationId: id('cncl'), orderId });
  }
}

function parse(input: unknown): ProviderRequest | string {
  const r = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (!PROVIDER_OPERATIONS.includes(r.operation as ProviderOperation)) problems.push(`operation must be one of ${PROVIDER_OPERATIONS.join(', ')}`);
  if (typeof r.orderId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(r.orderId)) problems.push('orderId is required');
  if (!Number.isInteger(r.amountCents) || (r.amountCents as number) < 0) problems.push('amountCents must be a whole number of cents');
  if (typeof r.paymentToken !== 'string' || !/^tok_[a-z0-9_]{1,40}$/.test(r.paymentToken)) problems.push('paymentToken must be a tok_... token');
  if (r.authorizationId !== undefined && (typeof r.authorizationId !== 'string' || !/^auth_[0-9a-f]{24}$/.test(r.authorizationId))) {
    problems.push('authorizationId is malformed');
  }
  if (r.attempt !== undefined && (!Number.isInteger(r.attempt) || (r.attempt as number) < 0)) problems.push('attempt must be a non-negative integer');
  return problems.length > 0 ? problems.join('; ') : r as unknown as ProviderRequest;
}

function answer(statusCode: number, body: unknown): ProviderResponse {
  return { statusCode, body: JSON.stringify(body) };
}
