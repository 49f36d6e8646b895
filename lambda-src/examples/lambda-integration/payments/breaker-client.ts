import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { BreakerAnswer } from './payments';

/** Invoke the payment circuit breaker synchronously and hand back its answer as Lambda returned it. */
export async function invokeBreaker(client: LambdaClient, functionName: string, payload: Record<string, unknown>): Promise<BreakerAnswer> {
  const out = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }));
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON: kept as text, which pay() reports as a provider error
  }
  return { functionError: out.FunctionError, payload: parsed };
}
