import { invokeBreaker } from './breaker-client';
import { parsePaymentRequest, pay, PaymentResult } from './payments';
import { parsePaymentsSettings, PAYMENTS_SETTINGS_VARIABLE, PaymentsSettings } from '../../../../examples/lambda-integration/cafe-settings';
import { createHandler, JsonConfig } from '../../../shared';
import { lambda } from '../../../shared/aws/lambda';
import { CafeError } from '../shared/errors';

// The order workflow's payment steps (PreAuthorizePayment, ChargePayment, CancelPayment).
// Every provider call goes through the payment circuit breaker. Settings:
// examples/lambda-integration/cafe-settings.ts.
const { breakerFunction } = parsePaymentsSettings(JsonConfig.fromEnvironment<PaymentsSettings>(PAYMENTS_SETTINGS_VARIABLE));

const SUCCEEDED = { authorize: 'PaymentsAuthorized', charge: 'PaymentsCharged', cancel: 'PaymentsCancelled' } as const;

export const handler = createHandler<unknown, PaymentResult>('cafe-payments', ({ logger, metrics }) => {
  // The breaker may take up to its own 10 s timeout to answer; this function has 15 s.
  const client = lambda({ timeoutMs: 12_000 });
  return async (input) => {
    const request = parsePaymentRequest(input);
    try {
      const result = await pay(request, (payload) => invokeBreaker(client, breakerFunction, payload));
      logger.info(`payment ${request.action} done`, { orderId: request.orderId, attempt: request.attempt, result });
      metrics.addMetric(SUCCEEDED[request.action], 'Count', 1);
      return result;
    } catch (error) {
      // Declines and outages are answers the workflow handles (retry, compensate): a warning, not an error.
      const { name, message } = error as Error;
      logger.warn(`payment ${request.action} failed`, { orderId: request.orderId, attempt: request.attempt, error: { name, message } });
      metrics.addMetric(error instanceof CafeError ? name : 'PaymentErrors', 'Count', 1);
      throw error;
    }
  };
}, (error) => ['PaymentDeclined', 'PaymentProviderUnavailable'].includes((error as Error).name));
