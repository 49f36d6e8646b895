import type { Logger } from '@aws-lambda-powertools/logger';
import { KeySource, SecretReferenceKeySource } from './key-source';
import { ApprovalStore } from './store';
import type { AwsClientOptions } from '../shared/aws/client';
import { dynamoDb } from '../shared/aws/dynamodb';
import { ssm } from '../shared/aws/ssm';

/**
 * What both approval handlers build from their settings at init: the store, the link key, the
 * logger and the clock. `aws` bounds their AWS calls (see lambda-src/shared/aws/client.ts).
 */
export function approvalDependencies(
  settings: { readonly tableName: string; readonly keySecretName: string },
  logger: Logger,
  aws?: AwsClientOptions,
): { store: ApprovalStore; keys: KeySource; logger: Logger; now: () => number } {
  return {
    store: new ApprovalStore(dynamoDb(aws), settings.tableName),
    keys: new SecretReferenceKeySource(ssm(aws), settings.keySecretName),
    logger,
    now: Date.now,
  };
}
