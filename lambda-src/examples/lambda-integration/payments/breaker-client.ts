import { BreakerAnswer } from './payments';
import type { Lambda } from '../../../shared/aws/lambda';

/** Invoke the payment circuit breaker synchronously and hand back its answer as Lambda returned it. */
export async function invokeBreaker(client: Lambda, functionName: string, payload: Record<string, unknown>): Promise<BreakerAnswer> {
  const out = await client.invoke({ FunctionName: functionName, Payload: JSON.stringify(payload) });
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: kept as text, which pay() reports as a provider error
  }
  return { functionError: out.FunctionError, payload: parsed };
}
