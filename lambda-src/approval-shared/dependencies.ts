import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SSMClient } from '@aws-sdk/client-ssm';
import { KeySource, SecretReferenceKeySource } from './key-source';
import { ApprovalStore } from './store';

/** What both approval handlers build from their settings at init: the store, the link key, the logger and the clock. */
export function approvalDependencies(settings: { readonly tableName: string; readonly keySecretName: string }, logger: Logger):
{ store: ApprovalStore; keys: KeySource; logger: Logger; now: () => number } {
  return {
    store: new ApprovalStore(new DynamoDBClient({}), settings.tableName),
    keys: new SecretReferenceKeySource(new SSMClient({}), settings.keySecretName),
    logger,
    now: Date.now,
  };
}
