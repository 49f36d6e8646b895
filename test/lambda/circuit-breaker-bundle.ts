import * as path from 'node:path';
import type { Context } from 'aws-lambda';
import { TABLE_NAME } from './circuit-breaker-harness';
import { SETTINGS_VARIABLE } from '../../lambda-src/circuit-breaker/config';
import { ASSETS_DIR } from '../../src/core/handler-code';
import { LOCAL_CREDENTIALS } from '../helpers/dynalite';

// The bundle the Lambda runtime loads (assets/circuit-breaker/index.js), for tests that
// run it against dynalite and loopback servers. Each load is a fresh module instance: a
// new execution environment.

export const BREAKER_BUNDLE = path.join(ASSETS_DIR, 'circuit-breaker', 'index.js');

export type BreakerHandler = (event: unknown, context: Context) => Promise<any>;

let requestCounter = 0;

/** A Lambda context with a fixed remaining time. */
export function invocationContext(remainingMs = 10_000): Context {
  return {
    awsRequestId: `req-${++requestCounter}`,
    functionName: 'breaker',
    invokedFunctionArn: 'arn:aws:lambda:local:123456789012:function:breaker',
    getRemainingTimeInMillis: () => remainingMs,
  } as unknown as Context;
}

/** Point the bundle's AWS clients at local servers; returns a function that restores the environment. */
export function useLocalAws(endpoints: { dynamodb: string; lambda: string }): () => void {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_LAMBDA: endpoints.lambda,
    AWS_REGION: 'local',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    POWERTOOLS_DEV: 'false',
  });
  return () => {
    process.env = saved;
  };
}

/** Load the bundle as a new execution environment with these settings (the harness table, no jitter, unless given). */
export function loadBreakerEnvironment(settings: Record<string, unknown>): BreakerHandler {
  process.env[SETTINGS_VARIABLE] = JSON.stringify({ tableName: TABLE_NAME, jitter: 0, ...settings });
  let handler: BreakerHandler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require(BREAKER_BUNDLE).handler;
  });
  return handler!;
}
