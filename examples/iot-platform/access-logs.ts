import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** An access-log group of one API stage: encrypted with the lab key, kept a month, destroyed with the stack. */
export function accessLogGroup(scope: Construct, id: string, encryptionKey: kms.IKey): logs.LogGroup {
  return new logs.LogGroup(scope, id, { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY, encryptionKey });
}

/**
 * One JSON line per request naming who called (the verified principal), what was asked and
 * how it ended; never a body, header or token. `principal` is the stage type's context
 * variable for the caller.
 */
export function accessLogLine(principal: Record<string, string>, extra: Record<string, string> = {}): string {
  return JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTimeEpoch',
    sourceIp: '$context.identity.sourceIp',
    status: '$context.status',
    integrationStatus: '$context.integrationStatus',
    integrationError: '$context.integrationErrorMessage',
    latencyMs: '$context.responseLatency',
    ...principal,
    ...extra,
  });
}
