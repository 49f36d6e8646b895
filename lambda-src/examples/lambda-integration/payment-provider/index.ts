import { handleProviderCall, ProviderResponse } from './provider';
import { createHandler } from '../../../shared';

// The stand-in payment provider; only the payment circuit breaker invokes it.
export const handler = createHandler<unknown, ProviderResponse>('cafe-payment-provider', ({ logger, metrics }) => async (input) => {
  const response = handleProviderCall(input);
  const operation = (input as { operation?: unknown } | null)?.operation;
  logger.info('provider call', { operation, statusCode: response.statusCode });
  metrics.addMetric(response.statusCode >= 500 ? 'ProviderFailures' : 'ProviderCalls', 'Count', 1);
  return response;
});
