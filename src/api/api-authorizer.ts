import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ApiAuth, ApiAuthMode } from './api-auth';
import type { AuthorizedApiProps } from './authorized-api-props';
import { AUTHORIZER_SETTINGS_VARIABLE, AuthorizerSettingsDocument, IssuerDocument, UsageKeySettings } from './authorizer-settings';
import { RouteRule } from './route-policy';
import { libraryHandler } from '../core/library-handler';

/**
 * The authorizer function and its token authorizer. `settings` is read at synthesis, once
 * every route has been added.
 */
export function createTokenAuthorizer(
  scope: Construct, props: AuthorizedApiProps, logKey: kms.IKey, resultsCacheTtl: Duration, settings: () => string,
): { fn: lambda.IFunction; authorizer: apigateway.TokenAuthorizer } {
  const fn = libraryHandler(scope, 'Authorizer', {
    handlerName: 'authorizer',
    description: `Lambda authorizer of ${scope.node.path}: verifies JWTs / API keys, decides per route from scopes`,
    timeout: Duration.seconds(5),
    logRetention: props.logRetention,
    removalPolicy: props.removalPolicy,
    encryptionKey: logKey,
    environment: { [AUTHORIZER_SETTINGS_VARIABLE]: Lazy.string({ produce: settings }) },
    nagAcknowledgements: [{
      id: 'Serverless-LambdaDLQ',
      reason: 'API Gateway invokes the authorizer synchronously and turns its failure into a 401: there is no event to dead-letter.',
    }, {
      id: 'Serverless-LambdaAsyncFailureDestination',
      reason: 'API Gateway invokes the authorizer synchronously; there are no asynchronous invocations to route.',
    }],
  });
  const authorizer = new apigateway.TokenAuthorizer(scope, 'TokenAuthorizer', {
    handler: fn.function,
    identitySource: apigateway.IdentitySource.header('Authorization'),
    // rejected by API Gateway (401) without invoking the function
    validationRegex: '^(Bearer|ApiKey) [A-Za-z0-9._~+/=-]+$',
    resultsCacheTtl,
  });
  return { fn: fn.function, authorizer };
}

/** The authorizer's settings document (the contract is src/api/authorizer-settings.ts). */
export function authorizerSettings(stack: Stack, auth: ApiAuth, routes: readonly RouteRule[], policyScope: 'api' | 'method',
  usageKeys?: UsageKeySettings): string {
  const tokenOptions = auth.tokenOptions;
  const settings: AuthorizerSettingsDocument = {
    issuers: [issuerSettings(stack, auth)],
    apiKeys: (tokenOptions?.apiKeyClients ?? []).map((c) => ({ id: c.id, sha256: c.keySha256, tenantId: c.tenantId, scopes: c.scopes ?? [] })),
    routes,
    policyScope,
    clockToleranceSec: (tokenOptions?.clockTolerance ?? Duration.seconds(30)).toSeconds(),
    ...(usageKeys ? { usageKeys } : {}),
  };
  return stack.toJsonString(settings);
}

/** The issuer entry of the authorizer settings. */
function issuerSettings(scope: Stack, auth: ApiAuth): IssuerDocument | undefined {
  const common = auth.tokenOptions;
  if (!common) return undefined;
  const shared = {
    tenantClaim: common.tenantClaim,
    fixedTenantId: common.fixedTenantId,
    requiredClaims: common.requiredClaims,
  };
  if (auth.mode === ApiAuthMode.JWT && auth.jwtProps) {
    const p = auth.jwtProps;
    return {
      ...shared,
      issuer: p.issuer,
      audiences: p.audience,
      jwksUri: p.jwksUri,
      jwks: p.jwks ? JSON.parse(p.jwks) : undefined,
      algorithms: p.algorithms,
    };
  }
  const pool = auth.userPool!;
  const issuer = `https://cognito-idp.${scope.region}.${scope.urlSuffix}/${pool.userPoolId}`;
  return {
    ...shared,
    issuer,
    audiences: [],
    jwksUri: `${issuer}/.well-known/jwks.json`,
    tokenUse: auth.cognitoOptions?.tokenUse ?? 'access',
    clientIds: auth.cognitoOptions?.userPoolClients?.map((c) => c.userPoolClientId),
    anyClient: auth.cognitoOptions?.allowAnyClient === true ? true : undefined,
    algorithms: ['RS256'],
  };
}
